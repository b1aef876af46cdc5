"""The ``target`` fixture and the ``--target`` option that chooses it.

How the scenarios of a run are kept apart (a tenant each, the one tenant reset, or nothing: see
:class:`steps.targets.control_plan.Isolation`) is decided once, by the process that starts the run,
before any scenario and any pytest-xdist worker starts: :func:`pytest_configure` asks the
target's control API, and :func:`pytest_configure_node` hands the decision to each worker in its
``workerinput``. A worker never decides for itself, so a transient answer to one of its requests
can never turn it to resetting a tenant the others are using. A decision that could not be made
(the target failed past the retries, say) errors every scenario with the reason.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from steps.targets import DEFAULT_TARGET, Target, TargetSpecError, open_target

if TYPE_CHECKING:
    from steps.targets.http import HttpTarget

__all__ = ["http_target", "pytest_addoption", "pytest_configure", "pytest_configure_node", "target"]

#: The key of the run's control plan in a pytest-xdist worker's ``workerinput``.
PLAN_KEY = "billing_conformance_control_plan"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--target",
        default=DEFAULT_TARGET,
        help="system under test: 'inprocess' (default), 'inprocess:MODULE:CLASS', or a base URL",
    )
    parser.addoption("--profile", default=None, help="TOML profile of an HTTP target")
    parser.addoption(
        "--allow-production",
        action="store_true",
        default=False,
        help="let the kit run against one of Zuora's production hosts (it cancels and writes off!)",
    )
    parser.addoption(
        "--control-plan",
        default=None,
        help="how scenarios are kept apart, as decided already (JSON; billing-conformance run hands "
        "on what its smoke check decided, so that the run decides it once)",
    )


_TARGET = pytest.StashKey[Target]()
_PLAN = pytest.StashKey[dict[str, Any]]()


def pytest_configure(config: pytest.Config) -> None:
    """Open the target once, before collection, so a bad ``--target`` stops the run at once; for
    an HTTP target, learn how scenarios are kept apart (or take what the controller learnt)."""
    try:
        profile = config.getoption("--profile")
        config.stash[_TARGET] = open_target(
            str(config.getoption("--target")),
            Path(profile) if profile else None,
            allow_production=bool(config.getoption("--allow-production")),
        )
    except TargetSpecError as error:
        raise pytest.UsageError(str(error)) from error
    http = _http_target(config.stash[_TARGET])
    if http is None:
        return
    worker: dict[str, Any] | None = getattr(config, "workerinput", None)
    if worker is not None:
        missing = {"error": "the run's controller handed this worker no decision"}
        http.adopt_plan(worker.get(PLAN_KEY) or missing)
        return
    given = config.getoption("--control-plan")
    if given:
        http.adopt_plan(json.loads(given))
    plan = http.plan_as_wire()
    config.stash[_PLAN] = plan
    if plan.get("isolation") == "reset" and _parallel(config):
        raise pytest.UsageError(
            f"{http.profile.base_url} resets one shared tenant between scenarios (control API version 1 "
            "only): scenarios run in parallel would reset each other's; run it without -n"
        )


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:  # noqa: ANN401 - xdist's WorkerController
    """pytest-xdist, in the controller: hand each worker the run's decision."""
    plan = node.config.stash.get(_PLAN, None)
    if plan is not None:
        node.workerinput[PLAN_KEY] = plan


def http_target(config: pytest.Config) -> HttpTarget | None:
    """The run's HTTP target with the control API, if the run has one (see :func:`_http_target`)."""
    opened = config.stash.get(_TARGET, None)
    return None if opened is None else _http_target(opened)


def _http_target(target: Target) -> HttpTarget | None:
    """The HTTP target with the control API that ``target`` is, if it is one (a target without
    the control API is never reset and needs no decision). An in-process run never imports the
    HTTP machinery: unless it is loaded, the target is not over HTTP."""
    http = sys.modules.get("steps.targets.http")
    if http is None or not isinstance(target, http.HttpTarget):
        return None
    found: HttpTarget = target
    return found


def _parallel(config: pytest.Config) -> bool:
    """Whether pytest-xdist runs the scenarios in worker processes."""
    workers = getattr(config.option, "numprocesses", None)
    return bool(workers) and getattr(config.option, "dist", "no") != "no"


@pytest.fixture(scope="session")
def _session_target(request: pytest.FixtureRequest) -> Target:
    return request.config.stash[_TARGET]


@pytest.fixture
def target(_session_target: Target) -> Iterator[Target]:
    """The system under test, emptied for this scenario; its tenant is deleted once it ends."""
    _session_target.reset()
    yield _session_target
    http = _http_target(_session_target)
    if http is not None:
        http.leave_tenant()
