"""EOB Scanner's built-in plugins (a package of this project, see ``plugins.checks``)."""
