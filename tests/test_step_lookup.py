"""The step look-up of ``steps/lookup.py`` finds exactly what pytest-bdd's own finds."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable

import pytest
from _pytest.fixtures import FixtureDef
from pytest_bdd.parser import Step

from billing_conformance import FEATURES_DIR, PROJECT_ROOT
from steps import lookup

_Lookup = Callable[..., Iterable[FixtureDef[object]]]


def _pytest_bdds_own() -> _Lookup:
    assert lookup.install(), "pytest-bdd has no find_fixturedefs_for_step to stand in for"
    installed = importlib.import_module("pytest_bdd.scenario").find_fixturedefs_for_step
    assert getattr(installed, "__module__", None) == "steps.lookup"
    own: _Lookup = inspect.unwrap(installed)
    assert own is not installed
    return own


class _Compare:
    """Looks every step up both ways, as the scenario runs it."""

    def __init__(self) -> None:
        self.own = _pytest_bdds_own()
        self.steps = 0
        self.found = 0
        self.differences: list[str] = []

    @pytest.hookimpl
    def pytest_bdd_before_step(self, request: pytest.FixtureRequest, step: Step) -> None:
        manager, node = request._fixturemanager, request.node
        ours = list(lookup.find_fixturedefs_for_step(step=step, fixturemanager=manager, node=node))
        theirs = list(self.own(step=step, fixturemanager=manager, node=node))
        self.steps += 1
        self.found += len(ours)
        if ours != theirs:
            self.differences.append(f"{node.nodeid}: {step}: {ours} != {theirs}")


def test_every_step_of_every_feature_finds_the_same_definitions(pytester: pytest.Pytester) -> None:
    compare = _Compare()
    recorder = pytester.inline_run(
        str(FEATURES_DIR), f"--rootdir={PROJECT_ROOT}", "-p", "no:cacheprovider", plugins=[compare]
    )
    passed, skipped, failed = recorder.listoutcomes()
    assert len(passed) > 100
    assert (skipped, failed) == ([], [])
    assert compare.steps > 500
    assert compare.found >= compare.steps  # every step found its definition
    assert compare.differences == []


TINY_CONFTEST = """
from pytest_bdd import given, parsers, step, then


@given("a thing", target_fixture="thing")
def _():
    return "the conftest's"


@step(parsers.parse("anything {word}"))
def _(word):
    pass


@then("it is the module's thing")
def _(thing):
    assert thing == "the module's"
"""

TINY_MODULE = """
from pytest_bdd import given, scenarios

scenarios("tiny.feature")


@given("a thing", target_fixture="thing")
def _():
    return "the module's"
"""

TINY_FEATURE = """
Feature: Tiny
  Scenario: A step defined twice, the closest winning, and a step of any type
    Given a thing
    And anything goes
    When anything happens
    Then it is the module's thing
"""


def test_overridden_and_any_type_steps_find_the_same_definitions(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(TINY_CONFTEST)
    pytester.makepyfile(test_tiny=TINY_MODULE)
    pytester.makefile(".feature", tiny=TINY_FEATURE)
    compare = _Compare()
    pytester.inline_run("-p", "no:cacheprovider", plugins=[compare]).assertoutcome(passed=1)
    assert compare.steps == 4
    assert compare.found == 5  # "a thing" is defined in the conftest and in the module
    assert compare.differences == []
