"""The ``target`` fixture and the ``--target`` option that chooses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from steps.targets import DEFAULT_TARGET, Target, TargetSpecError, open_target

__all__ = ["pytest_addoption", "pytest_configure", "target"]


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


_TARGET = pytest.StashKey[Target]()


def pytest_configure(config: pytest.Config) -> None:
    """Open the target once, before collection, so a bad ``--target`` stops the run at once."""
    try:
        profile = config.getoption("--profile")
        config.stash[_TARGET] = open_target(
            str(config.getoption("--target")),
            Path(profile) if profile else None,
            allow_production=bool(config.getoption("--allow-production")),
        )
    except TargetSpecError as error:
        raise pytest.UsageError(str(error)) from error


@pytest.fixture(scope="session")
def _session_target(request: pytest.FixtureRequest) -> Target:
    return request.config.stash[_TARGET]


@pytest.fixture
def target(_session_target: Target) -> Target:
    """The system under test, emptied for this scenario."""
    _session_target.reset()
    return _session_target
