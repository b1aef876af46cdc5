"""``serve --zuora-strict``: the field knowledge is generated from the SDK and stays so; answers keep
only Zuora's fields, recursively; refusals keep Zuora's envelope; the control API is left alone;
an object query asking for what Zuora does not offer is refused as Zuora would."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests

from billing_conformance import PROJECT_ROOT
from reference_impl.server import RunningServer
from reference_impl.server.routes import ROUTES
from reference_impl.server.strict import FIELDS_FILE, model_of, query_refusal, strip, zuora_fields
from tests.honest_proxy import bill_customer
from tests.servers import running_server
from tests.zuora_fields import OPERATIONS, generate, render

INVOICE = "GET /v1/invoices/{key}"
QUERY_MEMOS = "GET /object-query/credit-memos"
QUERY_INVOICES = "GET /object-query/invoices"
#: Zuora's code for an invalid query parameter of a request without a body ("Error codes":
#: resource 500000, category 27).
INVALID_QUERY_PARAMETER = 50000027


def test_the_committed_field_file_is_what_the_installed_sdk_gives() -> None:
    """The committed field file equals the generator's output (``python -m tests.zuora_fields``)."""
    assert FIELDS_FILE.read_text(encoding="utf-8") == render(generate())


def test_every_public_route_has_an_answer_model() -> None:
    """Each routed operation outside the control API is reduced by the model of its answer."""
    public = {f"{r.method} {r.path}" for r in ROUTES if not r.path.startswith("/conformance")}
    assert public <= OPERATIONS.keys()
    assert zuora_fields().operations == dict(sorted(OPERATIONS.items()))


def test_the_generated_trees_reach_nested_models() -> None:
    """The tree goes through lists of objects: an object-query credit memo, a refusal's reasons."""
    known = zuora_fields()
    assert known.models["QueryCreditMemosResponse"]["data"] == "ExpandedCreditMemo"
    assert "memoNumber" in known.models["ExpandedCreditMemo"]
    assert "number" not in known.models["ExpandedCreditMemo"]
    assert dict(known.models[known.envelope]) == {
        "processId": None,
        "reasons": "FailedReason",
        "requestId": None,
        "success": None,
    }
    assert dict(known.models["FailedReason"]) == {"code": None, "message": None}


def test_a_products_rate_plans_keep_the_fields_of_a_rate_plan() -> None:
    """A product's productRatePlans, an array without a version header, is reduced as rate plans."""
    body = {
        "success": True,
        "products": [
            {
                "id": "p1",
                "name": "Basic",
                "shelf": "top",
                "productRatePlans": [{"id": "rp1", "name": "Basic Monthly", "price": 30}],
            }
        ],
    }
    assert strip("GET /v1/catalog/products", body) == {
        "success": True,
        "products": [
            {"id": "p1", "name": "Basic", "productRatePlans": [{"id": "rp1", "name": "Basic Monthly"}]}
        ],
    }
    url = {
        "success": True,
        "products": [{"id": "p1", "productRatePlans": "/v1/products/p1/product-rate-plans"}],
    }
    assert strip("GET /v1/catalog/products", url) == url


def test_strict_answers_drop_what_zuora_lacks_and_keep_what_it_has() -> None:
    """An invoice loses the reference's accountNumber and keeps Zuora's fields and custom fields."""
    body = {
        "success": True,
        "invoiceNumber": "INV1",
        "amount": Decimal("30.00"),
        "accountId": "8a",
        "accountNumber": "A1",
        "Region__c": "EU",
    }
    assert strip(INVOICE, body) == {k: v for k, v in body.items() if k != "accountNumber"}


def test_strict_answers_reduce_nested_objects_and_keep_free_form_maps_whole() -> None:
    """An order inside an answer is reduced too; its customFields map stays as it was."""
    order = {"orderNumber": "O1", "customFields": {"anything": {"goes": 1}}, "Region__c": "EU"}
    body = {"success": True, "order": {**order, "referenceOnly": 1}, "accountNumber": "A1"}
    assert strip("GET /v1/orders/{key}", body) == {"success": True, "order": order}


def test_strict_answers_reduce_every_record_of_a_listing() -> None:
    """Object-query credit memos lose the reference's number, amount and accountNumber, record by record."""
    record = {
        "id": "cm1",
        "memoNumber": "CM1",
        "totalAmount": 5,
        "number": "CM1",
        "amount": 5,
        "accountNumber": "A1",
    }
    reduced = strip(QUERY_MEMOS, {"data": [record, record], "nextPage": None})
    assert reduced == {"data": [{"id": "cm1", "memoNumber": "CM1", "totalAmount": 5}] * 2, "nextPage": None}


def test_strict_answers_keep_only_the_envelope_of_a_refusal() -> None:
    """A refusal keeps success, processId, requestId and reasons' code and message, nothing else."""
    body = {
        "success": False,
        "processId": "P",
        "reasons": [{"code": 53100330, "message": "no", "field": "x"}],
        "detail": "x",
        "invoiceNumber": "INV1",
    }
    assert strip(INVOICE, body) == {
        "success": False,
        "processId": "P",
        "reasons": [{"code": 53100330, "message": "no"}],
    }
    assert model_of(INVOICE, body) == "CommonResponse"


def test_strict_answers_leave_the_control_api_alone() -> None:
    """The control API and token endpoint are the kit's own: nothing is stripped from them."""
    body = {"success": True, "now": "2026-03-01T00:00:00", "tenantId": "t"}
    assert strip("GET /conformance/v1/clock", body) is body
    assert strip("POST /oauth/token", body) is body


# --- over HTTP ------------------------------------------------------------------------------------


