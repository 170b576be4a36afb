"""Every scenario of the check suites, through the full registry and into the action pack: the
letters the checks ask for exist, render, and the pack and calendar come out whole."""

from __future__ import annotations

import io
from pathlib import Path

import icalendar
import pytest
from pypdf import PdfReader

from scanner.actions.calendar import to_ics
from scanner.actions.letters import COMPANIONS, TEMPLATE_IDS
from scanner.actions.plan import plan_actions
from scanner.actions.report import render_html
from scanner.actions.report_pdf import render_pdf
from scanner.engine import scan
from scanner.model import decode_request
from scanner.plugins import Registry, load_registry

SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("**/*.request.json"))


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry({"EOBSCAN_PLUGINS": ""})


def test_there_are_scenarios_to_run() -> None:
    assert SCENARIOS


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: f"{p.parent.name}/{p.name.split('.')[0]}")
def test_a_scenario_becomes_a_complete_action_pack(path: Path, registry: Registry) -> None:
    request = decode_request(path.read_bytes())
    result = scan(request, registry)
    plan = plan_actions(request, result)

    asked: list[tuple[int, str]] = []
    for index, finding in enumerate(result.findings):
        for action in finding.actions:
            if action.template is None:
                continue
            assert action.template in TEMPLATE_IDS, (
                f"{finding.rule} asks for unknown letter {action.template}"
            )
            for template in (action.template, *COMPANIONS.get(action.template, ())):
                if (index, template) not in asked:
                    asked.append((index, template))
    rendered = [(item.finding, letter.template) for item in plan.findings for letter in item.letters]
    assert sorted(rendered) == sorted(asked)
    for item in plan.findings:
        assert len(item.calls) == len(result.findings[item.finding].actions)

    html = render_html(request, result, plan)
    assert html.count('<article class="finding') == len(result.findings)
    assert html.count('<pre class="letter">') == len(rendered)
    events = icalendar.Calendar.from_ical(to_ics(plan.deadlines)).walk("VEVENT")
    assert len(events) == len(plan.deadlines) == len(result.deadlines)
    if result.findings:
        pdf = PdfReader(io.BytesIO(render_pdf(request, result, plan)))
        first = "\n".join(page.extract_text() for page in pdf.pages[:3])
        assert result.findings[0].rule in first
