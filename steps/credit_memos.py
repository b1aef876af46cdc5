"""Steps about credit memos."""

from __future__ import annotations

from pytest_bdd import given, parsers, then

from steps.parsing import DOCUMENT_STATUS, step
from steps.support import arranged, credit_memo_of
from steps.targets import BillRunView, Target

__all__: list[str] = []


@given(step('the credit memo of "{name}" has been posted'))
def _(target: Target, bill_run: BillRunView, name: str) -> None:
    arranged(target.post_credit_memo(credit_memo_of(target, bill_run, name).number))


@then(
    parsers.re(
        r'the credit memo of "(?P<name>[^"]+)" is (?:still )?(?P<status>a draft|draft|posted|canceled)'
    )
)
def _(target: Target, bill_run: BillRunView, name: str, status: str) -> None:
    memo = credit_memo_of(target, bill_run, name)
    assert memo.status == DOCUMENT_STATUS[status], f"the credit memo {memo.number} is {memo.status}"
