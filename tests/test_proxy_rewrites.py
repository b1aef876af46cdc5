"""The honest proxy's rewrites: each variation changes what it should and nothing else, and the
proxy pages object-query listings, passes the control API through and re-codes refusals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import requests

from reference_impl.server import RunningServer
from reference_impl.server.strict import zuora_fields
from schemas.jsonio import dumps, loads
from steps.targets.views import Fields, bill_run_view, memo_item_view
from tests.honest_proxy import (
    ALL,
    FUTURE_FIELD,
    ZUORA_ONLY_VALUES,
    bill_customer,
    left_out,
    operation_of,
    rewrite,
    running_proxy,
)
from tests.honest_rewrites import CHARGE_CODES
from tests.servers import running_server

INVOICE = "GET /v1/invoices/{key}"
QUERY_MEMOS = "GET /object-query/credit-memos"


def _invoice(**extra: Any) -> dict[str, Any]:
    return {
        "success": True,
        "invoiceNumber": "INV1",
        "accountId": "8a",
        "amount": Decimal("30.00"),
        "balance": Decimal("12.50"),
        "invoiceDate": "2026-03-01",
        **extra,
    }


def _changed(before: Any, after: Any, at: str = "$") -> set[str]:
    """The paths where ``after`` differs from ``before`` (a field added, removed or changed)."""
    if isinstance(before, dict) and isinstance(after, dict):
        return {f"{at}.{k}" for k in before.keys() ^ after.keys()} | {
            path for k in before.keys() & after.keys() for path in _changed(before[k], after[k], f"{at}.{k}")
        }
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return {
            path
            for i, (b, a) in enumerate(zip(before, after, strict=True))
            for path in _changed(b, a, f"{at}[{i}]")
        }
    same = type(before) is type(after) and dumps(before) == dumps(after)
    return set() if same else {at}


def test_numbers_are_re_encoded_without_changing_their_value() -> None:
    """30.00 becomes 30.0 and 12.50 becomes 12.5 (the same values); nothing else changes."""
    _, body = rewrite(("numbers",), INVOICE, 200, _invoice(billCycleDay=1))
    assert _changed(_invoice(billCycleDay=1), body) == {"$.amount", "$.balance"}
    assert dumps(body["amount"]) == "30.0"
    assert dumps(body["balance"]) == "12.5"
    assert body["amount"] == Decimal(30)
    assert body["billCycleDay"] == 1


def test_all_writes_integral_numbers_without_a_fraction() -> None:
    """With every variation at once, 30.00 is written 30 and 12.50 12.5."""
    _, body = rewrite((ALL,), INVOICE, 200, _invoice())
    assert dumps(body["amount"]) == "30"
    assert dumps(body["balance"]) == "12.5"


def test_lists_are_reversed_at_every_depth_and_nothing_else_changes() -> None:
    """Every list comes back in reverse order, nested lists too; objects and values stay."""
    body = {"data": [{"id": "a", "tags": [1, 2]}, {"id": "b", "tags": [3]}], "nextPage": None}
    _, after = rewrite(("reversed",), "GET /object-query/invoices", 200, body)
    assert after == {"data": [{"id": "b", "tags": [3]}, {"id": "a", "tags": [2, 1]}], "nextPage": None}


def test_missing_fields_become_nulls_along_the_model() -> None:
    """ "nulls" adds every field Zuora's model has as null, in nested records too; sent fields stay."""
    record = {"id": "cm1", "memoNumber": "CM1"}
    _, body = rewrite(("nulls",), QUERY_MEMOS, 200, {"data": [record]})
    assert body["nextPage"] is None
    memo = body["data"][0]
    assert memo["id"] == "cm1"
    assert memo["memoNumber"] == "CM1"
    assert memo["totalAmount"] is None
    assert all(memo[k] is None for k in memo.keys() - record.keys())
    assert "number" not in memo


def test_nulls_are_left_out_and_nothing_else_changes() -> None:
    """ "omitted" drops every null field, at every depth, and only those."""
    body = {"data": [{"id": "cm1", "reasonCode": None, "balance": 0}], "nextPage": None}
    _, after = rewrite(("omitted",), QUERY_MEMOS, 200, body)
    assert after == {"data": [{"id": "cm1", "balance": 0}]}


