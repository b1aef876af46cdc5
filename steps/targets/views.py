"""Reading Zuora response bodies into the kit's views, the same way for every target."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from steps.targets.protocol import OrderView, Refusal, Refused, WriteOffView

__all__ = ["order_view", "refused"]


def refused(operation: str, body: Mapping[str, Any]) -> Refused:
    """The refusal an error envelope carries (its first reason)."""
    reasons = body.get("reasons") or [{}]
    first = reasons[0]
    code = str(first.get("code", ""))
    return Refused(operation, Refusal.from_code(code), code, str(first.get("message", "")))


def _money(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def order_view(body: Mapping[str, Any]) -> OrderView:
    """A create-order (or async job result) body, in either subscription style."""
    numbers = body.get("subscriptionNumbers")
    if numbers is None:
        numbers = [s.get("subscriptionNumber") for s in body.get("subscriptions", [])]
    write_offs = body.get("writeOff")
    return OrderView(
        number=str(body.get("orderNumber") or body.get("orderId")),
        status=str(body.get("status")),
        subscription_numbers=tuple(str(n) for n in numbers),
        invoice_numbers=tuple(body.get("invoiceNumbers") or ()),
        credit_memo_numbers=tuple(body.get("creditMemoNumbers") or ()),
        write_offs=None
        if write_offs is None
        else tuple(
            WriteOffView(
                str(w["invoiceNumber"]),
                _money(w["amount"]),
                str(w["status"]),
                w.get("writeOffCreditMemoNumber"),
                w.get("failedReason"),
            )
            for w in write_offs
        ),
        custom_fields=dict(body.get("customFields") or {}),
    )


def iso_date(value: object) -> date | None:
    return None if value in (None, "") else date.fromisoformat(str(value))
