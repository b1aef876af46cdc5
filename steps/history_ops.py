"""The operations of a history, each with its step sentence (see :mod:`steps.histories`).

Each operation is a frozen value: what to do, in the history's labels ("C1", "R2", "O1"). Its
``sentence`` is a ``parse`` pattern of :mod:`steps.parsing`, the same one
:mod:`steps.history_steps` registers, and :meth:`Op.text` fills it in, so a history is written
out exactly as it is read back.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any, ClassVar

from steps.targets import Money, Refused, ScheduleSpec

#: The world an operation runs in (steps.histories.World, which imports this module: named here
#: by what it is, not imported).
World = Any

__all__ = [
    "BASE_OPERATIONS",
    "FEATURE_FIELDS",
    "OCCURRENCES",
    "PASSAGES",
    "AdHocRun",
    "AddSubscription",
    "Advance",
    "CancelRun",
    "CloseAccount",
    "DeleteRun",
    "HoldRun",
    "NewCustomer",
    "Op",
    "PauseRun",
    "Pay",
    "PendingRun",
    "PostCreditMemo",
    "PostInvoice",
    "PostRun",
    "ResumeRun",
    "ScheduledRun",
    "SetFeature",
    "add_months",
]

#: The four tenant features a history switches, by the words a sentence uses.
FEATURE_FIELDS = {
    "Invoice Settlement": "invoice_settlement",
    "Invoice Item Settlement": "invoice_item_settlement",
    "Orders": "orders",
    "Workflow": "workflow",
}
OCCURRENCES = {
    "without saying which occurrences": None,
    "only the current occurrence": True,
    "all recurrences": False,
}
PASSAGES = {
    "being processed": "Processing",
    "being posted": "PostInProgress",
    "being canceled": "CancelInProgress",
}


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, the month's last day when it has fewer days."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _scope(account: str | None) -> str:
    return "all customers" if account is None else f'"{account}"'


# -- operations -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    """One business operation of a history. ``sentence`` is its step sentence (a ``parse``
    pattern of :mod:`steps.parsing`); :meth:`text` fills it in."""

    sentence: ClassVar[str]
    #: the words of the operation's own name in explore.json
    kind: ClassVar[str]

    def words(self) -> dict[str, str]:
        """The sentence's fields as the feature writes them."""
        shown: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            shown[f.name] = str(value)
        return shown

    def text(self) -> str:
        pattern = self.sentence
        for name, value in self.words().items():
            start = pattern.find("{" + name)
            if start < 0:
                continue
            end = pattern.index("}", start)
            pattern = pattern[:start] + value + pattern[end + 1 :]
        return pattern

    def table(self) -> list[tuple[str, str]]:
        """A data table the sentence ends with (only orders have one)."""
        return []

    def run(self, world: World) -> object:
        raise NotImplementedError


@dataclass(frozen=True)
class NewCustomer(Op):
    sentence = (
        'customer "{customer}" paying in {currency:Currency} has subscribed to "{plan}" from {start:Date}'
    )
    kind = "new customer"
    customer: str
    currency: str
    plan: str
    start: date

    def run(self, world: World) -> object:
        made = world.target.create_account(self.customer, self.currency)
        if isinstance(made, Refused):
            return made
        world.customers[self.customer] = self.currency
        return AddSubscription(self.customer, self.plan, self.start).run(world)


@dataclass(frozen=True)
class AddSubscription(Op):
    sentence = 'customer "{customer}" has also subscribed to "{plan}" from {start:Date}'
    kind = "subscribe"
    customer: str
    plan: str
    start: date

    def run(self, world: World) -> object:
        made = world.target.subscribe(self.customer, self.plan, self.start)
        if not isinstance(made, Refused):
            world.subscriptions[(self.customer, self.plan)] = self.start
        return made


@dataclass(frozen=True)
class CloseAccount(Op):
    sentence = 'the account of "{customer}" gets closed'
    kind = "close account"
    customer: str

    def run(self, world: World) -> object:
        closed = world.target.close_account(self.customer)
        if not isinstance(closed, Refused):
            world.closed.add(self.customer)
        return closed


@dataclass(frozen=True)
class AdHocRun(Op):
    sentence = 'bill run "{run}" has run for {account:Scope} with target date {day:Date}'
    kind = "ad hoc bill run"
    run_label: str
    account: str | None
    day: date

    def words(self) -> dict[str, str]:
        return {"run": self.run_label, "account": _scope(self.account), "day": str(self.day)}

    def run(self, world: World) -> object:
        made = world.target.create_bill_run(target_date=self.day, account=self.account, schedule=None)
        if not isinstance(made, Refused):
            world.runs[self.run_label] = made.id
            world.run_targets[self.run_label] = self.day
        return made


@dataclass(frozen=True)
class PendingRun(AdHocRun):
    sentence = 'bill run "{run}" waits unprocessed for {account:Scope} with target date {day:Date}'
    kind = "pending bill run"

    def run(self, world: World) -> object:
        made = world.target.create_pending_bill_run(target_date=self.day, account=self.account)
        if not isinstance(made, Refused):
            world.runs[self.run_label] = made.id
            world.run_targets[self.run_label] = self.day
        return made


