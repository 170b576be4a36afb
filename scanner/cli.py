"""The ``eobscan`` command: serve, scan, checks, explain, plugins.

Exit status of ``scan``: 0 when no error-level finding, 1 when there is one, 2 on bad input, so
a script can tell "looks right" from "look at this" from "could not read it".
"""

from __future__ import annotations

import argparse
import datetime as dt
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple, TextIO

import msgspec

from scanner.actions.stake_split import stake_parts_text
from scanner.cli_bill import add_bill_arguments, bill_from_args
from scanner.ingest_bridge import InputError, read_input
from scanner.linked_stakes import DEDUCTIBLE_FIELD, EVIDENCE_FIELD, YEAR_FIELD, linked_evidence
from scanner.model import Plan, Rule, ScanRequest, ScanResult, decode, encode
from scanner.money import dollars, parse_money
from scanner.plugins import Registry, RegistryError, default_registry
from scanner.settings import SettingError
from scanner.standings import described

EXIT_CLEAN, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="eobscan", description="Find the errors in an EOB.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="start the local service")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--token", default=None, help="bearer token (default: generated and printed)")
    serve.add_argument("--server", choices=("uvicorn", "granian"), default="uvicorn")

    scan = commands.add_parser("scan", help="scan EOB files")
    scan.add_argument("files", nargs="+", type=Path)
    scan.add_argument("--plan", type=Path, help="plan details as JSON")
    scan.add_argument("--as-of", type=dt.date.fromisoformat, help="today's date for deadlines")
    scan.add_argument("--format", choices=("text", "json"), default="text")
    scan.add_argument("--letters", type=Path, metavar="DIR", help="write the letters and a call sheet here")
    scan.add_argument("--ics", type=Path, metavar="FILE", help="write the deadlines as a calendar file")
    scan.add_argument("--report", type=Path, metavar="FILE", help="write the evidence pack (.html or .pdf)")
    add_bill_arguments(scan)

    checks = commands.add_parser("checks", help="list the rules")
    checks.add_argument("--format", choices=("text", "json"), default="text")

    explain = commands.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("code")

    plugins = commands.add_parser("plugins", help="list the installed plugins")
    plugins.add_argument("--format", choices=("text", "json"), default="text")

    data = commands.add_parser("data", help="manage reference data")
    data_commands = data.add_subparsers(dest="data_command", required=True)
    pfs = data_commands.add_parser(
        "import-pfs", help="import your own CMS Medicare Physician Fee Schedule files (numbers only)"
    )
    pfs.add_argument("--rvu", type=Path, required=True, help="the PPRRVU CSV of a CMS PFS release")
    pfs.add_argument("--gpci", type=Path, required=True, help="the GPCI CSV of the same release")
    pfs.add_argument("--year", type=int, default=None, help="the year (default: from the file names)")
    pfs.add_argument("--to", type=Path, default=None, help="folder (default: the user data folder)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        registry = default_registry()
    except RegistryError as exc:
        print(f"eobscan: plugins cannot be loaded: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SettingError as exc:
        print(f"eobscan: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    handler = {
        "serve": _serve,
        "scan": _scan,
        "checks": _checks,
        "explain": _explain,
        "plugins": _plugins,
        "data": _data,
    }[args.command]
    try:
        return handler(args, registry, sys.stdout)
    except (InputError, SettingError) as exc:
        print(f"eobscan: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


# --- serve ---------------------------------------------------------------------------------


def _serve(args: argparse.Namespace, registry: Registry, out: TextIO) -> int:
    from scanner.logs import configure_logging
    from scanner.service.app import create_app
    from scanner.settings import Settings

    settings = Settings.from_env(host=args.host, port=args.port, token=args.token)
    if not _port_is_free(settings.host, settings.port):
        raise InputError(
            f"{settings.host}:{settings.port} is already in use (is EOB Scanner already running?); "
            "choose another port with --port"
        )
    configure_logging(settings.log_format)
    for failure in registry.failures:
        print(f"plugin {failure.name} not loaded: {failure.reason}", file=sys.stderr)
    app = create_app(settings, registry)
    from scanner.ingest.sandbox import warm

    warm()  # start the PDF reader process now, not on the first upload
    base = f"http://{settings.host}:{settings.port}"
    print(f"EOB Scanner is running at {base}/?token={settings.token}", file=out)
    print(f"  token: {settings.token}", file=out)
    print(f"  API docs: {base}/docs   demo portal page: {base}/demo", file=out)
    print(
        "  extension: open chrome://extensions, turn on Developer mode, 'Load unpacked', choose the "
        "extension/ folder, then paste the token in its options.",
        file=out,
    )
    out.flush()
    if args.server == "granian":
        _run_granian(app, settings.host, settings.port)
    else:
        import uvicorn

        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_config=None,
            access_log=False,
            server_header=False,
        )
    return EXIT_CLEAN


def _port_is_free(host: str, port: int) -> bool:
    """Whether a server could listen there now. SO_REUSEADDR, as the server itself sets it, so
    connections of a just-stopped instance (TIME_WAIT) do not count as "in use"."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _run_granian(app: Any, host: str, port: int) -> None:
    import asyncio

    from granian.constants import Interfaces
    from granian.server.embed import Server

    server = Server(app, address=host, port=port, interface=Interfaces.ASGI)
    asyncio.run(server.serve())


# --- scan ----------------------------------------------------------------------------------


class ScanInput(NamedTuple):
    request: ScanRequest
    notes: list[str]
    documents: bool


def read_scan_request(files: Sequence[Path], plan_file: Path | None, as_of: dt.date | None) -> ScanInput:
    """Every file becomes claims (a ScanRequest JSON, or a document a parser understands)."""
    from scanner.ingest_bridge import claims_from_file

    request = ScanRequest(claims=[])
    notes: list[str] = []
    documents = False
    for path in files:
        part = claims_from_file(read_input(path), path.name)
        request.claims.extend(part.request.claims)
        request.bills.extend(part.request.bills)
        request.plan = part.request.plan or request.plan
        request.as_of = part.request.as_of or request.as_of
        notes.extend(f"{path.name}: {note}" for note in part.notes)
        documents = documents or part.is_document
    if plan_file is not None:
        request.plan = _read_plan(plan_file)
    if as_of is not None:
        request.as_of = as_of
    if not request.claims:
        raise InputError("no claims found in the given files")
    return ScanInput(request, notes, documents)


def _read_plan(path: Path) -> Plan:
    data = read_input(path)
    try:
        plan: Plan = decode(data, Plan)
    except msgspec.ValidationError as exc:
        from scanner.service.errors import validation_problem

        raise InputError(f"{path}: {validation_problem(exc).problem.detail}") from None
    except msgspec.DecodeError:
        raise InputError(f"{path}: not valid JSON") from None
    return plan


def _scan(args: argparse.Namespace, registry: Registry, out: TextIO) -> int:
    from scanner.engine import scan
    from scanner.settings import Settings

    request, notes, documents = read_scan_request(args.files, args.plan, args.as_of)
    bill, bill_notes = bill_from_args(args, request.claims)
    if bill is not None:
        request.bills.append(bill)
        notes.extend(f"{args.bill_file.name}: {note}" for note in bill_notes)
    result = scan(request, registry, budget_ms=Settings.from_env().check_budget_ms)
    if documents or bill_notes:  # show what was read, so the user can check the extraction
        result.claims, result.bills = request.claims, request.bills
        result.notes = [*notes, *result.notes]
    if args.format == "json":
        out.write(encode(result).decode() + "\n")
    else:
        out.write(format_result(result))
    if args.letters or args.ics or args.report:
        from scanner.actions.export import ExportError, write_outputs

        try:
            done = write_outputs(request, result, letters=args.letters, ics=args.ics, report=args.report)
        except ExportError as exc:
            raise InputError(str(exc)) from None
        for line in done:
            print(line, file=sys.stderr)
    return EXIT_FINDINGS if result.summary.counts.get("error", 0) else EXIT_CLEAN


#: Why a finding counts for less in the total, by the evidence field that says so.
_LINKED_REASONS = {
    EVIDENCE_FIELD: "the rest is past the maximum only because of the overcharges before it.",
    DEDUCTIBLE_FIELD: "the rest is beyond the deductible only because of the overcharges before it.",
    YEAR_FIELD: "corrected, it would reach the deductible or the maximum later, and the later claims "
    "of the year would charge the rest.",
}


def _linked_notes(result: ScanResult) -> list[str]:
    """Why the total is less than the table's rows: findings that are alternatives to others
    across the plan year count only for what they add (:mod:`scanner.linked_stakes`)."""
    notes = []
    for f in result.findings:
        evidence = linked_evidence(f)
        if evidence is not None and evidence.value is not None:
            notes.append(
                f"  {f.rule} on claim {f.claim_id} counts {dollars(parse_money(evidence.value))} in the "
                f"total: {_LINKED_REASONS[evidence.field]}"
            )
    return notes


def format_result(result: ScanResult) -> str:
    """A readable table: one row per finding, then the totals."""
    rows = [("SEVERITY", "RULE", "CLAIM", "LINES", "AT STAKE", "TITLE")]
    for f in result.findings:
        rows.append(
            (f.severity, f.rule, f.claim_id, ",".join(f.line_ids) or "-", dollars(f.amount_at_stake), f.title)
        )
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:5], widths, strict=True)) + "  " + row[5]
        for row in rows
    ]
    summary = result.summary
    counts = ", ".join(f"{summary.counts.get(s, 0)} {s}" for s in ("error", "warning", "info"))
    lines.append("")
    lines.append(f"Findings: {counts}")
    lines.append(f"You were asked to pay: {dollars(summary.patient_responsibility)}")
    lines.append(f"Total at stake: {dollars(summary.amount_at_stake)}")
    parts = stake_parts_text(summary)
    if parts:
        lines.append(f"  {parts}")
    lines.extend(_linked_notes(result))
    lines.extend(
        f"Plan standing printed with claim {claim.id} {described(claim.accumulators)}"
        for claim in result.claims
        if claim.accumulators is not None
    )
    lines.extend(f"Note: {note}" for note in result.notes)
    failed = [c for c in result.checks if c.status == "error"]
    lines.extend(f"Check {c.name} failed: {c.error}" for c in failed)
    return "\n".join(lines) + "\n"


# --- catalogue -----------------------------------------------------------------------------


def _checks(args: argparse.Namespace, registry: Registry, out: TextIO) -> int:
    rules = [rule for _, rule in sorted(registry.rules.items())]
    if args.format == "json":
        out.write(encode([rule.listing() for rule in rules]).decode() + "\n")
        return EXIT_CLEAN
    for rule in rules:
        out.write(f"{rule.code}  {rule.severity:<7}  {rule.name:<45}  {rule.summary}\n")
    return EXIT_CLEAN


def explain_text(rule: Rule) -> str:
    docs = rule.docs
    parts = [f"{rule.code} {rule.name} ({rule.error_class}, {rule.severity})", "", rule.summary]
    if docs is not None:
        for title, body in (
            ("What it checks", docs.what_it_checks),
            ("Why it matters", docs.why_it_matters),
            ("Example", docs.example),
            ("What to do", docs.what_to_do),
        ):
            parts += ["", title, body]
        if docs.references:
            parts += ["", "References"]
            parts += [f"- {ref.title}: {ref.citation} {ref.url or ''}".rstrip() for ref in docs.references]
    return "\n".join(parts) + "\n"


def _explain(args: argparse.Namespace, registry: Registry, out: TextIO) -> int:
    rule = registry.rule(args.code)
    if rule is None:
        raise InputError(f"no rule has the code {args.code.upper()!r}; see 'eobscan checks'")
    out.write(explain_text(rule))
    return EXIT_CLEAN


def _plugins(args: argparse.Namespace, registry: Registry, out: TextIO) -> int:
    if args.format == "json":
        out.write(encode({"plugins": registry.plugins, "failures": registry.failures}).decode() + "\n")
        return EXIT_CLEAN
    for info in registry.plugins:
        kind = "built-in" if info.builtin else "installed"
        provides = ", ".join(info.checks + info.parsers) or "-"
        out.write(f"{info.name} {info.version} ({kind}): {provides}\n")
    for failure in registry.failures:
        out.write(f"{failure.name}: NOT LOADED ({failure.stage}: {failure.reason})\n")
    return EXIT_CLEAN


def _data(args: argparse.Namespace, registry: Registry, out: TextIO) -> int:
    from scanner.pfs_import import ImportProblem, import_pfs

    try:
        result = import_pfs(args.rvu, args.gpci, year=args.year, destination=args.to)
    except ImportProblem as exc:
        raise InputError(str(exc)) from None
    except OSError as exc:
        raise InputError(f"cannot write the imported tables ({exc.strerror})") from None
    out.write(
        f"Imported {result.codes} priced codes and {result.localities} localities for {result.year} "
        f"into {result.rvu_path.parent}\n"
    )
    return EXIT_CLEAN


if __name__ == "__main__":
    raise SystemExit(main())
