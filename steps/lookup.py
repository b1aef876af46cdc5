"""Finding a step's definition among the step definitions only, not among every fixture.

pytest-bdd keeps each step definition as a fixture and, for every step of every scenario, asks
pytest which definitions of *every registered fixture name* the scenario can see, then keeps the
step definitions of the step's type whose parser matches. With this library (about a hundred step
definitions, and pytest's own fixtures, the ``target_fixture`` values and pytester's besides) that
scan was about 45% of a scenario's time in-process: each of some 130 names costs a walk up the
collection tree.

pytest-bdd registers a step definition under a fixture name that says what it is:
``pytestbdd_stepdef_<type>_<pattern>`` (``*`` for a step of any type), see
:class:`pytest_bdd.steps.StepNamePrefix`. :func:`find_fixturedefs_for_step` is pytest-bdd's own
look-up with one test put first: names that cannot hold a definition of the step's type are
passed over before pytest is asked about them. Every name that can is checked exactly as
pytest-bdd checks it (visibility to the scenario, the definition's type, its parser), in the same
order, so the same definitions are found and pytest-bdd goes on as before: it injects them, the
closest wins, and the steps run through its own machinery. Nothing is remembered between steps or
scenarios. Only a definition put under another fixture name by hand, not by pytest-bdd's
decorators, would be missed; the kit has none. ``tests/test_step_lookup.py`` checks that both
look-ups find the same definitions for every step of every feature.

:func:`install` puts it in place of pytest-bdd's function, once per process, at ``pytest_configure``;
pytest-bdd's own stays reachable as ``__wrapped__``. If pytest-bdd no longer has that function
(another version), nothing is replaced and the suite runs on pytest-bdd's look-up unchanged.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

from _pytest.fixtures import FixtureDef, FixtureManager
from _pytest.nodes import Node
from pytest_bdd.compat import get_fixture_names, getfixturedefs
from pytest_bdd.parser import Step
from pytest_bdd.steps import StepNamePrefix, step_function_context_registry

__all__ = ["find_fixturedefs_for_step", "install", "pytest_configure"]

_DEFINITION = StepNamePrefix.step_def.value
_ANY_TYPE = f"{_DEFINITION}_*_"  # the name of a definition made with ``step``, for any type


def find_fixturedefs_for_step(
    step: Step, fixturemanager: FixtureManager, node: Node
) -> Iterator[FixtureDef[object]]:
    """The step definitions that can parse ``step`` and that ``node`` can see, as pytest-bdd finds them."""
    possible = (f"{_DEFINITION}_{step.type}_", _ANY_TYPE)
    for fixturename in get_fixture_names(fixturemanager=fixturemanager):
        if not fixturename.startswith(possible):
            continue
        # From here on, pytest-bdd's own find_fixturedefs_for_step (9.0), unchanged.
        for fixturedef in getfixturedefs(fixturemanager, fixturename, node) or []:
            step_func_context = step_function_context_registry.get(fixturedef.func)
            if step_func_context is None:
                continue
            if step_func_context.type is not None and step_func_context.type != step.type:
                continue
            if not step_func_context.parser.is_matching(step.name):
                continue
            yield fixturedef


def install() -> bool:
    """Put :func:`find_fixturedefs_for_step` in place of pytest-bdd's; whether it is in place."""
    module: Any = importlib.import_module("pytest_bdd.scenario")
    current = getattr(module, "find_fixturedefs_for_step", None)
    if current is None:
        return False
    if getattr(current, "__module__", None) == __name__:  # already (perhaps by an earlier import)
        return True
    find_fixturedefs_for_step.__wrapped__ = current  # type: ignore[attr-defined]
    module.find_fixturedefs_for_step = find_fixturedefs_for_step
    return True


def pytest_configure() -> None:
    install()