@dataclass(frozen=True)
class ScheduledRun(Op):
    sentence = 'bill run "{run}" is scheduled {repeat:Repeat} from {start:Date}, ending {end:Ending}'
    kind = "scheduled bill run"
    run_label: str
    repeat: str
    start: date
    end: date | None

    def words(self) -> dict[str, str]:
        ends = "never" if self.end is None else str(self.end)
        return {"run": self.run_label, "repeat": self.repeat, "start": str(self.start), "end": ends}

    def run(self, world: World) -> object:
        spec = ScheduleSpec(self.repeat, self.start, self.end)
        made = world.target.create_bill_run(target_date=None, account=None, schedule=spec)
        if not isinstance(made, Refused):
            world.runs[self.run_label] = made.id
            world.schedules[self.run_label] = spec
            world.series[self.run_label] = self.run_label
        return made


@dataclass(frozen=True)
class _OnRun(Op):
    run_label: str

    def words(self) -> dict[str, str]:
        return {"run": self.run_label}

    def run_id(self, world: World) -> str:
        found: str = world.runs[self.run_label]
        return found


@dataclass(frozen=True)
class PostRun(_OnRun):
    sentence = 'bill run "{run}" is posted'
    kind = "post bill run"

    def run(self, world: World) -> object:
        return world.target.post_bill_run(self.run_id(world))


@dataclass(frozen=True)
class CancelRun(_OnRun):
    sentence = 'bill run "{run}" is canceled, {occurrences:Occurrences}'
    kind = "cancel bill run"
    once: bool | None = None

    def words(self) -> dict[str, str]:
        said = next(words for words, value in OCCURRENCES.items() if value is self.once)
        return {"run": self.run_label, "occurrences": said}

    def run(self, world: World) -> object:
        return world.target.cancel_bill_run(self.run_id(world), cancel_once=self.once)


@dataclass(frozen=True)
class DeleteRun(_OnRun):
    sentence = 'bill run "{run}" is deleted'
    kind = "delete bill run"

    def run(self, world: World) -> object:
        done = world.target.delete_bill_run(self.run_id(world))
        if not isinstance(done, Refused):
            world.deleted.add(self.run_label)
        return done


@dataclass(frozen=True)
class PauseRun(_OnRun):
    sentence = 'bill run "{run}" is paused'
    kind = "pause bill run"

    def run(self, world: World) -> object:
        return world.target.pause_bill_run(self.run_id(world))


@dataclass(frozen=True)
class ResumeRun(_OnRun):
    sentence = 'bill run "{run}" is resumed'
    kind = "resume bill run"

    def run(self, world: World) -> object:
        return world.target.resume_bill_run(self.run_id(world))


@dataclass(frozen=True)
class HoldRun(_OnRun):
    sentence = 'bill run "{run}" is held while {passage:Passage}'
    kind = "hold bill run"
    passage: str = "being posted"

    def words(self) -> dict[str, str]:
        return {"run": self.run_label, "passage": self.passage}

    def run(self, world: World) -> object:
        return world.target.hold_bill_run(self.run_id(world), PASSAGES[self.passage])


@dataclass(frozen=True)
class _OnDocument(Op):
    customer: str
    run_label: str

    def words(self) -> dict[str, str]:
        return {"customer": self.customer, "run": self.run_label}


@dataclass(frozen=True)
class PostInvoice(_OnDocument):
    sentence = 'the invoice of "{customer}" from bill run "{run}" is posted'
    kind = "post invoice"

    def run(self, world: World) -> object:
        return world.target.post_invoice(world.invoice_number(self.customer, self.run_label))


@dataclass(frozen=True)
class PostCreditMemo(_OnDocument):
    sentence = 'the credit memo of "{customer}" from bill run "{run}" is posted'
    kind = "post credit memo"

    def run(self, world: World) -> object:
        return world.target.post_credit_memo(world.memo_number(self.customer, self.run_label))


@dataclass(frozen=True)
class Pay(_OnDocument):
    sentence = 'a payment of {amount:Money} is made on the invoice of "{customer}" from bill run "{run}"'
    kind = "payment"
    amount: Money

    def words(self) -> dict[str, str]:
        return {**super().words(), "amount": str(self.amount)}

    def run(self, world: World) -> object:
        return world.target.collect_payment(world.invoice_number(self.customer, self.run_label), self.amount)


@dataclass(frozen=True)
class Advance(Op):
    sentence = "time moves on to the end of {day:Date}"
    kind = "advance the clock"
    day: date

    def run(self, world: World) -> object:
        world.target.advance_to(self.day)
        world.today = self.day
        return None


@dataclass(frozen=True)
class SetFeature(Op):
    sentence = "the tenant switches {feature:TenantFeature} {enabled:Switch}"
    kind = "switch a tenant feature"
    feature: str
    enabled: bool

    def words(self) -> dict[str, str]:
        return {"feature": self.feature, "enabled": "enabled" if self.enabled else "disabled"}

    def run(self, world: World) -> object:
        now = replace(world.target.features(), **{FEATURE_FIELDS[self.feature]: self.enabled})
        world.target.set_features(now)
        world.features = now
        return None


BASE_OPERATIONS: tuple[type[Op], ...] = (
    NewCustomer,
    AddSubscription,
    CloseAccount,
    AdHocRun,
    PendingRun,
    ScheduledRun,
    PostRun,
    CancelRun,
    DeleteRun,
    PauseRun,
    ResumeRun,
    HoldRun,
    PostInvoice,
    PostCreditMemo,
    Pay,
    Advance,
    SetFeature,
)
