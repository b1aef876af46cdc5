"""Histories: business operations named the way a scenario names things, and what a target shows
before and after each of them.

A history is a list of operations (:class:`Op`) applied in turn to one target by a
:class:`World`. The world gives every customer, bill run and order the label the history uses
("C1", "R2", "O1"), remembers what it asked for (schedules, subscriptions, tenant features), and
takes a :class:`Snapshot` of everything it can observe through the :class:`~steps.targets.Target`
protocol around each operation. The properties (:mod:`steps.properties`) judge each
:class:`Transition`. ``billing-conformance explore`` generates histories; the step sentences of
:mod:`steps.history_steps` replay one from a feature file. Both go through :meth:`World.apply`,
so a counterexample written as Gherkin runs exactly the code that found it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from steps.history_ops import (
    BASE_OPERATIONS,
    FEATURE_FIELDS,
    OCCURRENCES,
    PASSAGES,
    AddSubscription,
    AdHocRun,
    Advance,
    CancelRun,
    CloseAccount,
    DeleteRun,
    HoldRun,
    NewCustomer,
    Op,
    PauseRun,
    Pay,
    PendingRun,
    PostCreditMemo,
    PostInvoice,
    PostRun,
    ResumeRun,
    ScheduledRun,
    SetFeature,
    add_months,
)
from steps.history_orders import ORDER_OPTIONS, POLICIES, CancelSubscription, Retry
from steps.targets import (
    BillRunView,
    CreditMemoView,
    InvoiceView,
    OrderView,
    Refused,
    ScheduleSpec,
    SubscriptionView,
    Target,
    TenantFeatures,
)

__all__ = [
    "OPERATIONS",
    "AdHocRun",
    "AddSubscription",
    "Advance",
    "CancelRun",
    "CancelSubscription",
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
    "Retry",
    "ScheduledRun",
    "SetFeature",
    "Snapshot",
    "Transition",
    "World",
    "add_months",
]

OPERATIONS: tuple[type[Op], ...] = (*BASE_OPERATIONS, CancelSubscription, Retry)


# -- what a target shows --------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """Everything the world can observe of the target at one moment."""

    invoices: Mapping[str, InvoiceView]
    memos: Mapping[str, CreditMemoView]
    runs: Mapping[str, BillRunView | Refused]
    pending: Mapping[str, BillRunView | None]
    subscriptions: Mapping[tuple[str, str], SubscriptionView | Refused]
    customer_of: Mapping[str, str]  # an account id -> the customer's label

    def changes(self, other: Snapshot) -> list[str]:
        """What differs between two snapshots, as a reader would say it."""
        said: list[str] = []

        def status(view: object) -> object:
            return view.status if isinstance(view, BillRunView) else "not found"

        for number in sorted(set(self.invoices) | set(other.invoices)):
            a, b = self.invoices.get(number), other.invoices.get(number)
            if a is None or b is None or (a.status, a.balance) != (b.status, b.balance):
                said.append(f"invoice {number}: {_doc(a)} -> {_doc(b)}")
        for number in sorted(set(self.memos) | set(other.memos)):
            m, n = self.memos.get(number), other.memos.get(number)
            if m is None or n is None or (m.status, m.applied_amount) != (n.status, n.applied_amount):
                said.append(f"credit memo {number}: {_memo(m)} -> {_memo(n)}")
        for label in sorted(set(self.runs) & set(other.runs)):
            if status(self.runs[label]) != status(other.runs[label]):
                said.append(f"bill run {label}: {status(self.runs[label])} -> {status(other.runs[label])}")
        for key in sorted(set(self.subscriptions) & set(other.subscriptions)):
            s, t = self.subscriptions[key], other.subscriptions[key]
            if s != t:
                said.append(f"subscription {key[1]} of {key[0]}: {_sub(s)} -> {_sub(t)}")
        return said


def _doc(view: InvoiceView | None) -> str:
    return "absent" if view is None else f"{view.status}, balance {view.balance}"


def _memo(view: CreditMemoView | None) -> str:
    return "absent" if view is None else f"{view.status}, applied {view.applied_amount}"


def _sub(view: SubscriptionView | Refused) -> str:
    return "not found" if isinstance(view, Refused) else f"{view.status} until {view.end_date}"


@dataclass(frozen=True)
class Transition:
    """One operation of a history, with what it answered and what the target showed around it."""

    op: Op
    outcome: object
    before: Snapshot
    after: Snapshot
    #: the world's knowledge as it was before the operation
    features: TenantFeatures
    today: date
    run_invoices: Mapping[str, frozenset[str]]
    run_memos: Mapping[str, frozenset[str]]
    written_off: frozenset[str]
    schedules: Mapping[str, ScheduleSpec]
    currencies: Mapping[str, str]
    subscriptions: Mapping[tuple[str, str], date]
    canceled: frozenset[tuple[str, str]]
    #: the order the operation placed, looked up again (None when it placed none)
    looked_up: object = None
    first_answers: Mapping[str, OrderView] = field(default_factory=dict)
    first_keys: Mapping[str, str | None] = field(default_factory=dict)
    #: the day each order was placed (Zuora keeps an idempotency key for 24 hours)
    first_days: Mapping[str, date] = field(default_factory=dict)
    first_orders: Mapping[str, CancelSubscription] = field(default_factory=dict)
    #: the invoices that existed when each order was placed
    order_invoices: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: the schedules' occurrences this step made known: (its new label, the schedule's run)
    revealed: tuple[tuple[str, str], ...] = ()
    #: the customers whose account had been closed before the operation
    closed: frozenset[str] = frozenset()


@dataclass
class World:
    """A history's labels and knowledge, around one target (already reset)."""

    target: Target
    today: date
    features: TenantFeatures = field(default_factory=TenantFeatures)
    customers: dict[str, str] = field(default_factory=dict)
    subscriptions: dict[tuple[str, str], date] = field(default_factory=dict)
    runs: dict[str, str] = field(default_factory=dict)
    run_targets: dict[str, date] = field(default_factory=dict)
    schedules: dict[str, ScheduleSpec] = field(default_factory=dict)
    #: each occurrence's schedule (the label of the run that made the schedule)
    series: dict[str, str] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    orders: dict[str, CancelSubscription] = field(default_factory=dict)
    order_answers: dict[str, OrderView] = field(default_factory=dict)
    order_days: dict[str, date] = field(default_factory=dict)
    order_invoices: dict[str, frozenset[str]] = field(default_factory=dict)
    canceled: set[tuple[str, str]] = field(default_factory=set)
    run_invoices: dict[str, frozenset[str]] = field(default_factory=dict)
    run_memos: dict[str, frozenset[str]] = field(default_factory=dict)
    written_off: set[str] = field(default_factory=set)
    history: list[Transition] = field(default_factory=list)
    occurrences: list[tuple[str, str]] = field(default_factory=list)
    closed: set[str] = field(default_factory=set)

    @classmethod
    def start(cls, target: Target, today: date) -> World:
        target.set_today(today)
        return cls(target, today, features=target.features())

    # names ----------------------------------------------------------------------------------------

    def next_label(self, prefix: str) -> str:
        taken = (
            set(self.runs) if prefix == "R" else set(self.orders) if prefix == "O" else set(self.customers)
        )
        number = 1
        while f"{prefix}{number}" in taken:
            number += 1
        return f"{prefix}{number}"

    def _document_of(self, numbers: frozenset[str], customer: str, memos: bool) -> str:
        """The one document of ``customer`` among ``numbers``, as the last snapshot shows them."""
        shot = self.history[-1].after if self.history else self.snapshot()
        account = self.target.account_id(customer)
        views: Mapping[str, InvoiceView | CreditMemoView] = shot.memos if memos else shot.invoices
        found = [n for n in sorted(numbers) if n in views and views[n].account_id == account]
        if len(found) != 1:
            raise LookupError(f"no single {'credit memo' if memos else 'invoice'} of {customer} in that run")
        return found[0]

    def invoice_number(self, customer: str, run: str) -> str:
        return self._document_of(self.run_invoices.get(run, frozenset()), customer, memos=False)

    def memo_number(self, customer: str, run: str) -> str:
        return self._document_of(self.run_memos.get(run, frozenset()), customer, memos=True)

    # observing ------------------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        target = self.target
        invoices: dict[str, InvoiceView] = {}
        memos: dict[str, CreditMemoView] = {}
        customer_of: dict[str, str] = {}
        for name in self.customers:
            customer_of[target.account_id(name)] = name
            invoices.update((i.number, i) for i in target.account_invoices(name))
            memos.update((m.number, m) for m in target.account_credit_memos(name))
        runs: dict[str, BillRunView | Refused] = {}
        pending: dict[str, BillRunView | None] = {}
        for label, run_id in self.runs.items():
            runs[label] = target.bill_run(run_id)
            # A deleted occurrence cannot be asked for its schedule's waiting one: the target
            # knows it no more (over HTTP, a 404). The waiting one is asked of a live occurrence.
            if label in self.schedules and isinstance(runs[label], BillRunView):
                pending[label] = target.pending_occurrence(run_id)
            for listing, known in (
                (target.bill_run_invoices(run_id), self.run_invoices),
                (target.bill_run_credit_memos(run_id), self.run_memos),
            ):
                if not isinstance(listing, Refused):
                    known[label] = known.get(label, frozenset()) | {d.number for d in listing}
        subscriptions = {key: target.subscription(*key) for key in self.subscriptions}
        return Snapshot(invoices, memos, runs, pending, subscriptions, customer_of)

    def _discover_occurrences(self, shot: Snapshot) -> None:
        """A schedule's occurrence the world has not seen gets the next free label."""
        known = set(self.runs.values())
        for label in sorted(shot.pending, key=_label_order):
            waiting = shot.pending[label]
            if waiting is not None and waiting.id not in known:
                fresh = self.next_label("R")
                self.runs[fresh] = waiting.id
                self.series[fresh] = self.series.get(label, label)
                self.schedules[fresh] = self.schedules[label]
                self.occurrences.append((fresh, label))
                known.add(waiting.id)

    def apply(self, op: Op) -> Transition:
        """Apply ``op``; return (and remember) what it did."""
        before = self.history[-1].after if self.history else self.snapshot()
        knowledge = (self.features, self.today, dict(self.run_invoices), dict(self.run_memos))
        written = frozenset(self.written_off)
        closed = frozenset(self.closed)
        known = (
            dict(self.schedules),
            dict(self.customers),
            dict(self.subscriptions),
            frozenset(self.canceled),
        )
        answers = dict(self.order_answers)
        keys = {label: order.idempotency_key for label, order in self.orders.items()}
        if isinstance(op, CancelSubscription):
            self.order_invoices[op.order_label] = frozenset(before.invoices)
        outcome = op.run(self)
        after = self.snapshot()
        seen = len(self.occurrences)
        self._discover_occurrences(after)
        if len(self.runs) != len(after.runs):
            after = self.snapshot()
        if isinstance(outcome, OrderView) and outcome.write_offs:
            self.written_off |= {w.invoice_number for w in outcome.write_offs if w.status != "Failed"}
        features, today, run_invoices, run_memos = knowledge
        schedules, currencies, subscriptions, canceled = known
        looked_up = self.target.order(outcome.number) if isinstance(outcome, OrderView) else None
        if isinstance(op, NewCustomer | AddSubscription):  # what the operation itself made is known
            currencies, subscriptions = dict(self.customers), dict(self.subscriptions)
        step = Transition(
            op,
            outcome,
            before,
            after,
            features,
            today,
            run_invoices,
            run_memos,
            written,
            schedules,
            currencies,
            subscriptions,
            canceled,
            looked_up,
            answers,
            keys,
            first_days=dict(self.order_days),
            first_orders=dict(self.orders),
            order_invoices=dict(self.order_invoices),
            revealed=tuple(self.occurrences[seen:]),
            closed=closed,
        )
        self.history.append(step)
        return step


def _label_order(label: str) -> tuple[int, str]:
    digits = "".join(c for c in label if c.isdigit())
    return (int(digits) if digits else 0, label)


__all__ += ["FEATURE_FIELDS", "OCCURRENCES", "OPERATIONS", "ORDER_OPTIONS", "PASSAGES", "POLICIES"]
