"""The reference server at the edges of its numbers and its calendar (issue 23, item 4): every
date and every number of every operation's body, every key in a path and every number in a
query, set to an extreme (the calendar's first and last day, huge, negative, tiny, long), gets
an answer below 500 that quotes no exception, and a refused request leaves the tenant as it was
(the cases: :mod:`tests.extreme_support`). The cases are explicit (no random draw): each template
below is a valid request on the arranged tenant, and each of its date and number fields takes
each extreme in turn.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from reference_impl.server import RunningServer
from tests.extreme_support import NUMBERS, Tenant, arrange, call, cases, check, new_subscription, refused
from tests.servers import running_server


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with running_server() as running:
        yield running


@pytest.fixture(scope="module")
def tenant(server: RunningServer) -> Tenant:
    return arrange(server, "Edge")


def _cancellation(t: Tenant) -> dict[str, Any]:
    action = {
        "type": "CancelSubscription",
        "cancelSubscription": {"cancellationPolicy": "SpecificDate", "cancellationEffectiveDate": t.today},
    }
    return {
        "orderDate": t.today,
        "existingAccountNumber": t.account,
        "subscriptions": [{"subscriptionNumber": t.subscription, "orderActions": [action]}],
        "processingOptions": {
            "runBilling": True,
            "collectPayment": False,
            "refund": True,
            "refundAmount": 1.5,
            "billingOptions": {"targetDate": t.today, "documentDate": t.today},
        },
    }


def _templates(t: Tenant) -> list[tuple[str, str, dict[str, Any]]]:
    """A valid body of each operation that takes dates or numbers, on the arranged tenant."""
    contact = {"firstName": "Edge", "lastName": "Case"}
    return [
        (
            "POST",
            "/v1/accounts",
            {"name": "Edge", "currency": "USD", "billCycleDay": 1, "billToContact": contact},
        ),
        ("POST", "/v1/orders", new_subscription(t)),
        ("POST", "/v1/orders", _cancellation(t)),
        ("POST", "/v1/async/orders", new_subscription(t)),
        ("POST", "/v1/bill-runs", {"targetDate": t.today, "invoiceDate": t.today}),
        (
            "POST",
            "/v1/bill-runs",
            {"billRunFilters": [{"filterType": "Account", "accountId": t.account_id}], "targetDate": t.today},
        ),
        (
            "POST",
            "/v1/bill-runs",
            {
                "schedule": {
                    "repeatType": "Monthly",
                    "repeatFrom": t.today,
                    "repeatTo": t.today,
                    "runTime": 2,
                },
                "targetDate": t.today,
                "invoiceDate": t.today,
            },
        ),
        ("PUT", f"/v1/bill-runs/{t.bill_run}/post", {"invoiceDate": t.today}),
        ("PUT", f"/v1/invoices/{t.invoice}/post", {"invoiceDate": t.today}),
        (
            "POST",
            "/v1/payments",
            {
                "accountNumber": t.account,
                "amount": 1.5,
                "currency": "USD",
                "type": "External",
                "effectiveDate": t.today,
                "invoices": [{"invoiceId": t.invoice_id, "amount": 1.5}],
            },
        ),
    ]


def test_every_date_and_number_at_its_extremes_gets_no_server_error(
    server: RunningServer, tenant: Tenant
) -> None:
    every = list(cases(_templates(tenant)))
    assert len(every) > 200  # every template has dates or numbers
    answers = [
        check(server, method, path, text, f"{method} {path} {case}") for method, path, text, case in every
    ]
    assert sum(map(refused, answers)) > len(every) / 2


KEYS = ("0", "-1", "1e308", "9" * 60, "9999-12-31", "0001-01-01")


@pytest.mark.parametrize("key", KEYS)
def test_extreme_keys_in_paths_get_no_server_error(server: RunningServer, key: str) -> None:
    for path in (
        "/v1/accounts/{}",
        "/v1/subscriptions/{}",
        "/v1/orders/{}",
        "/v1/async-jobs/{}",
        "/v1/bill-runs/{}",
        "/v1/invoices/{}",
        "/v1/credit-memos/{}",
        "/v1/credit-memos/{}/items",
        "/conformance/v1/bill-runs/{}/pending-occurrence",
    ):
        reply = check(server, "GET", path.format(key), None, f"GET {path} key={key}")
        assert refused(reply), reply.text[:300]


@pytest.mark.parametrize("number", NUMBERS)
def test_extreme_numbers_in_queries_get_no_server_error(
    server: RunningServer, tenant: Tenant, number: str
) -> None:
    for path in (
        f"/object-query/invoices?pageSize={number}",
        f"/object-query/invoices?pageSize=1&cursor={number}",
        f"/object-query/credit-memos?pageSize={number}&filter[]=accountId.EQ:{tenant.account_id}",
        f"/v1/catalog/products?page={number}&pageSize={number}",
        f"/v1/credit-memos/CM00000001/items?page={number}&pageSize={number}",
    ):
        check(server, "GET", path, None, f"GET {path}")


def test_an_internal_fault_says_only_that_it_happened(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault of the reference is a 500 in Zuora's envelope, category 60, with the process id the
    server log files it under, and nothing of the exception."""
    billing = server.app.state.tenant.billing

    def broken(_key: str) -> object:
        msg = "secret detail of the fault"
        raise ValueError(msg)

    monkeypatch.setattr(billing, "account", broken)
    reply = call(server, "GET", "/v1/accounts/A1")
    assert reply.status_code == 500
    body = reply.json()
    assert body["success"] is False
    assert re.fullmatch(r"[0-9A-F]{16}", body["processId"])
    [reason] = body["reasons"]
    assert reason["code"] % 100 == 60
    assert body["processId"] in reason["message"]
    assert "secret detail" not in reply.text
    assert "ValueError" not in reply.text
