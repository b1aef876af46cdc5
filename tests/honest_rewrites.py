"""The rewrites of the honest proxy (:mod:`tests.honest_proxy`): one answer of the public API,
as another honest implementation of Zuora's API may send it, without changing what it means.

Which fields Zuora's answers have is ``schemas/zuora-response-fields.json``; the type of a field
a rewrite adds is the SDK model's.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from reference_impl.server.strict import model_of, zuora_fields
from tests.schema_support import sdk_fields, sdk_model

__all__ = [
    "ALL",
    "CHARGE_CODES",
    "FUTURE_FIELD",
    "VARIATIONS",
    "ZUORA_ONLY_VALUES",
    "left_out",
    "operation_of",
    "rewrite",
]

VARIATIONS = (
    "numbers",
    "reversed",
    "paged",
    "nulls",
    "omitted",
    "zuora_only",
    "codes",
    "memos_listed",
    "samples",
)
ALL = "all"

#: Values for string fields Zuora's answers have and the reference does not send.
ZUORA_ONLY_VALUES: dict[str, str] = {
    "createdDate": "2026-01-01 09:30:00",
    "updatedDate": "2026-01-01 09:30:00",
    "createdById": "2c93808457d787030157e031d86c4c57",
    "updatedById": "2c93808457d787030157e031d86c4c57",
    "createdBy": "2c93808457d787030157e031d86c4c57",
    "updatedBy": "2c93808457d787030157e031d86c4c57",
    "processId": "9C6A2AE7E1A5F2C0",
    "requestId": "7a2d3f5e-0f8e-4c1b-9d3a-2b6c1e4f5a7d",
    "comments": "Added by an honest implementation.",
    "notes": "Added by an honest implementation.",
}
FUTURE_FIELD = "conformanceFutureField"
FUTURE_VALUE = {"introducedIn": "a later Zuora version"}
_OTHER_RESOURCES = ("581000", "582000")


# --- the rewrites of one answer -------------------------------------------------------------------


def _numbers(value: Any, *, integral: bool) -> Any:
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value) if integral else Decimal(int(value)).quantize(Decimal("0.1"))
        return value.normalize()
    if isinstance(value, dict):
        return {k: _numbers(v, integral=integral) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v, integral=integral) for v in value]
    return value


def _reversed(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _reversed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_reversed(v) for v in reversed(value)]
    return value


def _omitted(value: Any, chosen: Callable[[str], bool]) -> Any:
    if isinstance(value, dict):
        return {k: _omitted(v, chosen) for k, v in value.items() if v is not None or not chosen(k)}
    if isinstance(value, list):
        return [_omitted(v, chosen) for v in value]
    return value


Fill = Callable[[str, str], Any]  # (model, field) -> the value to add, or _SKIP
_SKIP = object()


def _fill(value: Any, model: str | None, fill: Fill) -> Any:
    """``value`` with ``fill(model, field)`` added for every field its model has and it lacks."""
    fields = zuora_fields().fields(model)
    if fields is None or model is None:
        return value
    if isinstance(value, list):
        return [_fill(item, model, fill) for item in value]
    if not isinstance(value, dict):
        return value
    done = {name: _fill(item, fields.get(name), fill) for name, item in value.items()}
    for name in fields:
        if name not in done:
            added = fill(model, name)
            if added is not _SKIP:
                done[name] = added
    return done


def _future(value: Any, model: str | None) -> Any:
    """``value`` with a field no Zuora has yet in every object its model describes."""
    fields = zuora_fields().fields(model)
    if fields is None:
        return value
    if isinstance(value, list):
        return [_future(item, model) for item in value]
    if not isinstance(value, dict):
        return value
    return {**{k: _future(v, fields.get(k)) for k, v in value.items()}, FUTURE_FIELD: FUTURE_VALUE}


@cache
def _is_string(model: str, name: str) -> bool:
    """Whether the SDK types ``model``'s field ``name`` as a string (merged models: never)."""
    try:
        found = sdk_fields(sdk_model(model)).get(name)
    except (AttributeError, TypeError):
        return False
    annotation = found.annotation if found else None
    return annotation is str or getattr(annotation, "__origin__", None) is str


def _zuora_only(model: str, name: str) -> Any:
    if name in ZUORA_ONLY_VALUES and _is_string(model, name):
        return ZUORA_ONLY_VALUES[name]
    return _SKIP


def _recoded(code: Any) -> Any:
    text = str(code)
    if not (len(text) == 8 and text.isdigit() and text.endswith("30")):
        return code
    resource = next(r for r in _OTHER_RESOURCES if r != text[:6])
    return f"{resource}20" if isinstance(code, str) else int(f"{resource}20")


def _codes(operation: str, status: int, body: Any) -> tuple[int, Any]:
    if not (isinstance(body, dict) and body.get("success") is False):
        return status, body
    reasons = body.get("reasons")
    if isinstance(reasons, list):
        body = {
            **body,
            "reasons": [
                {**r, "code": _recoded(r.get("code"))} if isinstance(r, dict) else r for r in reasons
            ],
        }
    if operation == "POST /v1/orders" and status == 400:
        status = 200
    return status, body