def _call(server: RunningServer, method: str, path: str) -> Any:
    reply = requests.request(method, server.url + path, timeout=10)
    assert reply.status_code < 300, reply.text
    return reply.json()


def _first_invoice(server: RunningServer) -> dict[str, Any]:
    """A customer subscribed and billed through the public API; the invoice it got, as served."""
    invoice: dict[str, Any] = _call(server, "GET", f"/v1/invoices/{bill_customer(server.url, 'Acme')}")
    return invoice


@pytest.fixture(scope="module")
def strict_server() -> Iterator[RunningServer]:
    with running_server(zuora_strict=True) as server:
        yield server


def test_a_strict_server_answers_with_zuoras_fields_only(
    reference_server: RunningServer, strict_server: RunningServer
) -> None:
    """The same invoice loses the reference's accountNumber under --zuora-strict and keeps Zuora's fields."""
    plain = _first_invoice(reference_server)
    strict = _first_invoice(strict_server)
    assert "accountNumber" in plain
    assert "accountNumber" not in strict
    fields = zuora_fields().models["InvoiceResponse"]
    assert set(strict) == {k for k in plain if k in fields}
    assert {"accountId", "invoiceNumber", "amount", "balance", "status"} <= set(strict)


def test_a_strict_server_leaves_the_control_api_alone(
    reference_server: RunningServer, strict_server: RunningServer
) -> None:
    """The control API answers the same with and without --zuora-strict."""
    for path in ("/conformance/v1", "/conformance/v1/features"):
        assert _call(strict_server, "GET", path) == _call(reference_server, "GET", path)


def test_a_strict_server_refuses_with_zuoras_envelope(strict_server: RunningServer) -> None:
    """A refusal from a strict server has only Zuora's envelope fields."""
    reply = requests.get(strict_server.url + "/v1/invoices/no-such-invoice", timeout=10)
    assert reply.status_code == 404
    body = reply.json()
    assert body["success"] is False
    assert set(body) <= {"success", "processId", "requestId", "reasons"}
    assert all(set(reason) <= {"code", "message"} for reason in body["reasons"])


def test_the_server_does_not_need_the_sdk_at_run_time() -> None:
    """Serving strict answers imports no zuora_sdk: the field file is all the server reads."""
    code = (
        "import sys; from reference_impl.server.app import create_app; create_app(zuora_strict=True); "
        "from reference_impl.server.strict import strip; strip('GET /v1/invoices/{key}', {'success': True}); "
        "print(sorted(m for m in sys.modules if m.startswith('zuora_sdk')))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True, cwd=PROJECT_ROOT
    )
    assert found.stdout.strip() == "[]"


# --- strict queries -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "query"),
    [
        (QUERY_MEMOS, {"filter[]": ["sourceId.EQ:BR-00000001"]}),
        (QUERY_MEMOS, {"filter[]": ["accountId.EQ:8a", "sourceid.EQ:BR-00000001"]}),
        (QUERY_INVOICES, {"filter[]": ["memoNumber.EQ:CM1"]}),
        (QUERY_INVOICES, {"filter[]": ["accountId.EQ:8a"], "page": ["2"]}),
        (QUERY_MEMOS, {"pageSize": ["50"], "limit": ["5"]}),
    ],
    ids=["memo-source-id", "memo-source-id-after-account", "invoice-memo-number", "page", "limit"],
)
def test_a_query_for_what_zuora_does_not_offer_is_refused(
    operation: str, query: dict[str, list[str]]
) -> None:
    """A filter on a field the object's page does not list, or a parameter the operation does
    not take: Zuora's envelope, invalid query parameter, 400."""
    reply = query_refusal(operation, query)
    assert reply is not None
    assert reply.status == 400
    assert reply.body["success"] is False
    assert reply.body["reasons"][0]["code"] == INVALID_QUERY_PARAMETER


@pytest.mark.parametrize(
    ("operation", "query"),
    [
        (QUERY_MEMOS, {"filter[]": ["accountId.EQ:8a"], "pageSize": ["50"], "cursor": ["50"]}),
        (QUERY_MEMOS, {"filter[]": ["ACCOUNTID.EQ:8a", "memonumber.EQ:CM1", "Region__c.EQ:EU"]}),
        (QUERY_INVOICES, {"filter[]": ["sourceId.EQ:BR-00000001"], "sort[]": ["updateddate.DESC"]}),
        (INVOICE, {"anything": ["goes"]}),
    ],
    ids=["memos-by-account", "any-case-and-custom-field", "invoices-by-source-id", "not-a-query"],
)
def test_a_query_zuora_offers_is_let_through(operation: str, query: dict[str, list[str]]) -> None:
    assert query_refusal(operation, query) is None


def test_a_strict_server_refuses_a_credit_memo_query_by_source_id(
    reference_server: RunningServer, strict_server: RunningServer
) -> None:
    """Over HTTP: refused strictly, answered as before by the plain server; by account, both answer."""
    bill_customer(strict_server.url, "Acme")
    by_source = {"filter[]": "sourceId.EQ:BR-00000001", "pageSize": "50"}
    refused = requests.get(strict_server.url + "/object-query/credit-memos", params=by_source, timeout=10)
    assert refused.status_code == 400
    body = refused.json()
    assert set(body) <= {"success", "processId", "requestId", "reasons"}
    assert body["reasons"][0]["code"] == INVALID_QUERY_PARAMETER
    plain = requests.get(reference_server.url + "/object-query/credit-memos", params=by_source, timeout=10)
    assert plain.status_code == 200
    by_account = {"filter[]": "accountId.EQ:none", "pageSize": "50"}
    for server in (reference_server, strict_server):
        answered = requests.get(server.url + "/object-query/credit-memos", params=by_account, timeout=10)
        assert answered.status_code == 200
        assert answered.json()["data"] == []
