"""Steps about customers, their accounts and their subscriptions."""

from __future__ import annotations

from datetime import date

from pytest_bdd import given

from steps.parsing import step
from steps.support import arranged
from steps.targets import Target

__all__: list[str] = []


def _ensure_account(target: Target, name: str) -> None:
    try:
        target.account_number(name)
    except KeyError:
        arranged(target.create_account(name))


@given(step('the customer "{name}" subscribes to "{plan}" from {start:Date}'))
def _(target: Target, name: str, plan: str, start: date) -> None:
    _ensure_account(target, name)
    arranged(target.subscribe(name, plan, start))


@given(step('the customer "{name}" pays in {currency:Currency} and subscribes to "{plan}" from {start:Date}'))
def _(target: Target, name: str, currency: str, plan: str, start: date) -> None:
    arranged(target.create_account(name, currency))
    arranged(target.subscribe(name, plan, start))


@given(step('the customer "{name}" has nothing to bill'))
def _(target: Target, name: str) -> None:
    _ensure_account(target, name)


@given(step('the account of "{name}" has been closed'))
def _(target: Target, name: str) -> None:
    arranged(target.close_account(name))
