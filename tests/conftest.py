"""Fixtures for the kit's own tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reference_impl.server import RunningServer
from tests.servers import running_server


@pytest.fixture(scope="module")
def reference_server() -> Iterator[RunningServer]:
    """The reference implementation served on a free loopback port for the tests of one module."""
    with running_server() as server:
        yield server
