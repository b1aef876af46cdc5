"""Every request the kit sends to Zuora's API parses with the official SDK's request model.

The whole suite runs over HTTP against the reference server; every request body in the evidence
is checked with the ``zuora-sdk`` model of its operation (types, enums, required fields, no field
the model lacks). Only a scenario's deliberate negative case is left out, and it must say so.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.schema_support import sdk_model, sdk_validate
from tests.servers import running_server
from tests.suite_runner import run_suite

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


def test_every_request_the_kit_sends_parses_with_the_sdk_model(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """Bodies of accounts, orders (sync and async), bill runs, posting, canceling and payments all
    fit the SDK's request models; only a deliberate negative case may not."""
    with running_server() as server:
        result = run_suite(pytester, server.url, f"--results={tmp_path}")
    assert result.ret == 0
    records = json.loads((tmp_path / "conformance.json").read_text(encoding="utf-8"))
    sent = [e for rule in records["rules"] for s in rule["scenarios"] for e in s["exchanges"]]
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
