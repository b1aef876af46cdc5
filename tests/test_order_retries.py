"""A create-order retried with Zuora's Idempotency-Key ("Idempotent requests"): processed once,
and only for the same order; what it came to, processed or refused, is kept 24 hours of the
tenant's clock; another order with the key is refused with 422; the key goes with POST only."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import requests

from reference_impl import Billing, BillRun, FeatureSettings, ManualClock, Rejection
from reference_impl.server import RunningServer
from reference_impl.wire import api
from steps.targets import CancellationOrder
from steps.targets.payloads import cancellation_payload

TODAY = date(2026, 3, 16)


@pytest.fixture
def billing() -> Billing:
    """A tenant where "Acme" owes one posted invoice of its "Basic Monthly" subscription."""
    billing = Billing(ManualClock(datetime(2026, 3, 1)))
    billing.configure(FeatureSettings(invoice_settlement=True))
    account = billing.create_account(name="Acme")
    assert not isinstance(account, Rejection)
    subscription = billing.subscribe(
        account_number=account.number, plan_name="Basic Monthly", start_date=date(2026, 3, 1)
    )
    assert not isinstance(subscription, Rejection)
    run = billing.create_bill_run(target_date=date(2026, 3, 1), account_number=account.number)
    assert isinstance(run, BillRun)
    billing.process_due_bill_runs()
    assert not isinstance(billing.post_bill_run(run.id), Rejection)
    return billing


def _payload(billing: Billing, **changes: object) -> dict[str, object]:
    (account,) = billing.accounts().values()
    (subscription,) = (s for s in billing.ledger.subscriptions.values())
    order = CancellationOrder("Acme", "Basic Monthly", effective_date=TODAY)
    payload = cancellation_payload(order, account.number, subscription.number, TODAY)
    payload.update(changes)
    return payload


def _write_off_memos(billing: Billing) -> list[str]:
    return [m.number for m in billing.credit_memos() if m.reason_code == "Write-off"]


def test_a_retry_gets_the_first_order_back_and_writes_off_nothing_twice(billing: Billing) -> None:
    first = api.create_order(billing, _payload(billing), idempotency_key="k-1")
    again = api.create_order(billing, _payload(billing), idempotency_key="k-1")
    assert first.body["success"] is True
    assert again.body == first.body
    assert len(_write_off_memos(billing)) == 1
    assert len(billing.ledger.orders) == 1


def test_without_a_key_the_same_order_sent_twice_is_refused_the_second_time(billing: Billing) -> None:
    """Without a key a resend is a new order: the subscription is cancelled already."""
    assert api.create_order(billing, _payload(billing)).body["success"] is True
    again = api.create_order(billing, _payload(billing))
    assert again.body["success"] is False
    assert len(_write_off_memos(billing)) == 1


def test_the_key_of_another_order_is_refused_with_422_and_changes_nothing(billing: Billing) -> None:
    assert api.create_order(billing, _payload(billing), idempotency_key="k-2").body["success"] is True
    before = billing.ledger.contents()
    other = api.create_order(billing, _payload(billing, description="another order"), idempotency_key="k-2")
    assert other.status == 422
    assert other.body["success"] is False
    assert str(other.body["reasons"][0]["code"]).endswith("20")
    assert billing.ledger.contents() == before


def test_a_refused_order_is_kept_under_its_key_too(billing: Billing) -> None:
    """Zuora keeps the result whether the request succeeded or failed: the same order sent again
    with the key gets the first refusal back, even once it could go through."""
    billing.configure(FeatureSettings(invoice_settlement=False))
    first = api.create_order(billing, _payload(billing), idempotency_key="k-3")
    assert first.body["success"] is False
    billing.configure(FeatureSettings(invoice_settlement=True))
    again = api.create_order(billing, _payload(billing), idempotency_key="k-3")
    assert (again.status, again.body) == (first.status, first.body)
    assert _write_off_memos(billing) == []
    assert api.create_order(billing, _payload(billing), idempotency_key="k-4").body["success"] is True


def test_a_key_is_kept_24_hours_of_the_tenants_clock(billing: Billing) -> None:
    """A retry a minute before the 24 hours are over gets the first order back; once they are
    over the key is forgotten, and the same order is a new one (refused: the subscription is
    canceled already)."""
    first = api.create_order(billing, _payload(billing), idempotency_key="k-5")
    assert first.body["success"] is True
    set_at = billing.now()
    billing.advance_clock(set_at + timedelta(hours=24) - timedelta(minutes=1))
    assert api.create_order(billing, _payload(billing), idempotency_key="k-5").body == first.body
    billing.advance_clock(set_at + timedelta(hours=24))
    later = api.create_order(billing, _payload(billing), idempotency_key="k-5")
    assert later.body["success"] is False
    assert len(_write_off_memos(billing)) == 1


def test_a_key_of_255_characters_is_taken(billing: Billing) -> None:
    """At most 255 characters ("Create an order", header Parameters; the SDK's max_length)."""
    assert api.create_order(billing, _payload(billing), idempotency_key="k" * 255).body["success"] is True


@pytest.mark.parametrize("key", ["", "k" * 256], ids=["empty", "256 characters"])
def test_a_key_outside_zuoras_limits_is_refused_over_http(reference_server: RunningServer, key: str) -> None:
    reply = requests.post(
        reference_server.url + "/v1/orders",
        json={"orderDate": "2026-03-01"},
        headers={"Idempotency-Key": key},
        timeout=10,
    )
    assert reply.status_code == 400
    assert reply.json()["success"] is False


def test_a_key_means_nothing_on_a_get_over_http(reference_server: RunningServer) -> None:
    """POST and PATCH take a key; a GET sent with one (even one no POST could take) is answered
    as without it."""
    url = reference_server.url + "/v1/catalog/products"
    plain = requests.get(url, timeout=10)
    keyed = requests.get(url, headers={"Idempotency-Key": "k" * 300}, timeout=10)
    assert plain.status_code == keyed.status_code == 200
    assert keyed.json() == plain.json()
