"""Every fault of reading an answer is a protocol error naming the operation: nesting too deep to
parse, bytes that are not UTF-8, strings that are not Unicode, values a view cannot read. None of
them is ever taken for a rule's failure, and ``smoke`` says each in one line, never a traceback.

Answers are played by real loopback servers (:mod:`tests.hostile_server`) or by a proxy in front
of the reference (:mod:`tests.fault_proxy`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from billing_conformance import smoke as smoke_module
from billing_conformance.cli import main
from billing_conformance.exits import EXIT_SMOKE
from reference_impl.server import RunningServer
from steps.targets import views
from steps.targets.errors import ProtocolError
from steps.targets.profile import Profile
from steps.targets.protocol import Refusal, Refused
from steps.targets.transport import MAX_ANSWER_DEPTH, HttpClient
from tests.fault_proxy import Fault, envelope, fault_proxy, nested
from tests.hostile_server import hostile_server, raw, scripted
from tests.suite_runner import run_suite

CATALOG = "/v1/catalog/products"


def _list_catalog(url: str) -> tuple[int, object]:
    client = HttpClient(Profile(url, "test", request_seconds=5))
    return client.call("list catalog", "GET", CATALOG, response_schema="catalog-response")


def _catalog_nested(levels: int) -> bytes:
    """A catalog answer whose arrays and objects nest ``levels`` deep in all (an extra field)."""
    inner = levels - 1  # the answer's own object is the first level
    return b'{"success": true, "products": [], "extra": ' + b"[" * inner + b"]" * inner + b"}"


# -- decoding ----------------------------------------------------------------------------------------


def test_an_answer_nested_100000_levels_deep_is_a_protocol_error() -> None:
    """About 200 KB of brackets: refused before parsing, not a RecursionError."""
    deep = raw(200, b"[" * 100_000 + b"]" * 100_000)
    with hostile_server(deep) as server, pytest.raises(ProtocolError) as raised:
        _list_catalog(server.url)
    assert str(raised.value) == (
        f"list catalog: protocol error: HTTP 200 with a body nested more than {MAX_ANSWER_DEPTH} levels deep"
    )


def test_the_nesting_limit_lets_through_exactly_its_depth() -> None:
    """An answer nested to the limit is read; one level more is refused. Brackets inside strings
    do not count."""
    text = b', "text": "' + b"[" * 500 + b'"}'
    bodies = [_catalog_nested(levels)[:-1] + text for levels in (MAX_ANSWER_DEPTH, MAX_ANSWER_DEPTH + 1)]
    with hostile_server(scripted(raw(200, bodies[0]), raw(200, bodies[1]))) as server:
        assert _list_catalog(server.url)[0] == 200
        with pytest.raises(ProtocolError, match="nested more than"):
            _list_catalog(server.url)


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b'{"success": true, "products": [], "name": "caf\xe9"}', "not UTF-8 text"),
        (b'{"success": true, "products": [], "name": "\xed\xa0\x80"}', "not UTF-8 text"),
        (b'{"success": true, "products": [], "name": "\\ud800 alone"}', "not Unicode (a lone surrogate)"),
    ],
    ids=["latin-1-byte", "encoded-surrogate", "escaped-lone-surrogate"],
)
def test_text_that_is_not_utf8_or_not_unicode_is_a_protocol_error(body: bytes, said: str) -> None:
    """JSON on the wire is UTF-8; a string that cannot be written as UTF-8 again (it would break
    the results files) is refused as the answer's fault."""
    with hostile_server(raw(200, body)) as server, pytest.raises(ProtocolError) as raised:
        _list_catalog(server.url)
    assert raised.value.operation == "list catalog"
    assert said in str(raised.value)


def test_an_escaped_surrogate_pair_is_read_and_a_lone_one_refused() -> None:
    """An escaped pair (an emoji) is valid text and is read; the same answer with its second half
    left out is refused."""
    pair = b'{"success": true, "products": [], "name": "\\ud83d\\ude00"}'
    with hostile_server(scripted(raw(200, pair), raw(200, pair.replace(b"\\ude00", b"")))) as server:
        assert _list_catalog(server.url)[1] == {"success": True, "products": [], "name": "\U0001f600"}
        with pytest.raises(ProtocolError, match="lone surrogate"):
            _list_catalog(server.url)


