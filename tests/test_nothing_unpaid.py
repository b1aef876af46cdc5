"""WO-NOTHING-UNPAID's decision, enforced both ways: Zuora's answer to an order may leave its list
of write-offs out, so "the order reports no write-off" accepts an answer without the list and one
with an empty list, and still fails an answer that lists a write-off."""

from __future__ import annotations

from typing import Any

import pytest

from billing_conformance import FEATURES_DIR
from billing_conformance.catalog import load_catalog
from steps.orders import reports_no_write_off
from steps.targets.views import Fields, order_view

_ANSWER: dict[str, Any] = {"orderNumber": "O-1", "status": "Completed", "subscriptionNumbers": ["S-1"]}
_ONE_WRITE_OFF = [
    {"invoiceNumber": "INV1", "amount": 30, "status": "Success", "writeOffCreditMemoNumber": "CM1"}
]


def _judged(**extra: Any) -> None:
    reports_no_write_off(order_view(Fields("create order", {**_ANSWER, **extra}), "USD"))


@pytest.mark.parametrize(
    "answer",
    [{}, {"writeOff": None}, {"writeOff": []}],
    ids=["list left out", "list null", "list empty"],
)
def test_an_answer_without_write_offs_reports_none(answer: dict[str, Any]) -> None:
    _judged(**answer)


def test_an_answer_that_lists_a_write_off_is_not_accepted_as_reporting_none() -> None:
    with pytest.raises(AssertionError, match="expected no write-off"):
        _judged(writeOff=_ONE_WRITE_OFF)


def test_a_failed_write_off_is_still_a_write_off_reported() -> None:
    with pytest.raises(AssertionError, match="expected no write-off"):
        _judged(writeOff=[{"invoiceNumber": "INV1", "status": "Failed", "failedReason": "shared"}])


def test_the_decision_is_written_beside_the_rule() -> None:
    rule = load_catalog(FEATURES_DIR).rule("WO-NOTHING-UNPAID")
    (decision,) = rule.decisions
    assert decision.severity == "MUST"
    assert "left out" in decision.text
    assert "empty" in decision.text
    assert "empty list" not in rule.statement
