"""Random but valid histories of business operations, driven through the Target protocol only.

:class:`Histories` is a Hypothesis rule-based state machine over a :class:`~steps.histories.World`:
each rule draws one operation among those the world's state allows (a customer to bill, a bill
run to cancel, an invoice to pay, ...), applies it, and judges the step with the properties of
:mod:`steps.properties`. A broken property raises :class:`Broken`, one subclass per rule, so that
Hypothesis shrinks each rule's counterexample on its own and never trades one rule's failure for
another's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar, TypeVar

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule

from steps.histories import (
    FEATURE_FIELDS,
    OCCURRENCES,
    PASSAGES,
    POLICIES,
    AddSubscription,
    AdHocRun,
    Advance,
    CancelRun,
    CancelSubscription,
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
    Retry,
    ScheduledRun,
    SetFeature,
    Transition,
    World,
)
from steps.judge import check
from steps.properties import Violation
from steps.targets import Money, Target

__all__ = ["START", "Broken", "Histories", "broken_class", "machine_for"]

T = TypeVar("T")

#: The day every history starts on.
START = date(2026, 1, 1)
PLANS = ("Basic Monthly", "Pro Monthly", "Setup Fee", "Goodwill Credit")
CURRENCIES = ("USD", "EUR")


class Broken(AssertionError):
    """A step broke a rule: the violation, and the history up to and including that step."""

    rule: ClassVar[str] = ""

    def __init__(self, violation: Violation, history: list[Transition]) -> None:
        super().__init__(f"{violation.rule}: {violation.message}")
        self.violation = violation
        self.history = history


_BROKEN: dict[str, type[Broken]] = {}


def broken_class(rule_id: str) -> type[Broken]:
    """The exception of one rule (a class each: Hypothesis tells failures apart by their type)."""
    if rule_id not in _BROKEN:
        name = "Broken_" + rule_id.replace("-", "_")
        _BROKEN[rule_id] = type(name, (Broken,), {"rule": rule_id})
    return _BROKEN[rule_id]


_SAMPLERS: dict[tuple[object, ...], st.SearchStrategy[Any]] = {}


def _pick(data: st.DataObject, options: Sequence[T]) -> T:
    """One of ``options``, drawn (and shrunk towards the first); each sampler is built once.

    The choice is drawn from the test case's own data (``conjecture_data``, which Hypothesis
    calls semi-stable), as ``data.draw`` would draw it, without what ``data.draw`` adds around it:
    a note of each draw for Hypothesis's own report (explore writes its counterexamples from the
    history, never from that report), a span for the explain phase (explore does not run it) and
    a check that the strategy left the ``random`` module alone, which copies the whole state of
    ``random`` twice per draw and was a quarter of an exploration's time. The choices made, and so
    the histories played for a seed, are the same. Without that attribute (another Hypothesis),
    ``data.draw`` is used."""
    values = tuple(options)
    key = (*map(type, values), *values)  # (0, 1) and (False, True) are equal, but not alike
    sampler = _SAMPLERS.get(key)
    if sampler is None:
        if len(_SAMPLERS) > 4096:
            _SAMPLERS.clear()
        sampler = _SAMPLERS[key] = st.sampled_from(values)
    own = getattr(data, "conjecture_data", None)
    picked: T = data.draw(sampler) if own is None else own.draw(sampler)
    return picked


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class Histories(RuleBasedStateMachine):
    """One history per run of the machine, on a target reset before it starts."""

    target: ClassVar[Target]
    only: ClassVar[set[str] | None] = None
    #: called after every step (the explorer counts them)
    counter: ClassVar[list[int]] = [0]

    def __init__(self) -> None:
        super().__init__()
        self.target.reset()
        self.world = World.start(self.target, START)
        #: (run, action, status) already tried in this history: a repeat of one tells nothing new
        self.tried: set[tuple[str, str, str]] = set()

    def teardown(self) -> None:
        """The history's tenant is deleted once it ends (a target of tenants: control API version 2)."""
        leave = getattr(self.target, "leave_tenant", None)
        if callable(leave):
            leave()

    # applying and judging -------------------------------------------------------------------

    def _do(self, op: Op) -> None:
        step = self.world.apply(op)
        self.counter[0] += 1
        found = check(step, self.only)
        if found:
            raise broken_class(found[0].rule)(found[0], list(self.world.history))

    @rule(data=st.data())
    def step(self, data: st.DataObject) -> None:
        """One operation, of a kind drawn (with weights) among those the history allows now."""
        world = self.world
        kinds: list[tuple[str, int]] = [("advance", 2), ("switch_feature", 1)]
        if not world.runs and len(world.customers) < 3:
            kinds.append(("new_customer", 4 if not world.customers else 2))
        if world.customers and not world.runs:
            kinds.append(("add_subscription", 1))
        if world.customers:
            kinds += [("bill_run", 4), ("scheduled_run", 2), ("close_account", 1)]
        if world.runs:
            kinds.append(("act_on_run", 6))
        if self._scheduled_pending():
            kinds.append(("pause_scheduled", 2))
        if self._paused():  # and time passes it by, more often than not before it resumes
            kinds += [("resume_paused", 2), ("advance", 3)]
        if world.run_invoices:
            kinds.append(("invoice_action", 6))
        if world.run_memos:
            kinds.append(("post_credit_memo", 1))
        if world.subscriptions:
            kinds.append(("cancel_subscription", 4))
        if world.orders:
            kinds.append(("retry_order", 1))
        kinds.sort(key=lambda kind: -kind[1])
        chosen = _pick(data, ([name for name, weight in kinds for _ in range(weight)]))
        getattr(self, chosen)(data)

    def _day(self, data: st.DataObject, offsets: tuple[int, ...]) -> date:
        return self.world.today + timedelta(days=_pick(data, (offsets)))

    # customers and subscriptions (all taken out before the first bill run) ------------------

    def new_customer(self, data: st.DataObject) -> None:
        label = self.world.next_label("C")
        currency = _pick(data, (CURRENCIES))
        plan = _pick(data, (PLANS))
        self._do(NewCustomer(label, currency, plan, self._day(data, (0, 10, 31))))

    def add_subscription(self, data: st.DataObject) -> None:
        customer = _pick(data, (sorted(self.world.customers)))
        taken = {p for c, p in self.world.subscriptions if c == customer}
        free = [p for p in PLANS if p not in taken]
        if not free:
            return
        plan = _pick(data, (free))
        taken_on = [s for (c, _), s in self.world.subscriptions.items() if c == customer]
        first = min(taken_on, default=self.world.today)  # its first subscription may have been refused
        start = _pick(data, ((first, first + timedelta(days=20))))
        self._do(AddSubscription(customer, plan, start))

    # bill runs --------------------------------------------------------------------------------

    def close_account(self, data: st.DataObject) -> None:
        self._do(CloseAccount(_pick(data, sorted(self.world.customers))))

    def _account(self, data: st.DataObject) -> str | None:
        return _pick(data, ((None, *sorted(self.world.customers))))

    def bill_run(self, data: st.DataObject) -> None:
        kind = _pick(data, ((AdHocRun, AdHocRun, PendingRun)))
        day = self._day(data, (0, 15, 31, 45, 62))
        self._do(kind(self.world.next_label("R"), self._account(data), day))

    def scheduled_run(self, data: st.DataObject) -> None:
        repeat = _pick(data, (("None", "Daily", "Weekly", "Monthly")))
        start = self._day(data, (1, 2, 7))
        end = _pick(data, ((None, start + timedelta(days=7), start + timedelta(days=40))))
        self._do(ScheduledRun(self.world.next_label("R"), repeat, start, end))

    def _status(self, label: str) -> str:
        shot = self.world.history[-1].after if self.world.history else None
        seen = None if shot is None else shot.runs.get(label)
        return str(getattr(seen, "status", "absent"))

    def act_on_run(self, data: st.DataObject) -> None:
        action = data.draw(
            st.sampled_from(("cancel", "cancel", "post", "cancel", "delete", "pause", "resume", "hold"))
        )
        # A run the action has met in its present status already is drawn only when no other is
        # left: repeating a refusal (canceling a canceled run again and again) tells nothing new.
        runs = sorted(self.world.runs, key=lambda r: (len(r), r))
        if action in ("pause", "resume", "hold"):
            # The control operations are asked only of runs the target still shows: a deleted
            # run is unknown to it, and over HTTP an unknown one reads as a missing operation.
            runs = [r for r in runs if self._status(r) != "absent"]
            if not runs:
                return
        fresh = [r for r in runs if (r, action, self._status(r)) not in self.tried]
        label = _pick(data, fresh or runs)
        self.tried.add((label, action, self._status(label)))
        if action == "cancel":
            self._do(CancelRun(label, _pick(data, (tuple(OCCURRENCES.values())))))
        elif action == "hold":
            self._do(HoldRun(label, _pick(data, (tuple(PASSAGES)))))
        else:
            ops: dict[str, type[Op]] = {
                "post": PostRun,
                "delete": DeleteRun,
                "pause": PauseRun,
                "resume": ResumeRun,
            }
            self._do(ops[action](label))  # type: ignore[call-arg]

    def _paused(self) -> list[str]:
        return [r for r in sorted(self.world.runs, key=lambda r: (len(r), r)) if self._status(r) == "Paused"]

    def _scheduled_pending(self) -> list[str]:
        scheduled = set(self.world.schedules) | {label for label, _ in self.world.occurrences}
        return [r for r in sorted(scheduled, key=lambda r: (len(r), r)) if self._status(r) == "Pending"]

    def pause_scheduled(self, data: st.DataObject) -> None:
        """A waiting occurrence of a schedule paused, so that time may pass it by."""
        self._do(PauseRun(_pick(data, self._scheduled_pending())))

    def resume_paused(self, data: st.DataObject) -> None:
        """A paused run resumed, often after its time has passed: what BR-RESUME is about."""
        self._do(ResumeRun(_pick(data, self._paused())))

    # documents and payments ----------------------------------------------------------------------

    def _documents(self, memos: bool) -> list[tuple[str, str, Any]]:
        """(customer, run, view) for every run that holds exactly one document of a customer."""
        shot = self.world.history[-1].after if self.world.history else None
        if shot is None:
            return []
        found: list[tuple[str, str, Any]] = []
        listing = self.world.run_memos if memos else self.world.run_invoices
        views = shot.memos if memos else shot.invoices
        for run in sorted(listing):
            for account_id, customer in sorted(shot.customer_of.items(), key=lambda kv: kv[1]):
                mine = [
                    views[n] for n in sorted(listing[run]) if n in views and views[n].account_id == account_id
                ]
                if len(mine) == 1:
                    found.append((customer, run, mine[0]))
        return found

    def invoice_action(self, data: st.DataObject) -> None:
        choices = self._documents(memos=False)
        if not choices:
            return
        customer, run, invoice = choices[_pick(data, range(len(choices)))]
        ways = {
            "Draft": ("post", "post", "pay its amount"),
            "Posted": ("pay half", "pay in full", "pay its amount"),
        }.get(invoice.status, ("pay its amount", "post"))
        how = _pick(data, (ways))
        if how == "post":
            self._do(PostInvoice(customer, run))
            return
        amount = {"pay in full": invoice.balance.amount, "pay half": _cents(invoice.balance.amount / 2)}.get(
            how, invoice.amount.amount
        )
        if amount <= 0:
            return
        self._do(Pay(customer, run, Money(amount, invoice.amount.currency)))

    def post_credit_memo(self, data: st.DataObject) -> None:
        choices = self._documents(memos=True)
        if choices:
            customer, run, _ = choices[_pick(data, range(len(choices)))]
            self._do(PostCreditMemo(customer, run))

    # time and the tenant ------------------------------------------------------------------------

    def advance(self, data: st.DataObject) -> None:
        self._do(Advance(self._day(data, (1, 2, 7, 31))))

    def switch_feature(self, data: st.DataObject) -> None:
        feature = _pick(data, (tuple(FEATURE_FIELDS)))
        enabled = not getattr(self.world.features, FEATURE_FIELDS[feature])
        self._do(SetFeature(feature, enabled))

    # orders -------------------------------------------------------------------------------------

    def cancel_subscription(self, data: st.DataObject) -> None:
        # A canceled subscription is canceled again (a refusal) only once the others are.
        live = [key for key in sorted(self.world.subscriptions) if key not in self.world.canceled]
        customer, plan = _pick(data, live or sorted(self.world.subscriptions))
        start = self.world.subscriptions[(customer, plan)]
        policy = _pick(data, (POLICIES))
        effective = None
        if policy == "SpecificDate":
            effective = max(start, self.world.today) + timedelta(days=_pick(data, ((0, 5, 20))))
        label = self.world.next_label("O")
        self._do(
            CancelSubscription(
                label,
                customer,
                plan,
                policy=policy,
                effective_date=effective,
                final_invoice=_pick(data, (False, True)),
                collect_payment=_pick(data, ((False, False, False, False, True))),
                write_off=_pick(data, ((True, True, False))),
                asynchronous=_pick(data, ((False, False, False, False, False, True))),
                finance_code=_pick(data, ((None, "DR-1"))),
                reason_code=_pick(data, ((None, "Goodwill"))),
                cancel_reason=_pick(data, ((None, "Moved away"))),
                idempotency_key=_pick(data, ((None, f"key-{label}"))),
            )
        )

    def retry_order(self, data: st.DataObject) -> None:
        self._do(Retry(_pick(data, (sorted(self.world.orders)))))


def machine_for(target: Target, only: set[str] | None, counter: list[int]) -> type[Histories]:
    """A machine class bound to one target and one selection of rules, counting steps in ``counter``."""
    return type("Histories", (Histories,), {"target": target, "only": only, "counter": counter})