# -- viewing -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read", "field"),
    [
        (
            lambda: views.bill_run_view(
                views.Fields("get bill run", {"id": "1", "status": "Completed", "targetDate": "soon"})
            ),
            "$",
        ),
        (lambda: views.Fields("get invoice", ["not", "an", "object"]), "$"),  # type: ignore[arg-type]
        (lambda: views.Fields("query invoices", {"data": "abc"}).items("data"), "$.data"),
        (lambda: views.Fields("query invoices", {"data": ["abc"]}).items("data"), "$.data[0]"),
        (
            lambda: views.memo_item_view(
                views.Fields("get credit memo items", {"amount": 1, "financeInformation": [1]})
            ),
            "$",
        ),
        (lambda: views.Fields("get invoice", {"amount": "1e30"}).number("amount"), "$.amount"),
        (lambda: views.Fields("get invoice", {"amount": "NaN"}).number("amount"), "$.amount"),
    ],
    ids=[
        "date-that-is-no-date",
        "body-not-an-object",
        "list-not-a-list",
        "record-not-an-object",
        "finance-information-not-an-object",
        "number-too-large",
        "number-not-finite",
    ],
)
def test_a_value_a_view_cannot_read_is_a_protocol_error_naming_the_operation(
    read: object, field: str
) -> None:
    with pytest.raises(ProtocolError) as raised:
        read()  # type: ignore[operator]
    assert raised.value.operation in str(raised.value)
    assert raised.value.operation.startswith(("get ", "query "))
    assert raised.value.field == field


def test_a_number_is_read_exactly_up_to_24_digits_before_the_point() -> None:
    """A large but ordinary amount is read exactly; one digit more is a protocol error."""
    read = views.Fields("get invoice", {"amount": "123456789012345678901234.50", "balance": "1" + "0" * 24})
    assert read.number("amount") == Decimal("123456789012345678901234.50")
    with pytest.raises(ProtocolError, match="at most 24 digits"):
        read.number("balance")


def test_an_error_envelope_whose_reasons_are_not_a_list_is_still_a_refusal() -> None:
    """A refusal whose reasons are malformed is still a refusal, with no code (never a KeyError)."""
    assert views.refused("cancel bill run", {"success": False, "reasons": {"code": 1}}) == Refused(
        "cancel bill run", Refusal.from_code(""), "", ""
    )


# -- through the suite, and the smoke check --------------------------------------------------------


def test_a_deeply_nested_answer_to_a_deletion_errors_the_scenario_and_breaks_no_rule(
    pytester: pytest.Pytester, reference_server: RunningServer
) -> None:
    """Every bill-run deletion answered 100,000 levels deep: the scenarios that delete are errored
    with a protocol error naming the operation; none failed, BR-DELETE is not broken."""
    deep = Fault("DELETE", r"/v1/bill-runs/[^/]+", nested(100_000))
    with fault_proxy(reference_server.url, deep) as proxy:
        result = run_suite(pytester, proxy.url, "--rule", "BR-DELETE")
    assert deep.served >= 2
    outcomes = result.outcomes["BR-DELETE"]
    assert "failed" not in outcomes.values()
    errored = [node for node, outcome in outcomes.items() if outcome == "errored"]
    assert len(errored) == deep.served
    assert all("delete bill run: protocol error" in result.messages[node] for node in errored)
    assert result.broken == set()


def test_smoke_meeting_a_deeply_nested_answer_fails_in_one_line(
    reference_server: RunningServer, capsys: pytest.CaptureFixture[str]
) -> None:
    with fault_proxy(reference_server.url, Fault("GET", CATALOG, nested(100_000))) as proxy:
        status = main(["smoke", "--target", proxy.url])
    out = capsys.readouterr()
    assert status == EXIT_SMOKE
    assert out.out.splitlines() == [
        "FAIL reachable and authenticated: list catalog: protocol error: HTTP 200 with a body nested "
        f"more than {MAX_ANSWER_DEPTH} levels deep"
    ]
    assert "Traceback" not in out.out + out.err


def test_smoke_against_a_target_without_the_control_info_fails_in_one_line(
    reference_server: RunningServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """A profile-less loopback target is taken to have the control API; one whose info is not
    found fails the control check, naming the operation."""
    missing = Fault("GET", "/conformance/v1", envelope(404, "50000040", "Not found."))
    with fault_proxy(reference_server.url, missing) as proxy:
        status = main(["smoke", "--target", proxy.url])
    out = capsys.readouterr()
    assert status == EXIT_SMOKE
    failed = [line for line in out.out.splitlines() if line.startswith("FAIL")]
    assert failed == [
        "FAIL control API: could not learn how to keep the scenarios apart: control info: the target "
        "lacks the control operation 'info' (GET /conformance/v1 answered HTTP 404)"
    ]
    assert "Traceback" not in out.out + out.err


def test_smoke_says_an_unexpected_fault_of_a_check_in_one_line(
    reference_server: RunningServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whatever goes wrong inside a check, even a fault of the kit, is that check's one line."""

    def broken(_target: object) -> str:
        raise RuntimeError("something\nunforeseen")

    monkeypatch.setattr(smoke_module, "CHECKS", (("reachable and authenticated", broken),))
    status = main(["smoke", "--target", reference_server.url])
    out = capsys.readouterr()
    assert status == EXIT_SMOKE
    assert out.out.splitlines() == [
        "FAIL reachable and authenticated: the check failed unexpectedly: something unforeseen"
    ]
    assert "Traceback" not in out.out + out.err
