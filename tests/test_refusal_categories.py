"""What each of Zuora's error categories means to a verdict (:mod:`steps.targets.categories`):
only a business answer is judged by a rule; a contention or temporary error is retried and then
errored, an internal error is errored, refused credentials are a credentials fault. Played by a
real loopback server (:mod:`tests.hostile_server`) and, for the verdict, by a proxy in front of
the reference (:mod:`tests.fault_proxy`)."""

from __future__ import annotations

import json

import pytest

from reference_impl.server import RunningServer
from steps.targets.answers import Answer
from steps.targets.categories import Meaning, category_of, meaning_of, retried
from steps.targets.errors import AuthenticationError, TargetFailedError, TransportError
from steps.targets.profile import Profile
from steps.targets.transport import HttpClient
from tests.fault_proxy import Fault, envelope, fault_proxy
from tests.hostile_server import answer, hostile_server, scripted
from tests.suite_runner import run_suite
from tests.transport_support import Sleeps


def _refusal(code: object) -> dict[str, object]:
    return {"success": False, "reasons": [{"code": code, "message": "no"}]}


@pytest.mark.parametrize(
    ("code", "meaning"),
    [
        (53100310, Meaning.JUDGED),
        ("50003020", Meaning.JUDGED),
        (50003021, Meaning.JUDGED),
        (50003022, Meaning.JUDGED),
        (50003030, Meaning.JUDGED),
        (50003040, Meaning.JUDGED),
        (90000011, Meaning.CREDENTIALS),
        (50003023, Meaning.NOT_TAKEN_UP),
        (50003027, Meaning.NOT_TAKEN_UP),
        (50003045, Meaning.NOT_TAKEN_UP),
        (50003050, Meaning.CONTENTION),
        (50003060, Meaning.FAILED),
        ("50003061", Meaning.TRANSIENT),
        (50003070, Meaning.LIMITED),
        (50003090, Meaning.NOT_TAKEN_UP),
        (50003099, Meaning.FAILED),
        (50003077, Meaning.JUDGED),  # a category Zuora does not list: judged (as "other")
        ("LOCKED50", Meaning.JUDGED),  # not one of Zuora's eight-digit codes
        (3050, Meaning.JUDGED),
        (True, Meaning.JUDGED),
    ],
)
def test_each_category_has_one_meaning(code: object, meaning: Meaning) -> None:
    assert meaning_of(_refusal(code)) is meaning


def test_only_a_refusal_has_a_category() -> None:
    """A success, an envelope without reasons and a body that is not an object say nothing."""
    assert category_of({"success": True, "reasons": [{"code": 50003050}]}) is None
    assert category_of({"success": False, "reasons": []}) is None
    assert category_of([_refusal(50003050)]) is None
    assert category_of(_refusal(50003050)) == 50
    assert category_of({"success": False, "reasons": [{"code": 50003050}, {"code": 50003030}]}) == 50


def test_an_answer_that_does_not_decode_is_not_retried() -> None:
    broken = Answer(409, "http://t/x", {}, b'{"success": false')
    assert retried(broken, repeat=True) is False
    contention = Answer(409, "http://t/x", {}, json.dumps(_refusal(50003050)).encode())
    assert retried(contention, repeat=True) is True
    assert retried(contention, repeat=False) is False


@pytest.mark.parametrize(
    ("code", "method", "repeatable", "attempts", "error", "said"),
    [
        (50003050, "GET", False, 4, TransportError, "locking contention"),
        (50003061, "PUT", True, 4, TransportError, "temporary error"),
        (50003050, "PUT", False, 1, TransportError, "locking contention"),
        (50003061, "PUT", False, 1, TransportError, "temporary error"),
        (50003070, "POST", False, 4, TransportError, "request exceeded limit"),
        (50003060, "GET", False, 4, TargetFailedError, "internal error"),
        (50003060, "PUT", False, 1, TargetFailedError, "internal error"),
        (50003099, "POST", False, 1, TargetFailedError, "integration error"),
        (50003090, "POST", False, 1, TargetFailedError, "malformed request"),
        (50003027, "GET", False, 1, TargetFailedError, "invalid query parameter"),
        (90000011, "GET", False, 1, AuthenticationError, "authentication failed"),
    ],
    ids=[
        "contention-on-a-look-up",
        "temporary-error-on-a-repeatable-setting",
        "contention-on-a-cancel",
        "temporary-error-on-a-cancel",
        "request-limit-on-an-order",
        "internal-error-on-a-look-up",
        "internal-error-on-a-cancel",
        "integration-error",
        "malformed-request",
        "invalid-query-parameter",
        "authentication",
    ],
)
def test_a_refusal_that_is_not_a_business_answer_is_never_handed_to_a_rule(
    sleeps: Sleeps,
    code: int,
    method: str,
    repeatable: bool,
    attempts: int,
    error: type[Exception],
    said: str,
) -> None:
    """A contention or temporary error is resent while the request may be repeated, a request limit
    always (it was turned away); once the tries are spent, or for the rest of the categories at
    once, the call raises the harness error that makes the scenario errored."""
    with hostile_server(answer(_refusal(code), status=409)) as server:
        client = HttpClient(Profile(server.url, "test", request_seconds=5))
        body: dict[str, object] | None = None if method == "GET" else {}
        with pytest.raises(error) as raised:
            client.call("op", method, "/v1/bill-runs/br-1", body=body, repeatable=repeatable)
    assert len(server.requests) == attempts
    assert len(sleeps.waits) == attempts - 1
    assert said in str(raised.value)


