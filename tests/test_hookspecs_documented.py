"""docs/plugins.md cannot drift from scanner/hookspecs.py: every hook has a heading that is its
exact signature, each argument is described under it, and no heading names a hook that is gone."""

from __future__ import annotations

import re
import types
from pathlib import Path

import pluggy
import pytest

from scanner import hookspecs

DOCS = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"
HOOK_HEADING = re.compile(r"^### (eobscan_\w+)\((.*)\)$", re.MULTILINE)


def hook_signatures(specs: types.ModuleType | type = hookspecs) -> dict[str, str]:
    """``{name: "name(arg1, arg2)"}`` for every hook, from the specs pluggy actually loads."""
    pm = pluggy.PluginManager("eobscan")
    pm.add_hookspecs(specs)
    signatures = {}
    for name in dir(pm.hook):
        caller = getattr(pm.hook, name)
        if isinstance(caller, pluggy.HookCaller) and caller.spec is not None:
            signatures[name] = f"{name}({', '.join(caller.spec.argnames)})"
    return signatures


def hook_reference(text: str | None = None) -> str:
    text = DOCS.read_text(encoding="utf-8") if text is None else text
    start = text.index("\n## Hook reference\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def section(signature: str) -> str:
    reference = hook_reference()
    start = reference.index(f"\n### {signature}\n")
    end = reference.find("\n### ", start + 1)
    return reference[start : end if end != -1 else len(reference)]


def test_the_hooks_are_found() -> None:
    assert set(hook_signatures()) == {"eobscan_register_checks", "eobscan_register_parsers"}


@pytest.mark.parametrize("signature", sorted(hook_signatures().values()))
def test_every_hook_has_a_heading_with_its_exact_signature(signature: str) -> None:
    assert f"\n### {signature}\n" in hook_reference(), f"docs/plugins.md lacks the heading '### {signature}'"


@pytest.mark.parametrize("name", sorted(hook_signatures()))
def test_every_argument_of_every_hook_is_described(name: str) -> None:
    pm = pluggy.PluginManager("eobscan")
    pm.add_hookspecs(hookspecs)
    spec = getattr(pm.hook, name).spec
    assert spec is not None
    body = section(hook_signatures()[name])
    missing = [arg for arg in spec.argnames if f"\n- `{arg}`: " not in body]
    assert not missing, f"the section of {name} does not describe {missing}"


def test_no_heading_documents_a_hook_that_does_not_exist() -> None:
    documented = {f"{name}({args})" for name, args in HOOK_HEADING.findall(hook_reference())}
    assert documented == set(hook_signatures().values())


def test_every_hook_has_a_docstring_for_the_reference() -> None:
    for name in hook_signatures():
        doc = getattr(hookspecs, name).__doc__ or ""
        assert doc.strip(), f"{name} has no docstring"


def test_a_new_undocumented_hook_would_be_caught() -> None:
    """The check above reads the real specs: a hook added to them without docs shows up."""

    class WithNewHook:
        @hookspecs.hookspec
        def eobscan_register_letters(self, register: object, locale: str) -> None:
            """Register letter templates."""

    signatures = hook_signatures(WithNewHook)
    assert signatures == {"eobscan_register_letters": "eobscan_register_letters(register, locale)"}
    assert f"\n### {signatures['eobscan_register_letters']}\n" not in hook_reference()
    documented = "# Guide\n\n## Hook reference\n\n### eobscan_register_letters(register)\n\n## Next\n"
    assert "(register, locale)" not in hook_reference(documented)
