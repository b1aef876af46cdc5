"""The reference's object queries read ``filter[]`` as Zuora does ("Object Query - Expand, filter,
fields, and sort", *Using filter[] query parameter*; "List invoices" and "List credit memos",
*query Parameters*): field names in any case, ``EQ`` without regard to case, every filter holding
at once, ``EQ:null`` for a field without a value; what it does not implement it refuses."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from reference_impl import Account, Billing, ManualClock, Rejection
from reference_impl.wire import billing_api
from reference_impl.wire.queries import FILTERABLE, Filter, matches, parse_filters
from tests.arranging import bill_run_for_new_customer


@pytest.fixture
def billing() -> Billing:
    """ "Acme" and "Bolt", each billed by a bill run of its own: one invoice each."""
    billing = Billing(ManualClock(datetime(2026, 3, 1)))
    for name in ("Acme", "Bolt"):
        bill_run_for_new_customer(billing, name)
    billing.process_due_bill_runs()
    return billing


def _invoices(billing: Billing, *filters: str) -> list[dict[str, Any]]:
    reply = billing_api.query(billing, "invoices", list(filters))
    assert reply.status == 200, reply.body
    rows: list[dict[str, Any]] = reply.body["data"]
    return rows


def _account(billing: Billing, name: str) -> Account:
    return next(a for a in billing.accounts().values() if a.name == name)


def _acme(billing: Billing) -> tuple[str, str]:
    """Acme's account id and the number of the bill run that billed it."""
    acme = _account(billing, "Acme")
    (invoice,) = (i for i in billing.invoices() if i.account_number == acme.number)
    run = billing.bill_run(invoice.bill_run_id or "")
    assert not isinstance(run, Rejection)
    return acme.id, run.number


@pytest.mark.parametrize("field", ["sourceId", "sourceid", "SOURCEID", "SourceId"])
def test_a_field_is_named_in_any_case(billing: Billing, field: str) -> None:
    _, number = _acme(billing)
    (found,) = _invoices(billing, f"{field}.EQ:{number}")
    assert found["sourceId"] == number


def test_eq_matches_a_value_without_regard_to_case(billing: Billing) -> None:
    account, _ = _acme(billing)
    assert [r["accountId"] for r in _invoices(billing, f"accountid.EQ:{account.upper()}")] == [account]
    assert len(_invoices(billing, "status.eq:draft")) == 2


def test_every_filter_holds_at_once_even_on_one_field(billing: Billing) -> None:
    """Filters are ANDed: two on the same field with different values match nothing."""
    account, number = _acme(billing)
    assert len(_invoices(billing, f"accountId.EQ:{account}", f"sourceId.EQ:{number}")) == 1
    bolt = _account(billing, "Bolt").id
    assert _invoices(billing, f"accountId.EQ:{account}", f"accountId.EQ:{bolt}") == []


def test_eq_null_matches_a_field_without_a_value() -> None:
    assert matches({"sourceId": None}, [Filter("sourceid", "null")])
    assert matches({}, [Filter("sourceid", "NULL")])
    assert not matches({"sourceId": "BR-1"}, [Filter("sourceid", "null")])


def test_numbers_and_booleans_match_by_value() -> None:
    """A number matches however it is written; a boolean as true or false."""
    assert matches({"balance": Decimal("30.00")}, [Filter("balance", "30")])
    assert not matches({"balance": Decimal("30.00")}, [Filter("balance", "thirty")])
    assert matches({"reversed": False}, [Filter("reversed", "FALSE")])


@pytest.mark.parametrize("expression", ["status.NE:Draft", "status", "status.EQ:", ".EQ:Draft"])
def test_what_the_reference_does_not_implement_is_refused(billing: Billing, expression: str) -> None:
    assert isinstance(parse_filters([expression]), Rejection)
    reply = billing_api.query(billing, "invoices", [expression])
    assert reply.status == 400
    assert reply.body["success"] is False


def test_credit_memos_filter_on_no_source_id_and_invoices_do() -> None:
    """As the two reference pages list them: the kit must find a run's credit memos another way."""
    assert "sourceid" in FILTERABLE["invoices"]
    assert "sourceid" not in FILTERABLE["credit-memos"]
    assert {"accountid", "status"} <= FILTERABLE["invoices"] & FILTERABLE["credit-memos"]