def test_all_sends_each_field_without_a_value_either_as_null_or_not_at_all() -> None:
    """With every variation, a field without a value is null or absent by its name, both occurring."""
    _, body = rewrite((ALL,), INVOICE, 200, _invoice(dueDate=None, postedBy=None))
    fields = zuora_fields().models["InvoiceResponse"]
    absent = {f for f in fields if f not in body}
    nulls = {f for f in fields if f in body and body[f] is None}
    assert absent
    assert nulls
    assert all(left_out(f) for f in absent)
    assert not any(left_out(f) for f in nulls)
    assert body["invoiceNumber"] == "INV1"


def test_zuora_only_fields_are_added_without_changing_the_others() -> None:
    """Audit fields and a future field appear; what the upstream said stays as it was."""
    sent = _invoice(comments="from the reference")
    _, body = rewrite(("zuora_only",), INVOICE, 200, sent)
    assert {k: body[k] for k in sent} == sent
    assert body["createdDate"] == ZUORA_ONLY_VALUES["createdDate"]
    assert body["updatedById"] == ZUORA_ONLY_VALUES["updatedById"]
    assert body["processId"] == ZUORA_ONLY_VALUES["processId"]
    assert body[FUTURE_FIELD]
    added = body.keys() - sent.keys()
    assert added <= {*ZUORA_ONLY_VALUES, FUTURE_FIELD}


def test_zuora_only_adds_a_future_field_to_nested_records_but_not_to_refusals() -> None:
    """Each record of a listing gets the future field; a refusal gets only the envelope's ids."""
    _, body = rewrite(("zuora_only",), QUERY_MEMOS, 200, {"data": [{"id": "cm1"}]})
    assert FUTURE_FIELD in body["data"][0]
    assert body["data"][0]["createdDate"]
    refusal = {"success": False, "reasons": [{"code": 50000040, "message": "none"}]}
    _, refused = rewrite(("zuora_only",), INVOICE, 404, refusal)
    assert refused.keys() - refusal.keys() == {"processId", "requestId"}


def test_rule_restrictions_are_recoded_as_invalid_values_of_another_resource() -> None:
    """A code ending 30 ends 20 under another resource code, keeping its JSON type."""
    refused = {
        "success": False,
        "reasons": [{"code": 53100330, "message": "no"}, {"code": "58100030", "message": "x"}],
    }
    status, body = rewrite(("codes",), "PUT /v1/bill-runs/{key}/cancel", 400, refused)
    assert status == 400
    assert [r["code"] for r in body["reasons"]] == [58100020, "58200020"]
    assert [r["message"] for r in body["reasons"]] == ["no", "x"]


def test_a_refused_order_comes_back_with_http_200() -> None:
    """A create-order refused with 400 is answered with 200 and success false."""
    refused = {"success": False, "reasons": [{"code": 53100320, "message": "no"}]}
    assert rewrite(("codes",), "POST /v1/orders", 400, refused) == (200, refused)
    assert rewrite(("codes",), "POST /v1/async/orders", 400, refused) == (400, refused)


def test_not_found_and_successes_are_not_recoded() -> None:
    """Not found stays not found (status and code); a success is untouched."""
    missing = {"success": False, "reasons": [{"code": 50000040, "message": "none"}]}
    assert rewrite(("codes",), "POST /v1/orders", 404, missing) == (404, missing)
    assert rewrite(("codes",), INVOICE, 200, _invoice()) == (200, _invoice())


def test_requests_are_matched_to_public_operations_only() -> None:
    """Paths are matched to routed operations; the control API and the token endpoint are none."""
    assert operation_of("GET", "/v1/invoices/INV1") == INVOICE
    assert operation_of("PUT", "/v1/bill-runs/BR1/cancel") == "PUT /v1/bill-runs/{key}/cancel"
    assert operation_of("GET", "/conformance/v1/clock") is None
    assert operation_of("POST", "/oauth/token") is None


# --- through a live proxy -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def proxy(reference_server: RunningServer) -> Iterator[str]:
    with running_proxy(reference_server.url, (ALL,)) as running:
        yield running.url


