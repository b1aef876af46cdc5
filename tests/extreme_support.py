"""What the tests of extreme values share: a reference server's tenant arranged through the
public API, the extremes of dates and numbers, and the check every extreme answer passes (below
500, no exception quoted, a refusal changes nothing)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import requests

from reference_impl.server import RunningServer
from tests.honest_proxy import bill_customer

__all__ = [
    "DATES",
    "JSON",
    "LEAK",
    "NUMBERS",
    "TIMES",
    "Tenant",
    "answer",
    "arrange",
    "call",
    "cases",
    "check",
    "new_subscription",
    "refused",
]

JSON = {"Content-Type": "application/json"}
#: Dates at and past the calendar's ends, as a date and as a local time.
DATES = ("0001-01-01", "9999-12-31", "9999-12-01", "0000-01-01", "10000-01-01")
TIMES = ("0001-01-01T00:00:00", "9999-12-31T23:59:59", "9999-12-30T23:59:59")
#: Numbers as written in JSON: zero, negative, past 32 and 64 bits, past a double, tiny, long.
NUMBERS = (
    "0",
    "-1",
    "2147483648",
    "-9223372036854775809",
    "1" + "0" * 40,
    "-" + "9" * 45,
    "1e308",
    "-1.7976931348623157e308",
    "5e-324",
    "0." + "0" * 48 + "1",
    "12345678901234567890123456789.012345678901234567890",
)
#: What an answer that leaks an exception would show.
LEAK = re.compile(
    r"Traceback|\w+(?:Error|Exception)\(|out of range|has no attribute|unsupported operand|"
    r"invalid literal|Internal error:"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
_MARK = "\u0000extreme\u0000"


@dataclass(frozen=True)
class Tenant:
    account: str
    account_id: str
    subscription: str
    invoice: str
    invoice_id: str
    plan: str
    bill_run: str
    today: str


def call(server: RunningServer, method: str, path: str, text: str | None = None) -> requests.Response:
    data = None if text is None else text.encode()
    return requests.request(method, server.url + path, data=data, headers=JSON, timeout=60)


def answer(reply: requests.Response) -> Any:
    assert reply.status_code < 400, reply.text[:500]
    return reply.json()


def arrange(server: RunningServer, name: str) -> Tenant:
    """An account ``name`` with a subscription and a posted invoice, and a bill run, through the
    public API; ``today`` is the tenant's."""
    invoice = answer(call(server, "GET", f"/v1/invoices/{bill_customer(server.url, name)}"))
    ledger = server.app.state.tenant.billing.ledger
    owner = ledger.accounts[invoice["accountNumber"]]
    subscription = next(s for s in ledger.subscriptions.values() if s.account_number == owner.number)
    plan = answer(call(server, "GET", "/v1/catalog/products"))["products"][0]["productRatePlans"][0]["id"]
    today = answer(call(server, "GET", "/conformance/v1/clock"))["now"][:10]
    run = answer(call(server, "POST", "/v1/bill-runs", json.dumps({"targetDate": today})))
    return Tenant(
        owner.number,
        owner.id,
        subscription.number,
        invoice["invoiceNumber"],
        invoice["id"],
        plan,
        run["id"],
        today,
    )


def new_subscription(t: Tenant) -> dict[str, Any]:
    names = ("ContractEffective", "ServiceActivation", "CustomerAcceptance")
    return {
        "orderDate": t.today,
        "existingAccountNumber": t.account,
        "subscriptions": [
            {
                "orderActions": [
                    {
                        "type": "CreateSubscription",
                        "triggerDates": [{"name": n, "triggerDate": t.today} for n in names],
                        "createSubscription": {
                            "subscribeToRatePlans": [{"productRatePlanId": t.plan}],
                            "terms": {
                                "initialTerm": {
                                    "period": 12,
                                    "periodType": "Month",
                                    "termType": "TERMED",
                                    "startDate": t.today,
                                },
                                "renewalTerms": [{"period": 12, "periodType": "Month"}],
                            },
                        },
                    }
                ]
            }
        ],
        "processingOptions": {
            "runBilling": True,
            "billingOptions": {"targetDate": t.today, "documentDate": t.today},
        },
    }


def leaves(node: object, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], object]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, (*path, index))
    else:
        yield path, node


def extremes(value: object) -> tuple[str, ...]:
    """The JSON texts a leaf takes: extremes of its kind (none for text and flags)."""
    if isinstance(value, bool):
        return ()
    if isinstance(value, int | float):
        return NUMBERS
    if isinstance(value, str) and _DATE.match(value):
        return tuple(json.dumps(d) for d in DATES)
    if isinstance(value, str) and _TIME.match(value):
        return tuple(json.dumps(d) for d in TIMES)
    return ()


def _with(body: dict[str, Any], path: tuple[str | int, ...], text: str) -> str:
    """``body`` as JSON text with the leaf at ``path`` written as ``text``."""
    copy = json.loads(json.dumps(body))
    node: Any = copy
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = _MARK
    return json.dumps(copy).replace(json.dumps(_MARK), text)


def cases(templates: list[tuple[str, str, dict[str, Any]]]) -> Iterator[tuple[str, str, str, str]]:
    for method, path, body in templates:
        for where, value in leaves(body):
            for text in extremes(value):
                yield method, path, _with(body, where, text), f"{'.'.join(map(str, where))}={text[:24]}"


def state(server: RunningServer) -> tuple[object, ...]:
    billing = server.app.state.tenant.billing
    return billing.ledger.contents(), billing.now()


def refused(reply: requests.Response) -> bool:
    if reply.status_code >= 400:
        return True
    body = reply.json()
    return isinstance(body, dict) and body.get("success") is False


def check(server: RunningServer, method: str, path: str, text: str | None, case: str) -> requests.Response:
    call(server, "GET", "/conformance/v1/clock")  # whatever fell due is processed before the snapshot
    before = state(server)
    reply = call(server, method, path, text)
    assert reply.status_code < 500, f"{case}: HTTP {reply.status_code} {reply.text[:300]}"
    assert not LEAK.search(reply.text), f"{case}: {reply.text[:300]}"
    if refused(reply):
        assert state(server) == before, f"{case}: refused, yet the tenant changed"
    return reply
