"""Dates past the calendar's ends (0001-01-01 to 9999-12-31) are refused as invalid values
naming their field, and a clock at the calendar's end still answers (issue 23, item 4)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from reference_impl.server import RunningServer
from tests.extreme_support import (
    JSON,
    LEAK,
    Tenant,
    answer,
    arrange,
    call,
    cases,
    check,
    new_subscription,
    refused,
)
from tests.servers import running_server


@pytest.fixture(scope="module")
def arranged() -> Iterator[tuple[RunningServer, Tenant]]:
    """A reference server, and a tenant on it with an account, a subscription and an invoice."""
    with running_server() as server:
        yield server, arrange(server, "Calendar")


def clock_templates(today: str) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        ("PUT", "/conformance/v1/clock", {"now": f"{today}T00:00:00"}),
        ("POST", "/conformance/v1/clock/advance", {"to": f"{today}T12:00:00"}),
    ]


def test_the_clock_at_the_calendars_ends_gets_no_server_error() -> None:
    """On a tenant of its own (a clock moved 8,000 years bills every schedule on the way): the
    clock set and moved to the extremes, then a daily schedule that runs into the calendar's last
    day, and an order kept by an idempotency key when the clock has no day left."""
    with running_server() as server:
        today = answer(call(server, "GET", "/conformance/v1/clock"))["now"][:10]
        for method, path, text, case in cases(clock_templates(today)):
            check(server, method, path, text, f"{method} {path} {case}")
            call(server, "PUT", "/conformance/v1/clock", json.dumps({"now": f"{today}T00:00:00"}))
        answer(call(server, "PUT", "/conformance/v1/clock", json.dumps({"now": "9999-11-29T00:00:00"})))
        contact = {"firstName": "Last", "lastName": "Days"}
        account = {"name": "Last Days", "currency": "USD", "billCycleDay": 0, "billToContact": contact}
        number = answer(call(server, "POST", "/v1/accounts", json.dumps(account)))["accountNumber"]
        plan = answer(call(server, "GET", "/v1/catalog/products"))["products"][0]["productRatePlans"][0]["id"]
        last = Tenant(number, "", "", "", "", plan, "", "9999-11-29")
        evergreen = new_subscription(last)
        evergreen["subscriptions"][0]["orderActions"][0]["createSubscription"]["terms"] = {
            "initialTerm": {"termType": "EVERGREEN"}
        }
        check(
            server, "POST", "/v1/orders", json.dumps(evergreen), "an evergreen subscription from 9999-11-29"
        )
        daily = {"schedule": {"repeatType": "Daily", "repeatFrom": "9999-11-29", "runTime": 0}}
        answer(call(server, "POST", "/v1/bill-runs", json.dumps(daily)))
        advance = json.dumps({"to": "9999-12-31T23:59:59"})
        check(server, "POST", "/conformance/v1/clock/advance", advance, "the schedule runs to the last day")
        for _ in range(3):  # what one call leaves due is processed by the next ones
            check(server, "GET", "/conformance/v1/clock", None, "the schedule's last occurrences")
        ledger = server.app.state.tenant.billing.ledger
        assert max(run.target_date for run in ledger.bill_runs.values()).isoformat() == "9999-12-31"
        orders = len(ledger.orders)
        keyed = {**JSON, "Idempotency-Key": "last-second"}
        for _ in range(2):  # kept by its key, though the clock has no 24 hours left
            reply = requests.post(server.url + "/v1/orders", json=evergreen, headers=keyed, timeout=60)
            assert reply.status_code < 500, reply.text[:300]
            assert not LEAK.search(reply.text), reply.text[:300]
            assert not refused(reply), reply.text[:300]
        assert len(ledger.orders) == orders + 1


def _order_through(t: Tenant, **dates: str) -> dict[str, Any]:
    order = new_subscription(t)
    action = order["subscriptions"][0]["orderActions"][0]
    if "start" in dates:
        action["triggerDates"] = [{"name": "ContractEffective", "triggerDate": dates["start"]}]
    if "period" in dates:
        action["createSubscription"]["terms"]["initialTerm"]["period"] = int(dates["period"])
    if "target" in dates:
        order["processingOptions"]["billingOptions"]["targetDate"] = dates["target"]
    return order


@pytest.mark.parametrize(
    ("path", "body", "named"),
    [
        ("/v1/orders", lambda t: _order_through(t, start="9999-12-31"), "terms.initialTerm.period"),
        ("/v1/orders", lambda t: _order_through(t, start="9999-06-01"), "ContractEffective"),
        ("/v1/orders", lambda t: _order_through(t, period=str(10**30)), "terms.initialTerm.period"),
        ("/v1/orders", lambda t: _order_through(t, target="9999-12-15"), "billingOptions.targetDate"),
        ("/v1/bill-runs", lambda _t: {"targetDate": "9999-12-15"}, "targetDate 9999-12-15"),
        (
            "/v1/bill-runs",
            lambda _t: {"schedule": {"repeatType": "Daily", "repeatFrom": "9999-12-01", "runTime": 0}},
            "schedule.repeatFrom",
        ),
    ],
    ids=[
        "start-9999-12-31",
        "term-past-the-end",
        "a-term-of-1e30-months",
        "billing-target",
        "bill-run",
        "schedule",
    ],
)
def test_a_date_past_the_calendar_is_an_invalid_value_naming_its_field(
    arranged: tuple[RunningServer, Tenant], path: str, body: Any, named: str
) -> None:
    """Category 20, invalid value (Zuora's "Error handling"); an order's refusal comes with HTTP
    200, as Zuora's create order answers, the others with 400."""
    server, tenant = arranged
    reply = check(server, "POST", path, json.dumps(body(tenant)), f"{path} {named}")
    assert reply.status_code == (200 if path == "/v1/orders" else 400)
    found = reply.json()
    assert found["success"] is False
    [reason] = found["reasons"]
    assert int(reason["code"]) % 100 == 20, reason
    assert named in reason["message"], reason["message"]