def test_the_control_api_passes_through_unchanged(reference_server: RunningServer, proxy: str) -> None:
    """Control API answers are byte for byte what the upstream sent."""
    for path in ("/conformance/v1", "/conformance/v1/features"):
        direct = requests.get(reference_server.url + path, timeout=10)
        through = requests.get(proxy + path, timeout=10)
        assert (through.status_code, through.content) == (direct.status_code, direct.content)


def test_a_refusal_through_the_proxy_is_rewritten(proxy: str) -> None:
    """A not-found invoice keeps its status and code through every variation at once."""
    reply = requests.get(proxy + "/v1/invoices/no-such-invoice", timeout=10)
    assert reply.status_code == 404
    body = loads(reply.content)
    assert isinstance(body, dict)
    assert str(body["reasons"][0]["code"]).endswith("40")


def test_listings_come_one_record_per_page_led_on_by_next_page() -> None:
    """A listing of several records is served one per page; following nextPage as cursor gives each once."""
    with running_server() as server, running_proxy(server.url, ("paged",)) as paged:
        numbers = {bill_customer(server.url, name) for name in ("Acme", "Bolt", "Core")}
        direct = requests.get(server.url + "/object-query/invoices", timeout=10).json()
        expected = [record["id"] for record in direct["data"]]
        assert len(expected) == len(numbers)
        seen: list[str] = []
        cursor: str | None = None
        for _ in range(len(expected) + 2):
            query = {"pageSize": "10", **({"cursor": cursor} if cursor else {})}
            page = requests.get(paged.url + "/object-query/invoices", params=query, timeout=10).json()
            assert len(page["data"]) == 1
            seen += [record["id"] for record in page["data"]]
            cursor = page.get("nextPage")
            if not cursor:
                break
        assert seen == expected
        bad = requests.get(paged.url + "/object-query/invoices", params={"cursor": "forged"}, timeout=10)
        assert bad.status_code == 400
        assert requests.get(paged.url + "/object-query/invoices?pageSize=51", timeout=10).status_code == 400


def test_write_off_credit_memos_are_listed_among_the_order_s_credit_memos() -> None:
    """Only a create-order answer changes, and each memo is listed once."""
    answer = {
        "success": True,
        "creditMemoNumbers": ["CM1"],
        "writeOff": [
            {"invoiceNumber": "INV1", "status": "Success", "writeOffCreditMemoNumber": "CM2"},
            {"invoiceNumber": "INV2", "status": "Failed"},
        ],
    }
    _, body = rewrite(("memos_listed",), "POST /v1/orders", 200, answer)
    assert body["creditMemoNumbers"] == ["CM1", "CM2"]
    assert body["writeOff"] == answer["writeOff"]
    assert rewrite(("memos_listed",), INVOICE, 200, _invoice()) == (200, _invoice())


# --- Zuora's own samples --------------------------------------------------------------------------

GET_RUN = "GET /v1/bill-runs/{key}"
CANCEL_RUN = "PUT /v1/bill-runs/{key}/cancel"
MEMO_ITEMS = "GET /v1/credit-memos/{key}/items"


def _run(**extra: Any) -> dict[str, Any]:
    """A bill run for one account, as the reference answers."""
    return {
        "success": True,
        "id": "2c91",
        "billRunNumber": "BR-00000007",
        "status": "Completed",
        "targetDate": "2026-03-01",
        "billRunFilters": [{"filterType": "Account", "accountId": "8a"}],
        **extra,
    }


def _occurrence(**extra: Any) -> dict[str, Any]:
    """An occurrence of a monthly schedule for every customer, as the reference answers."""
    schedule = {"repeatType": "Monthly", "repeatFrom": "2026-04-01", "runTime": 0}
    return {
        "success": True,
        "id": "2c92",
        "billRunNumber": "BR-00000008",
        "status": "Pending",
        "batches": ["AllBatches"],
        "targetDate": "2026-05-01",
        "schedule": schedule,
        "scheduledExecutionTime": "2026-05-01 00:00:00",
        **extra,
    }


