"""The ``target`` fixture and the ``--target`` option that chooses it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from steps.targets import DEFAULT_TARGET, Target, open_target

__all__ = ["pytest_addoption", "target"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--target",
        default=DEFAULT_TARGET,
        help="system under test: 'inprocess' (default) or 'inprocess:MODULE:CLASS'",
    )


@pytest.fixture(scope="session")
def _session_target(request: pytest.FixtureRequest) -> Target:
    return open_target(str(request.config.getoption("--target")))


@pytest.fixture
def target(_session_target: Target) -> Iterator[Target]:
    """The system under test, emptied for this scenario."""
    _session_target.reset()
    yield _session_target
