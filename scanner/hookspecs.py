"""The plugin contract. Each hook's docstring is its reference documentation.

A plugin is a module (or object) with functions marked ``@scanner.hookimpl`` whose names are the
hooks below. An implementation may accept any subset of a hook's arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("eobscan")
hookimpl = pluggy.HookimplMarker("eobscan")


@hookspec
def eobscan_register_checks(register: Callable[[Any], None]) -> None:
    """Register the plugin's checks by calling ``register(check)`` once per check.

    A check is an object with ``name`` (unique, snake_case), ``version``, ``rules`` (a sequence
    of :class:`scanner.model.Rule`, each with its own code that no other plugin uses) and
    ``check(claims, context)``, which returns an iterable of :class:`scanner.model.Finding`
    built with ``rule.finding(...)``. The host only lists a check's rules when it is registered;
    it runs ``check`` once per scan, on its own, and reports an exception as that check's error
    while keeping every other check's findings.
    """


@hookspec
def eobscan_register_parsers(register: Callable[[Any], None]) -> None:
    """Register the plugin's document parsers by calling ``register(parser)`` once per parser.

    A parser turns one kind of document (an insurer's PDF layout, a portal's CSV export) into
    claims. See :mod:`scanner.ingest` for the parser interface: ``name``, ``version``,
    ``sniff(data, filename)`` and ``parse(data, ...)``.
    """