def test_a_contention_is_handed_back_to_a_caller_that_reads_it(sleeps: Sleeps) -> None:  # noqa: ARG001 - no real pauses
    """A request sent once whose caller reads a contention (a cancel or delete of a bill run)
    gets it back as a refusal, unretried; the same answer to a repeatable request is still retried."""
    with hostile_server(answer(_refusal(50003050), status=409)) as server:
        client = HttpClient(Profile(server.url, "test", request_seconds=5))
        status, body = client.call("op", "PUT", "/v1/bill-runs/br-1/cancel", body={}, contended=True)
        assert (status, body) == (409, _refusal(50003050))
        assert len(server.requests) == 1
        with pytest.raises(TransportError):
            client.call("op", "GET", "/v1/bill-runs/br-1", contended=True)
    assert len(server.requests) == 5


def test_a_contention_that_passes_gives_the_answer_that_follows(sleeps: Sleeps) -> None:
    body = {"success": True, "id": "br-1"}
    with hostile_server(scripted(answer(_refusal(50003050), status=409), answer(body))) as server:
        client = HttpClient(Profile(server.url, "test", request_seconds=5))
        assert client.call("op", "GET", "/v1/bill-runs/br-1") == (200, body)
    assert len(server.requests) == 2
    assert len(sleeps.waits) == 1


def test_a_business_refusal_is_handed_back_once(sleeps: Sleeps) -> None:
    with hostile_server(answer(_refusal(50003030), status=400)) as server:
        client = HttpClient(Profile(server.url, "test", request_seconds=5))
        assert client.call("op", "PUT", "/v1/bill-runs/br-1/cancel", body={}) == (400, _refusal(50003030))
    assert len(server.requests) == 1
    assert sleeps.waits == []


def test_a_contention_on_a_cancellation_errors_the_scenario_and_blames_no_rule(
    pytester: pytest.Pytester, reference_server: RunningServer
) -> None:
    """A run in passage may be answered "locking contention": the rules that cancel a bill run are
    not judged on that answer (errored, the run inconclusive), and no rule is broken."""
    fault = Fault("PUT", r"/v1/bill-runs/[^/]+/cancel", envelope(409, "50003050", "the bill run is locked"))
    with fault_proxy(reference_server.url, fault) as proxy:
        result = run_suite(pytester, proxy.url, "--rule=BR-CANCEL-PENDING", "--rule=BR-CANCEL-COMPLETED")
    assert result.broken == set()
    assert result.rules_with("errored") == {"BR-CANCEL-PENDING", "BR-CANCEL-COMPLETED"}
    assert all("locking contention" in message for message in result.messages.values()), result.messages
    assert result.ret != 0


def test_a_contention_is_the_refusal_a_run_in_passage_may_get(
    pytester: pytest.Pytester, reference_server: RunningServer
) -> None:
    """A bill run being processed, posted or canceled is being worked on: a cancel or delete
    answered "locking contention" is the refusal BR-IN-PASSING-STATUS names, and the rule holds."""
    busy = envelope(409, "50003050", "the bill run is being worked on")
    faults = (
        Fault("PUT", r"/v1/bill-runs/[^/]+/cancel", busy),
        Fault("DELETE", r"/v1/bill-runs/[^/]+", busy),
    )
    with fault_proxy(reference_server.url, *faults) as proxy:
        result = run_suite(pytester, proxy.url, "--rule=BR-IN-PASSING-STATUS")
    assert set(result.outcomes["BR-IN-PASSING-STATUS"].values()) == {"passed"}, result.messages
    assert len(result.outcomes["BR-IN-PASSING-STATUS"]) == 6
    assert result.ret == 0
