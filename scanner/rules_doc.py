"""``docs/rules.md``: the rules reference, generated from the rules' own metadata.

The docs cannot drift from the code: a test renders this page and compares it with the file.
Regenerate with ``make docs``.
"""

from __future__ import annotations

from collections.abc import Iterable

from scanner.model import Rule
from scanner.plugins import load_registry

HEADER = """# Rules reference

Every rule the built-in checks apply, generated from the rules' metadata (`make docs`).
`eobscan explain CODE` and `GET /v1/checks/{code}` show the same text. Severity: **error** means
you likely don't owe this; **warning**, worth checking; **info**, a saving to ask for.
"""


def render(rules: Iterable[Rule]) -> str:
    rules = sorted(rules, key=lambda r: r.code)
    parts = [HEADER, "| code | name | class | severity | summary |", "|---|---|---|---|---|"]
    parts += [
        f"| [{r.code}](#{r.code.lower()}) | `{r.name}` | {r.error_class} | {r.severity} | {r.summary} |"
        for r in rules
    ]
    for rule in rules:
        parts += [
            "",
            f"## {rule.code}",
            "",
            f"`{rule.name}` ({rule.error_class}, {rule.severity}, check `{rule.check}`)",
            "",
        ]
        parts.append(rule.summary)
        if rule.docs is None:
            continue
        for title, body in (
            ("What it checks", rule.docs.what_it_checks),
            ("Why it matters", rule.docs.why_it_matters),
            ("Example", rule.docs.example),
            ("What to do", rule.docs.what_to_do),
        ):
            parts += ["", f"**{title}.** {body}"]
        if rule.docs.references:
            parts += ["", "**References.**", ""]
            parts += [
                f"- {ref.title}: [{ref.citation}]({ref.url})" if ref.url else f"- {ref.title}: {ref.citation}"
                for ref in rule.docs.references
            ]
    return "\n".join(parts) + "\n"


def built_in_rules_page() -> str:
    return render(load_registry({"EOBSCAN_PLUGINS": ""}).rules.values())


if __name__ == "__main__":
    print(built_in_rules_page(), end="")