def test_samples_send_the_bill_cycle_day_of_a_run_by_filter_as_a_number() -> None:
    """As in every bill-run sample: ``1``; a run by batch keeps its selection unchanged."""
    _, body = rewrite(("samples",), GET_RUN, 200, _run())
    assert body == {**_run(), "billCycleDay": 1}
    _, spelled = rewrite(("samples",), GET_RUN, 200, _run(billCycleDay="12"))
    assert spelled["billCycleDay"] == 12
    _, batch = rewrite(("samples",), GET_RUN, 200, _occurrence())
    assert "billCycleDay" not in batch


def test_samples_give_an_occurrence_s_target_date_as_an_offset_from_its_execution() -> None:
    """``targetDate`` null and the days from the scheduled execution in ``targetDateOffset``;
    the kit reads the same target date and scheduled date from either answer."""
    sent = _occurrence(targetDate="2026-05-03")
    _, body = rewrite(("samples",), GET_RUN, 200, sent)
    assert (body["targetDate"], body["targetDateOffset"]) == (None, 2)
    assert _changed(sent, body) == {"$.targetDate", "$.targetDateOffset"}
    before, after = (bill_run_view(Fields("get bill run", b)) for b in (sent, body))
    assert after == before
    assert (after.target_date, after.scheduled_date) == (date(2026, 5, 3), date(2026, 5, 1))


def test_an_ad_hoc_run_keeps_its_target_date() -> None:
    """Without a scheduled execution there is nothing to give the target date relative to."""
    _, body = rewrite(("samples",), GET_RUN, 200, _run(scheduledExecutionTime=None))
    assert body["targetDate"] == "2026-03-01"
    assert "targetDateOffset" not in body


def test_a_canceled_occurrence_answers_without_the_schedule_its_next_run_carries() -> None:
    """The sample of "Cancel a bill run": the next run has the schedule and its own offset."""
    following = _occurrence(id="2c93", targetDate="2026-06-01", scheduledExecutionTime="2026-06-01 00:00:00")
    sent = _occurrence(status="Canceled", nextRun=following)
    _, body = rewrite(("samples",), CANCEL_RUN, 200, sent)
    assert body["schedule"] is None
    assert body["nextRun"]["schedule"] == following["schedule"]
    assert (body["nextRun"]["targetDate"], body["nextRun"]["targetDateOffset"]) == (None, 0)
    canceled = bill_run_view(Fields("cancel bill run", body))
    assert (canceled.status, canceled.target_date, canceled.scheduled_date) == (
        "Canceled",
        date(2026, 5, 1),
        date(2026, 5, 1),
    )
    _, alone = rewrite(("samples",), CANCEL_RUN, 200, _occurrence(status="Canceled", nextRun=None))
    assert alone["schedule"] == _occurrence()["schedule"]


def test_credit_memo_items_without_finance_information_carry_their_charge_s_codes() -> None:
    """Items booked by the write-off keep exactly its finance information; the others (a final
    credit memo's) get the charge's own accounting codes, none of them the write-off's."""
    booked = {"id": "i1", "amount": 30, "financeInformation": {"deferredRevenueAccountingCode": "DR-4000"}}
    bare = {"id": "i2", "amount": 15}
    empty = {"id": "i3", "amount": 5, "financeInformation": {"deferredRevenueAccountingCode": None}}
    _, body = rewrite(("samples",), MEMO_ITEMS, 200, {"success": True, "items": [booked, bare, empty]})
    assert body["items"][0] == booked
    assert [item["financeInformation"] for item in body["items"][1:]] == [CHARGE_CODES, CHARGE_CODES]
    assert "DR-4000" not in CHARGE_CODES.values()
    assert set(CHARGE_CODES) <= set(zuora_fields().models["CreditMemoItemFinanceInformation"])
    read = memo_item_view(Fields("get credit memo items", body["items"][1]))
    assert read.finance["deferredRevenueAccountingCode"] == CHARGE_CODES["deferredRevenueAccountingCode"]


def test_samples_leave_refusals_and_other_answers_alone() -> None:
    """A refusal is not a bill run, and an invoice has nothing the samples shape differently."""
    refused = {"success": False, "reasons": [{"code": 50000040, "message": "none"}]}
    assert rewrite(("samples",), GET_RUN, 404, refused) == (404, refused)
    assert rewrite(("samples",), INVOICE, 200, _invoice()) == (200, _invoice())
