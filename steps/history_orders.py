"""The orders of a history: a cancellation with its processing options, and its retry (see
:mod:`steps.history_ops`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from steps.history_ops import Op
from steps.targets import CancellationOrder, OrderView

#: The world an operation runs in (steps.histories.World, which imports this module: named here
#: by what it is, not imported).
World = Any

__all__ = ["ORDER_OPTIONS", "POLICIES", "CancelSubscription", "Retry"]


#: An order's options as its data table names them, with the default each leaves out.
ORDER_OPTIONS = (
    "policy",
    "effective date",
    "final invoice",
    "collect payment",
    "write off",
    "processing",
    "write-off deferred revenue account",
    "credit memo reason code",
    "reason for canceling",
    "idempotency key",
)
POLICIES = ("SpecificDate", "EndOfCurrentTerm", "EndOfLastInvoicePeriod")


@dataclass(frozen=True)
class CancelSubscription(Op):
    sentence = '"{customer}" places order "{order}" canceling its "{plan}" subscription with these options:'
    kind = "cancel subscription"
    order_label: str
    customer: str
    plan: str
    policy: str = "SpecificDate"
    effective_date: date | None = None
    final_invoice: bool = False
    collect_payment: bool = False
    write_off: bool = True
    asynchronous: bool = False
    finance_code: str | None = None
    reason_code: str | None = None
    cancel_reason: str | None = None
    idempotency_key: str | None = None

    def words(self) -> dict[str, str]:
        return {"customer": self.customer, "order": self.order_label, "plan": self.plan}

    def table(self) -> list[tuple[str, str]]:
        yes = {True: "yes", False: "no"}
        rows = [("policy", self.policy)]
        if self.effective_date is not None:
            rows.append(("effective date", str(self.effective_date)))
        rows += [
            ("final invoice", yes[self.final_invoice]),
            ("collect payment", yes[self.collect_payment]),
            ("write off", yes[self.write_off]),
            ("processing", "asynchronously" if self.asynchronous else "at once"),
        ]
        for key, value in (
            ("write-off deferred revenue account", self.finance_code),
            ("credit memo reason code", self.reason_code),
            ("reason for canceling", self.cancel_reason),
            ("idempotency key", self.idempotency_key),
        ):
            if value is not None:
                rows.append((key, value))
        return rows

    @classmethod
    def from_table(cls, order: str, customer: str, plan: str, rows: Mapping[str, str]) -> CancelSubscription:
        day = rows.get("effective date")
        return cls(
            order,
            customer,
            plan,
            policy=rows.get("policy", "SpecificDate"),
            effective_date=None if day is None else date.fromisoformat(day),
            final_invoice=rows.get("final invoice") == "yes",
            collect_payment=rows.get("collect payment") == "yes",
            write_off=rows.get("write off", "yes") == "yes",
            asynchronous=rows.get("processing") == "asynchronously",
            finance_code=rows.get("write-off deferred revenue account"),
            reason_code=rows.get("credit memo reason code"),
            cancel_reason=rows.get("reason for canceling"),
            idempotency_key=rows.get("idempotency key"),
        )

    def order(self) -> CancellationOrder:
        return CancellationOrder(
            self.customer,
            self.plan,
            policy=self.policy,
            effective_date=self.effective_date,
            final_invoice=self.final_invoice,
            collect_payment=self.collect_payment,
            write_off=self.write_off,
            asynchronous=self.asynchronous,
            finance=None
            if self.finance_code is None
            else {"deferredRevenueAccountingCode": self.finance_code},
            action_custom_fields={}
            if self.cancel_reason is None
            else {"CancelReason__c": self.cancel_reason},
            idempotency_key=self.idempotency_key,
            credit_memo_reason_code=self.reason_code,
        )

    def run(self, world: World) -> object:
        answer = world.target.cancel_subscription(self.order())
        world.orders[self.order_label] = self
        world.order_days[self.order_label] = world.today
        if isinstance(answer, OrderView):
            world.order_answers[self.order_label] = answer
            world.canceled.add((self.customer, self.plan))
        return answer


@dataclass(frozen=True)
class Retry(Op):
    sentence = 'order "{order}" is sent again as a retry'
    kind = "retry order"
    order_label: str

    def words(self) -> dict[str, str]:
        return {"order": self.order_label}

    def run(self, world: World) -> object:
        return world.target.cancel_subscription(world.orders[self.order_label].order())
