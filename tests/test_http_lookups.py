"""The HTTP target finds a bill run's documents with the filters Zuora offers: invoices by
``sourceId`` ("List invoices" filters on it), credit memos by each account of the scenario and
then by the ``sourceId`` each record carries ("List credit memos" does not filter on it), every
page read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from steps.targets.http import HttpTarget
from steps.targets.http_base import Account
from steps.targets.profile import Profile
from steps.targets.protocol import Refused
from tests.zuora_operations import faults

RUN_ID, RUN = "8a80run", "BR-00000007"


def _memo(number: str, account: str, source: str | None) -> dict[str, Any]:
    memo = {"memoNumber": number, "accountId": account, "status": "Draft", "totalAmount": Decimal(10)}
    return memo if source is None else {**memo, "sourceId": source}


class _Tenant:
    """Answers credit memo queries by accountId, one record a page; records every request."""

    MEMOS = (
        _memo("CM1", "acc-a", RUN),
        _memo("CM2", "acc-a", None),
        _memo("CM3", "acc-a", "BR-00000008"),
        _memo("CM4", "acc-b", RUN),
        _memo("CM5", "acc-b", RUN),
    )

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict[str, Any]]] = []

    def call(self, operation: str, method: str, path: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        params: dict[str, Any] = kwargs.get("params") or {}
        self.sent.append((method, path, params))
        if path == f"/v1/bill-runs/{RUN_ID}":
            return 200, {"success": True, "id": RUN_ID, "billRunNumber": RUN, "status": "Completed"}
        field, _, value = str(params["filter[]"]).partition(".EQ:")
        assert field == "accountId"
        mine = [m for m in self.MEMOS if m["accountId"] == value]
        at = int(params.get("cursor") or 0)
        body: dict[str, Any] = {"data": mine[at : at + 1]}
        if at + 1 < len(mine):
            body["nextPage"] = str(at + 1)
        return 200, body


def _target(tenant: _Tenant) -> HttpTarget:
    target = HttpTarget(Profile.for_loopback("http://127.0.0.1:1"), tenant)  # type: ignore[arg-type]
    target._accounts = {"Acme": Account("A1", "acc-a", "USD"), "Bolt": Account("A2", "acc-b", "USD")}
    return target


def test_a_bill_runs_credit_memos_are_those_of_its_number_among_every_accounts_memos() -> None:
    tenant = _Tenant()
    found = _target(tenant).bill_run_credit_memos(RUN_ID)
    assert isinstance(found, list)
    assert sorted(m.number for m in found) == ["CM1", "CM4", "CM5"]
    queries = [(path, params) for method, path, params in tenant.sent if path.startswith("/object-query/")]
    assert {p["filter[]"] for _, p in queries} == {"accountId.EQ:acc-a", "accountId.EQ:acc-b"}
    assert len(queries) == len(_Tenant.MEMOS)  # one record a page: every page was asked for


def test_every_lookup_is_one_zuora_offers() -> None:
    tenant = _Tenant()
    target = _target(tenant)
    target.bill_run_credit_memos(RUN_ID)
    target.account_credit_memos("Bolt")
    for method, path, params in tenant.sent:
        assert faults(method, f"https://zuora.example{path}?{urlencode(params)}") == [], (path, params)


class _Items:
    """A credit memo with three items, listed one item a page: ``nextPage`` names the next page's
    URL, as "List credit memo items" does."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any] | None]] = []

    def call(self, operation: str, method: str, path: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        self.sent.append((path, kwargs.get("params")))
        if path == "/v1/credit-memos/CM1":
            return 200, {
                "success": True,
                "number": "CM1",
                "amount": 30,
                "status": "Posted",
                "accountId": "acc-a",
            }
        page = int(path.partition("page=")[2].partition("&")[0] or 1)
        item = {"id": f"item-{page}", "amount": 10, "sourceItemType": "SubscriptionComponent"}
        body: dict[str, Any] = {"success": True, "items": [item]}
        if page < 3:
            body["nextPage"] = f"/v1/credit-memos/CM1/items?page={page + 1}&pageSize=1"
        return 200, body


def test_a_credit_memos_items_are_read_page_by_page_by_the_url_each_page_names() -> None:
    """The v1 items listing is paged by ``page``: the kit follows ``nextPage`` as a URL and never
    sends it back as an object query's ``cursor``."""
    tenant = _Items()
    target = HttpTarget(Profile.for_loopback("http://127.0.0.1:1"), tenant)  # type: ignore[arg-type]
    target._accounts = {"Acme": Account("A1", "acc-a", "USD")}
    memo = target.credit_memo("CM1")
    assert not isinstance(memo, Refused)
    assert [item.amount for item in memo.items] == [Decimal(10)] * 3
    assert [path for path, _ in tenant.sent] == [
        "/v1/credit-memos/CM1",
        "/v1/credit-memos/CM1/items",
        "/v1/credit-memos/CM1/items?page=2&pageSize=1",
        "/v1/credit-memos/CM1/items?page=3&pageSize=1",
    ]
    assert all("cursor" not in (params or {}) for _, params in tenant.sent)
