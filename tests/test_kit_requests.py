"""Every request the kit sends to Zuora's API is one Zuora offers: its body parses with the
official SDK's request model, and its method, path, query parameters and filter fields are in the
table of what each operation accepts (``tests/zuora_operations.py``).

The whole suite runs over HTTP against the reference server; every request body in the evidence
is checked with the ``zuora-sdk`` model of its operation (types, enums, required fields, no field
the model lacks), and every request's URL with the table. Only a scenario's deliberate negative
case is left out, and it must say so.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from reference_impl.wire.queries import PARAMETERS
from tests.schema_support import sdk_model, sdk_validate
from tests.servers import running_server
from tests.suite_runner import run_suite
from tests.zuora_operations import KIT_OPERATIONS, faults, operation_of, sdk_operations

#: (method, path pattern) -> the SDK request model of that operation.
REQUEST_MODELS: dict[tuple[str, str], str] = {
    ("POST", r"/v1/orders"): "CreateOrderRequest",
    ("POST", r"/v1/async/orders"): "CreateOrderAsyncRequest",
    ("POST", r"/v1/accounts"): "CreateAccountRequest",
    ("POST", r"/v1/bill-runs"): "CreateBillRunRequest",
    ("PUT", r"/v1/bill-runs/[^/]+/post"): "PostBillRunRequest",
    ("PUT", r"/v1/bill-runs/[^/]+/cancel"): "CancelBillRunRequest",
    ("PUT", r"/v1/invoices/[^/]+/post"): "PostAsyncInvoiceRequest",
    ("POST", r"/v1/payments"): "CreatePaymentRequest",
}


def _model_of(method: str, url: str) -> str | None:
    path = re.sub(r"^https?://[^/]+", "", url).split("?", 1)[0]
    if path.startswith("/conformance/"):
        return None  # the control API is the kit's own, specified by schemas/control-*
    for (verb, pattern), model in REQUEST_MODELS.items():
        if verb == method and re.fullmatch(pattern, path):
            return model
    raise AssertionError(f"the kit sent {method} {path}, which no Zuora request model covers")


def test_every_request_the_kit_sends_is_one_zuora_offers(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """Bodies of accounts, orders (sync and async), bill runs, posting, canceling and payments all
    fit the SDK's request models, and every URL is in the table of what Zuora's operations take;
    only a deliberate negative case may not."""
    with running_server() as server:
        result = run_suite(pytester, server.url, f"--results={tmp_path}")
    assert result.ret == 0
    records = json.loads((tmp_path / "conformance.json").read_text(encoding="utf-8"))
    sent = [e for rule in records["rules"] for s in rule["scenarios"] for e in s["exchanges"]]
    _check_urls(sent)
    checked: dict[str, int] = {}
    for exchange in sent:
        if exchange["request_body"] is None:
            continue
        model = _model_of(exchange["method"], exchange["url"])
        if model is None:
            continue
        if exchange["deliberate"]:
            assert "negative case" in exchange["deliberate"]
            continue
        sdk_validate(sdk_model(model), exchange["request_body"])
        checked[model] = checked.get(model, 0) + 1
    assert set(checked) == set(REQUEST_MODELS.values()), f"operations never exercised: {checked}"


def _check_urls(sent: list[dict[str, Any]]) -> None:
    """Every URL of the evidence is in the table; the object queries filter on what Zuora lists."""
    found: list[str] = []
    filtered: set[str] = set()
    for exchange in sent:
        method, url = exchange["method"], exchange["url"]
        path = urlsplit(url).path
        if path.startswith("/conformance/"):
            continue  # the control API is the kit's own
        if exchange["deliberate"]:
            assert "negative case" in exchange["deliberate"]
            continue
        found += faults(method, url)
        filtered |= {
            f"{path} {value.partition('.')[0].lower()}"
            for name, value in parse_qsl(urlsplit(url).query)
            if name == "filter[]"
        }
    assert not found, sorted(set(found))
    assert filtered == {
        "/object-query/invoices accountid",
        "/object-query/invoices sourceid",
        "/object-query/credit-memos accountid",
    }, filtered


@pytest.mark.parametrize(
    ("method", "url", "fault"),
    [
        (
            "GET",
            "/object-query/credit-memos?filter[]=sourceId.EQ:BR-1&pageSize=50",
            "filter on 'sourceId'",
        ),
        ("GET", "/object-query/invoices?filter[]=memoNumber.EQ:CM1", "filter on 'memoNumber'"),
        ("GET", "/object-query/invoices?filter[]=accountId", "not field.OPERATOR:value"),
        ("GET", "/object-query/invoices?page=2", "no query parameter 'page'"),
        ("GET", "/v1/credit-memos/CM1/items?cursor=20", "no query parameter 'cursor'"),
        ("GET", "/v1/invoices/INV1?pageSize=5", "no query parameter 'pageSize'"),
        ("PATCH", "/v1/bill-runs/BR1", "no operation of the table"),
        ("GET", "/v1/credit-memos", "no operation of the table"),
    ],
    ids=[
        "memo-source-id",
        "invoice-memo-number",
        "no-operator",
        "page",
        "items-cursor",
        "get-page-size",
        "patch",
        "list-memos",
    ],
)
def test_a_request_outside_the_table_is_caught(method: str, url: str, fault: str) -> None:
    """The check can fail: a credit memo query by sourceId, a parameter of another operation."""
    found = faults(method, "https://zuora.example" + url.replace("[]", "%5B%5D"))
    assert len(found) == 1
    assert fault in found[0]


def test_requests_zuora_offers_pass_the_table() -> None:
    for method, url in [
        ("GET", "/object-query/credit-memos?filter%5B%5D=ACCOUNTID.EQ%3A8a&pageSize=50&cursor=W3s"),
        ("GET", "/object-query/invoices?filter%5B%5D=sourceid.EQ%3ABR-1&filter%5B%5D=Region__c.EQ%3AEU"),
        ("POST", "/v1/orders?returnIds=true"),
        ("PUT", "/v1/bill-runs/8a80/cancel"),
    ]:
        assert faults(method, "https://zuora.example" + url) == [], url


def test_the_table_and_the_strict_server_agree_on_object_queries() -> None:
    """The query parameters the SDK gives both object queries are those ``--zuora-strict`` takes;
    every operation of the table is one of the SDK's."""
    for path in ("/object-query/invoices", "/object-query/credit-memos"):
        operation = operation_of("GET", path)
        assert operation is not None
        assert operation.parameters == PARAMETERS
    assert all((a.method, a.path) in sdk_operations() for a in KIT_OPERATIONS)


def test_a_body_outside_the_sdk_model_is_caught() -> None:
    """The check can fail: a create-payment body without its currency does not parse."""
    body = {
        "accountId": "A",
        "amount": 30,
        "type": "External",
        "invoices": [{"invoiceId": "I", "amount": 30}],
    }
    with pytest.raises(ValueError, match="currency"):
        sdk_validate(sdk_model("CreatePaymentRequest"), body)
