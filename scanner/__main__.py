"""``python -m scanner``: the same as the ``eobscan`` command."""

from scanner.cli import main

raise SystemExit(main())
