"""The wire model: API.md's shape, exact money, absent amounts kept absent."""

import datetime as dt

import msgspec
import pytest

from scanner.model import Finding, ScanRequest, decode_request, encode
from scanner.money import Money


def _request(line: dict[str, object]) -> bytes:
    return msgspec.json.encode({"claims": [{"id": "c1", "lines": [{"id": "l1", **line}]}]})


def test_amounts_in_every_wire_form_become_cents() -> None:
    request = decode_request(
        b'{"claims":[{"id":"c1","lines":[{"id":"l1","billed":"$1,185.00","allowed":120.5,'
        b'"plan_paid":100,"adjustments":[{"group":"CO","reason":"45","amount":"(12.00)"}]}]}]}'
    )
    line = request.claims[0].lines[0]
    assert (line.billed, line.allowed, line.plan_paid) == (118500, 12050, 10000)
    assert line.adjustments[0].amount == -1200


def test_absent_amounts_stay_absent_and_are_written_as_null() -> None:
    request = decode_request(_request({"billed": "0.00"}))
    line = request.claims[0].lines[0]
    assert line.billed == 0
    assert line.allowed is None
    wire = msgspec.json.decode(encode(request))
    assert wire["claims"][0]["lines"][0]["billed"] == "0.00"
    assert wire["claims"][0]["lines"][0]["allowed"] is None


def test_amounts_built_in_code_are_written_as_money_strings() -> None:
    finding = Finding(
        rule="INS001",
        name="x",
        check="c",
        error_class="network",
        severity="error",
        confidence="high",
        title="t",
        message="m",
        claim_id="c1",
        amount_at_stake=500,
    )
    assert type(finding.amount_at_stake) is Money
    assert b'"amount_at_stake":"5.00"' in encode(finding)


@pytest.mark.parametrize(
    ("payload", "path", "reason"),
    [
        (_request({"billed": "1.234,56"}), "$.claims[0].lines[0].billed", "period for cents"),
        (_request({"billed": 1.005}), "$.claims[0].lines[0].billed", "two decimals"),
        (_request({"units": "two"}), "$.claims[0].lines[0].units", "Expected `int`"),
        (_request({"service_date": "2026-02-30"}), "$.claims[0].lines[0].service_date", "date"),
        (_request({"network": "Jane Doe"}), "$.claims[0].lines[0].network", "enum"),
        (b'{"claims":[{"id":"c1","lines":[{"id":"l1"},{"id":"l1"}]}]}', "$.claims[0]", "unique"),
        (b'{"claims":[{"id":"c1","totals":{"billed":"-5.00"}}]}', "$.claims[0]", "negative"),
        (b'{"claims":[{"lines":[]}]}', "$.claims[0]", "missing required field `id`"),
    ],
)
def test_invalid_fields_are_named_by_their_json_path(payload: bytes, path: str, reason: str) -> None:
    with pytest.raises(msgspec.ValidationError) as caught:
        decode_request(payload)
    assert f"at `{path}`" in str(caught.value)
    assert reason in str(caught.value)


def test_unknown_fields_are_rejected_by_name() -> None:
    with pytest.raises(msgspec.ValidationError, match="unknown field `memberName`"):
        decode_request(b'{"claims":[],"memberName":"x"}')


def test_a_request_round_trips_byte_for_byte() -> None:
    payload = _request({"billed": "10.00", "allowed": "8.00", "service_date": "2026-01-05"})
    once = encode(decode_request(payload))
    assert encode(decode_request(once)) == once
    assert isinstance(decode_request(payload).claims[0].lines[0].service_date, dt.date)
    assert isinstance(decode_request(payload), ScanRequest)
