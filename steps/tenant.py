"""Steps about the tenant: its feature settings and its calendar."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from pytest_bdd import given, when

from steps.parsing import step
from steps.targets import Target

__all__: list[str] = []


@given(step("the tenant has Invoice Settlement {enabled:Switch}"))
def _(target: Target, enabled: bool) -> None:
    target.set_features(replace(target.features(), invoice_settlement=enabled))


@given(step("the tenant has Invoice Item Settlement {enabled:Switch}"))
def _(target: Target, enabled: bool) -> None:
    target.set_features(replace(target.features(), invoice_item_settlement=enabled))


@given(step("the tenant has the {feature:Feature} feature {enabled:Switch}"))
def _(target: Target, feature: str, enabled: bool) -> None:
    target.set_features(replace(target.features(), **{feature: enabled}))


@given(step("today is {day:Date}"))
def _(target: Target, day: date) -> None:
    target.set_today(day)


@given(step("time has passed until the end of {day:Date}"))
@when(step("time passes until the end of {day:Date}"))
def _(target: Target, day: date) -> None:
    target.advance_to(day)
