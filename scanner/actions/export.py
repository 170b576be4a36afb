"""Writing the action pack to files, for ``eobscan scan --letters DIR --ics FILE --report FILE``.

The same outputs as the upload page: one text file per letter plus a call sheet, the calendar,
and the evidence pack (HTML, or PDF when the file name ends in ``.pdf``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scanner.actions.calendar import to_ics
from scanner.actions.letters import fill_local
from scanner.actions.plan import ActionPlan, plan_actions
from scanner.model import ScanRequest, ScanResult


class ExportError(Exception):
    """An output that cannot be written; the message names the path and the reason."""


def write_outputs(
    request: ScanRequest,
    result: ScanResult,
    *,
    letters: Path | None = None,
    ics: Path | None = None,
    report: Path | None = None,
) -> list[str]:
    """Write what was asked for; return one line per output for the user."""
    plan = plan_actions(request, result)
    done: list[str] = []
    try:
        if letters is not None:
            done.append(_write_letters(plan, request, result, letters))
        if ics is not None:
            calendar = to_ics(plan.deadlines, stamp=dt.datetime.now(dt.UTC))
            ics.write_text(calendar, encoding="utf-8", newline="")
            done.append(f"wrote {len(plan.deadlines)} deadline(s) to {ics}")
        if report is not None:
            _write_report(request, result, plan, report)
            done.append(f"wrote the evidence pack to {report}")
    except OSError as exc:
        raise ExportError(f"{exc.filename or 'output'}: cannot be written ({exc.strerror})") from None
    return done


def _write_letters(plan: ActionPlan, request: ScanRequest, result: ScanResult, folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for letter in plan.letters():
        (folder / letter.filename).write_text(letter.text, encoding="utf-8")
        written += 1
    (folder / "calls.txt").write_text(call_sheet(plan, request, result), encoding="utf-8")
    return f"wrote {written} letter(s) and calls.txt to {folder}"


def call_sheet(plan: ActionPlan, request: ScanRequest, result: ScanResult) -> str:
    """Every call to make, finding by finding, as plain text; claim numbers the files gave are
    filled in (they never left this machine)."""
    numbers = {claim.id: claim.claim_number for claim in request.claims}
    blocks: list[str] = []
    for item in plan.findings:
        finding = result.findings[item.finding]
        known = {"claim_number": numbers.get(finding.claim_id) or ""}
        for call in item.calls:
            due = f" (by {call.deadline.isoformat()})" if call.deadline else ""
            blocks.append(
                fill_local(
                    "\n".join(
                        [
                            f"{finding.rule} {finding.title}: claim {finding.claim_id}{due}",
                            f"Call: {call.who}",
                            "Have at hand: " + "; ".join(call.have_at_hand),
                            f"Say: {call.say}",
                            "Ask for:",
                            *(f"  - {ask}" for ask in call.ask_for),
                            call.in_writing,
                            "Note down: " + "; ".join(call.note_down),
                            *([f"Letter: {call.letter}"] if call.letter else []),
                        ]
                    ),
                    known,
                )
            )
    return ("\n\n".join(blocks) if blocks else "No calls to make: no findings.") + "\n"


def _write_report(request: ScanRequest, result: ScanResult, plan: ActionPlan, path: Path) -> None:
    if path.suffix.lower() == ".pdf":
        from scanner.actions.report_pdf import render_pdf

        path.write_bytes(render_pdf(request, result, plan))
        return
    from scanner.actions.report import render_html

    path.write_text(render_html(request, result, plan), encoding="utf-8")
