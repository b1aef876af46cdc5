"""Steps that replay a history, in the sentences ``billing-conformance explore`` writes its
counterexamples in (:mod:`steps.history_ops` holds each sentence beside its operation).

A history names its customers, bill runs and orders by labels ("C1", "R2", "O1"), so that one
scenario can hold several of each. Every sentence but the first may come after any keyword: the
operations are the arrangement, and the last one is the step under judgment. ``Then the last step
keeps rule <ID>`` judges that step with the rule's property (:mod:`steps.properties`), exactly as
the explorer did.
"""

from __future__ import annotations

from datetime import date

from pytest_bdd import given, parsers, step, then

from steps.histories import (
    FEATURE_FIELDS,
    OCCURRENCES,
    PASSAGES,
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
    World,
)
from steps.judge import check
from steps.parsing import TYPES, _Type
from steps.targets import ArrangementError, Money, Refused, Target

__all__: list[str] = []


def _words(*choices: str) -> _Type[str]:
    return _Type("|".join(choices), str)


def _scope(said: str) -> str | None:
    return None if said == "all customers" else said.strip('"')


def _ending(said: str) -> date | None:
    return None if said == "never" else date.fromisoformat(said)


_EXTRA = {
    **TYPES,
    "Scope": _Type(r'all customers|"[^"]+"', _scope),
    "Repeat": _words("None", "Daily", "Weekly", "Monthly"),
    "Ending": _Type(r"never|\d{4}-\d{2}-\d{2}", _ending),
    "Occurrences": _Type("|".join(OCCURRENCES), str),
    "Passage": _Type("|".join(PASSAGES), str),
    "TenantFeature": _Type("|".join(sorted(FEATURE_FIELDS, key=len, reverse=True)), str),
}


def _sentence(op: type[Op]) -> parsers.parse:
    return parsers.parse(op.sentence, extra_types=_EXTRA)


def _apply(history: World, op: Op) -> None:
    try:
        history.apply(op)
    except LookupError as error:  # the document the sentence names is not there: not arranged
        raise ArrangementError(op.text(), str(error)) from error


@given(parsers.parse("a history that starts on {day:Date}", extra_types=TYPES), target_fixture="history")
def _(target: Target, day: date) -> World:
    return World.start(target, day)


@step(_sentence(NewCustomer))
def _(history: World, customer: str, currency: str, plan: str, start: date) -> None:
    _apply(history, NewCustomer(customer, currency, plan, start))


@step(_sentence(AddSubscription))
def _(history: World, customer: str, plan: str, start: date) -> None:
    _apply(history, AddSubscription(customer, plan, start))


@step(_sentence(CloseAccount))
def _(history: World, customer: str) -> None:
    _apply(history, CloseAccount(customer))


@step(_sentence(AdHocRun))
def _(history: World, run: str, account: str | None, day: date) -> None:
    _apply(history, AdHocRun(run, account, day))


@step(_sentence(PendingRun))
def _(history: World, run: str, account: str | None, day: date) -> None:
    _apply(history, PendingRun(run, account, day))


@step(_sentence(ScheduledRun))
def _(history: World, run: str, repeat: str, start: date, end: date | None) -> None:
    _apply(history, ScheduledRun(run, repeat, start, end))


@step(_sentence(CancelRun))
def _(history: World, run: str, occurrences: str) -> None:
    _apply(history, CancelRun(run, OCCURRENCES[occurrences]))


@step(_sentence(HoldRun))
def _(history: World, run: str, passage: str) -> None:
    _apply(history, HoldRun(run, passage))


for _simple in (PostRun, DeleteRun, PauseRun, ResumeRun):

    def _on_run(history: World, run: str, kind: type[Op] = _simple) -> None:
        _apply(history, kind(run))  # type: ignore[call-arg]

    step(_sentence(_simple))(_on_run)


@step(_sentence(PostInvoice))
def _(history: World, customer: str, run: str) -> None:
    _apply(history, PostInvoice(customer, run))


@step(_sentence(PostCreditMemo))
def _(history: World, customer: str, run: str) -> None:
    _apply(history, PostCreditMemo(customer, run))


@step(_sentence(Pay))
def _(history: World, amount: Money, customer: str, run: str) -> None:
    _apply(history, Pay(customer, run, amount))


@step(_sentence(Advance))
def _(history: World, day: date) -> None:
    _apply(history, Advance(day))


@step(_sentence(SetFeature))
def _(history: World, feature: str, enabled: bool) -> None:
    _apply(history, SetFeature(feature, enabled))


@step(_sentence(CancelSubscription))
def _(history: World, customer: str, order: str, plan: str, datatable: list[list[str]]) -> None:
    rows = {key.strip(): value.strip() for key, value in datatable}
    _apply(history, CancelSubscription.from_table(order, customer, plan, rows))


@step(_sentence(Retry))
def _(history: World, order: str) -> None:
    _apply(history, Retry(order))


@then(parsers.parse("the last step keeps rule {rule}"))
def _(history: World, rule: str) -> None:
    assert history.history, "the history has no step to judge"
    last = history.history[-1]
    found = check(last, {rule})
    answered = "refused" if isinstance(last.outcome, Refused) else "accepted"
    assert not found, f"{rule} is broken by '{last.op.text()}' ({answered}): " + "; ".join(
        v.message for v in found
    )
