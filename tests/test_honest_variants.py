"""The kit judges honest implementations fairly: the whole suite holds against the reference
reduced to Zuora's fields, and through a proxy answering as other honest implementations would;
the known-bad variants are still caught through it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from reference_impl.server.strict import strip
from tests.honest_proxy import FUTURE_FIELD, VARIATIONS, rewrite, running_proxy
from tests.known_bad import KNOWN_BAD, KnownBad
from tests.servers import running_server
from tests.suite_runner import SuiteResult, run_suite

#: All variations together: explicit nulls stand for "optional fields", since the reference
#: already leaves out what it has no value for.
ALL = tuple(v for v in VARIATIONS if v != "omitted")


def _holds(result: SuiteResult) -> None:
    outcomes = {o for scenarios in result.outcomes.values() for o in scenarios.values()}
    assert outcomes == {"passed"}, {
        rule: s for rule, s in result.outcomes.items() if set(s.values()) != {"passed"}
    }
    assert result.ret == 0


def test_every_rule_holds_against_the_reference_reduced_to_zuoras_fields(pytester: pytest.Pytester) -> None:
    """``serve --zuora-strict``: answers with only Zuora's fields still let every rule be judged."""
    with running_server(zuora_strict=True) as server:
        _holds(run_suite(pytester, server.url))


@pytest.mark.parametrize("variations", [(v,) for v in VARIATIONS] + [ALL], ids="+".join)
def test_every_rule_holds_through_an_honest_variation(
    pytester: pytest.Pytester, variations: tuple[str, ...]
) -> None:
    """Re-encoded numbers, reversed lists, one record per page, nulls, omissions, Zuora-only fields
    and other documented refusal codes change no verdict."""
    with (
        running_server(zuora_strict=variations == ALL) as server,
        running_proxy(server.url, variations) as proxy,
    ):
        _holds(run_suite(pytester, proxy.url))


@pytest.mark.parametrize("variant", KNOWN_BAD, ids=lambda v: v.__name__)
def test_known_bad_variants_are_still_caught_through_every_variation(
    pytester: pytest.Pytester, variant: type[KnownBad]
) -> None:
    """Behind a strict server and every variation at once, a known-bad variant still breaks its rules."""
    rules = [variant.breaks, *variant.also_breaks]
    with running_server(variant, zuora_strict=True) as server, running_proxy(server.url, ALL) as proxy:
        result = run_suite(pytester, proxy.url, *(f"--rule={rule}" for rule in rules))
    assert result.broken == set(rules), result.outcomes
    assert result.ret == (0 if variant.should_only else 1)


# -- the rewrites themselves ------------------------------------------------------------------------

INVOICE = "GET /v1/invoices/{key}"


def _invoice(**extra: Any) -> dict[str, Any]:
    return {"success": True, "invoiceNumber": "INV1", "amount": Decimal("30.00"), **extra}


def test_strict_answers_drop_what_zuora_lacks_and_keep_what_it_has() -> None:
    """An invoice loses the reference's accountNumber and keeps Zuora's fields and custom fields."""
    reduced = strip(INVOICE, _invoice(accountNumber="A1", accountId="8a", Region__c="EU"))
    assert reduced == {
        "success": True,
        "invoiceNumber": "INV1",
        "amount": Decimal("30.00"),
        "accountId": "8a",
        "Region__c": "EU",
    }


def test_strict_answers_keep_only_the_envelope_of_a_refusal() -> None:
    """A refusal keeps success, reasons and the ids of the request, nothing else."""
    body = {"success": False, "reasons": [{"code": 50000040, "message": "no"}], "detail": "x"}
    assert strip(INVOICE, body) == {"success": False, "reasons": [{"code": 50000040, "message": "no"}]}


def test_strict_answers_leave_the_control_api_alone() -> None:
    """The control API is the kit's own: nothing is stripped from it."""
    body = {"success": True, "now": "2026-03-01T00:00:00"}
    assert strip("GET /conformance/v1/clock", body) is body


def test_numbers_are_re_encoded_without_changing_their_value() -> None:
    """30.00 becomes 30 and 30.50 becomes 30.5; other values are untouched."""
    _, body = rewrite("numbers", INVOICE, 200, _invoice(balance=Decimal("30.50"), status="Posted"))
    assert body["amount"] == 30
    assert isinstance(body["amount"], int)
    assert str(body["balance"]) == "30.5"
    assert body["status"] == "Posted"


def test_lists_are_reversed_at_every_depth() -> None:
    """Every list comes back in reverse order, nested lists too."""
    body = {"data": [{"items": [1, 2]}, {"items": [3]}]}
    assert rewrite("reversed", "GET /object-query/invoices", 200, body)[1] == {
        "data": [{"items": [3]}, {"items": [2, 1]}]
    }


def test_missing_fields_become_nulls_and_nulls_can_be_left_out() -> None:
    """ "nulls" adds every field Zuora has as null; "omitted" drops every null."""
    _, filled = rewrite("nulls", INVOICE, 200, _invoice())
    assert filled["balance"] is None
    assert filled["invoiceNumber"] == "INV1"
    assert rewrite("omitted", INVOICE, 200, filled)[1] == _invoice()


def test_zuora_only_fields_are_added_without_changing_the_others() -> None:
    """Audit fields and a future field appear; what the upstream said stays as it was."""
    _, body = rewrite("zuora_only", INVOICE, 200, _invoice())
    assert body["createdDate"]
    assert body[FUTURE_FIELD]
    assert {k: body[k] for k in _invoice()} == _invoice()


def test_refusals_are_recoded_within_the_documented_categories() -> None:
    """A rule restriction comes back as an invalid value; a refused order with HTTP 200; not found stays."""
    refused = {"success": False, "reasons": [{"code": 53100330, "message": "no"}]}
    status, body = rewrite("codes", "POST /v1/orders", 400, refused)
    assert (status, body["reasons"][0]["code"]) == (200, 53100320)
    missing = {"success": False, "reasons": [{"code": 50000040, "message": "none"}]}
    assert rewrite("codes", INVOICE, 404, missing) == (404, missing)
