"""The built-in checks, one module per error class.

Each module registers its check through ``eobscan_register_checks``, the same hook a third-party
plugin uses; :data:`scanner.plugins.DEFAULT_PLUGINS` lists them.
"""