def _memos_listed(operation: str, body: Any) -> Any:
    """A create-order answer that lists the write-off credit memos among ``creditMemoNumbers``
    too (Zuora does not say whether it does)."""
    if operation != "POST /v1/orders" or not isinstance(body, dict) or not body.get("writeOff"):
        return body
    written = [w.get("writeOffCreditMemoNumber") for w in body["writeOff"] if isinstance(w, dict)]
    listed = list(body.get("creditMemoNumbers") or [])
    return {**body, "creditMemoNumbers": listed + [n for n in written if n and n not in listed]}


#: A charge's own accounting codes, as a credit memo item carries them (``financeInformation``
#: of Zuora's ``CreditMemoItem``), on a tenant whose charges have accounting codes.
CHARGE_CODES: dict[str, str] = {
    "deferredRevenueAccountingCode": "Subscription Deferred Revenue",
    "deferredRevenueAccountingCodeType": "DeferredRevenue",
    "recognizedRevenueAccountingCode": "Subscription Revenue",
    "recognizedRevenueAccountingCodeType": "SalesRevenue",
}
_BILL_RUN_MODELS = ("BillRunResponse", "CancelBillRunResponse")


def _sampled_run(run: Any) -> Any:
    """A bill run shaped like the samples of Zuora's bill-run operations: the bill cycle day a
    number (``1`` where the run selects its accounts by filter, as every sample does), and an
    occurrence of a schedule with ``targetDate: null`` and its target date as ``targetDateOffset``
    days after the date of its scheduled execution."""
    if not isinstance(run, dict):
        return run
    run = dict(run)
    day = run.get("billCycleDay")
    if isinstance(day, str) and day.isdigit():
        run["billCycleDay"] = int(day)
    elif day is None and not run.get("batches"):
        run["billCycleDay"] = 1
    executed, target = run.get("scheduledExecutionTime"), run.get("targetDate")
    if isinstance(executed, str) and isinstance(target, str):
        offset = date.fromisoformat(target[:10]) - date.fromisoformat(executed[:10])
        run.update(targetDate=None, targetDateOffset=offset.days)
    if isinstance(run.get("nextRun"), dict):
        run["nextRun"] = _sampled_run(run["nextRun"])
    return run


def _samples(model: str | None, body: Any) -> Any:
    """The answer shaped like Zuora's own samples (see :func:`_sampled_run`); a canceled
    occurrence whose schedule goes on answers without its schedule, which the next run carries
    (the sample of "Cancel a bill run"); credit memo items that carry no finance information carry
    their charge's own accounting codes (:data:`CHARGE_CODES`), as on a tenant whose charges have
    them. Zuora puts a write-off's finance information on the write-off's items only, so items
    that have it keep it unchanged."""
    if not isinstance(body, dict) or body.get("success") is False:
        return body
    if model in _BILL_RUN_MODELS:
        body = _sampled_run(body)
        if model == "CancelBillRunResponse" and isinstance(body.get("nextRun"), dict):
            body["schedule"] = None
        return body
    if model == "CreditMemoItemsResponse" and isinstance(body.get("items"), list):
        items = [
            {**i, "financeInformation": dict(CHARGE_CODES)} if _unbooked(i) else i for i in body["items"]
        ]
        return {**body, "items": items}
    return body


def _unbooked(item: Any) -> bool:
    """Whether a credit memo item carries no finance information (absent, null or all null)."""
    if not isinstance(item, dict):
        return False
    finance = item.get("financeInformation")
    return finance is None or (isinstance(finance, dict) and not any(v is not None for v in finance.values()))


def left_out(name: str) -> bool:
    """In ``all``, whether a field without a value is left out (True) or sent as null (False)."""
    return zlib.crc32(name.encode()) % 2 == 0


def rewrite(variations: tuple[str, ...], operation: str, status: int, body: Any) -> tuple[int, Any]:
    """The answer ``status``, ``body`` to ``operation`` as ``variations`` rewrite it (paging aside).

    ``(ALL,)`` is every variation, integral numbers as ``30`` and each missing field null or left
    out by its name."""
    every = ALL in variations
    chosen = set(VARIATIONS) if every else set(variations)
    if "codes" in chosen:
        status, body = _codes(operation, status, body)
    if "memos_listed" in chosen:
        body = _memos_listed(operation, body)
    model = model_of(operation, body)
    if "samples" in chosen:
        body = _samples(model, body)
    if "zuora_only" in chosen:
        body = _fill(body, model, _zuora_only)
        if not (isinstance(body, dict) and body.get("success") is False):
            body = _future(body, model)
    if every:
        body = _omitted(body, left_out)
        body = _fill(body, model, lambda _, name: _SKIP if left_out(name) else None)
    elif "omitted" in chosen:
        body = _omitted(body, lambda _: True)
    elif "nulls" in chosen:
        body = _fill(body, model, lambda _, __: None)
    if "reversed" in chosen:
        body = _reversed(body)
    if "numbers" in chosen:
        body = _numbers(body, integral=every)
    return status, body


def operation_of(method: str, path: str) -> str | None:
    """The public operation ("GET /v1/invoices/{key}") a request belongs to; None for the rest."""
    parts = path.strip("/").split("/")
    for operation in zuora_fields().operations:
        verb, template = operation.split(" ", 1)
        pattern = template.strip("/").split("/")
        if (
            verb == method
            and len(pattern) == len(parts)
            and all(p == q or p.startswith("{") for p, q in zip(pattern, parts, strict=True))
        ):
            return operation
    return None
