"""EOB Scanner: find the errors in an Explanation of Benefits, and what to do about them.

Plugin authors import from here: ``hookimpl`` marks hook implementations; the model and the check
contract live in :mod:`scanner.model` and :mod:`scanner.checks`.
"""

from scanner.hookspecs import hookimpl

__all__ = ["hookimpl"]
