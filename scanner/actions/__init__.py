"""From findings to action: deadlines, call scripts, letters, the calendar and the evidence pack.

Only :func:`deadlines_from` is imported here, because the engine calls it on every scan; the
letters, calendar and report modules are imported by whoever renders them.
"""

from scanner.actions.schedule import deadlines_from

__all__ = ["deadlines_from"]
