"""Fixtures for the kit's own tests."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from billing_conformance import PROJECT_ROOT
from reference_impl.server import RunningServer
from steps.targets import transport
from tests.ast_guard import guard_ast_parse
from tests.servers import running_server
from tests.transport_support import Sleeps

# Reference servers run in threads of the test process; on CPython 3.11.7 two threads building
# ASTs at once (a traceback formatted in a server thread, pytest parsing in the main one) can
# end a session with "SystemError: AST constructor recursion depth mismatch" (tests/ast_guard.py).
guard_ast_parse()


#: Tests that take many seconds without running the suite through pytester: the fuzzer, and the
#: command line run in subprocesses (interrupted, parallel and serial runs).
_LONG_MODULES = frozenset(
    {
        "test_openapi_fuzz.py",
        "test_interrupted_run.py",
        "test_tenants.py",
        "test_results.py",
        "test_isolation.py",
        "test_kit_requests.py",
        "test_docs.py",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The proof runs (each runs the conformance suite, a fuzzer or the command line: seconds to a
    minute) are marked ``proof_run`` and go first, the longest known first, so that ``make test``
    under xdist hands them out while the many quick tests are left to fill the workers' last
    minutes, instead of one worker finishing a long proof alone at the end."""
    for item in items:
        if "pytester" in getattr(item, "fixturenames", ()) or item.path.name in _LONG_MODULES:
            item.add_marker(pytest.mark.proof_run)
    first = ("test_schemathesis_finds_no_fault", "test_parallel_and_serial_runs_against_one_target_agree")
    items.sort(
        key=lambda item: (
            item.name not in first,
            item.get_closest_marker("proof_run") is None,
        )
    )


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection loaded (zuora_sdk's thousands of models among it) lives until the process
    ends: it is frozen out of the garbage collector's sight. Else every full collection walks it,
    about half a second each in a test process, and pytest makes one or two at the end of every
    session it runs inside a test (explore's re-runs: seconds a test)."""
    del session
    gc.freeze()


@pytest.fixture(autouse=True)
def _no_failures_counted() -> Iterator[None]:
    """Each test starts, and leaves, with no failures counted against any target (the
    transport's circuit breaker is shared by every client of the process)."""
    transport.forget_failures()
    yield
    transport.forget_failures()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Sleeps:
    """The transport's pauses before a retry, recorded instead of waited."""
    recorder = Sleeps()
    monkeypatch.setattr(transport, "time", recorder)
    return recorder


@pytest.fixture(scope="module")
def reference_server() -> Iterator[RunningServer]:
    """The reference implementation served on a free loopback port for the tests of one module."""
    with running_server() as server:
        yield server


#: What the kit's tests may leave in the checkout: caches of the tools, never results.
_CACHES = {
    ".venv",
    ".git",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    ".pytest_cache",
    "build",
}
_STARTED = pytest.StashKey[float]()


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_STARTED] = time.time()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Tests write into temporary folders, never into the checkout (a user's own ``results/``
    among them): anything written there during the session fails it, by name."""
    if hasattr(session.config, "workerinput") or _STARTED not in session.config.stash:
        return
    started = session.config.stash[_STARTED]
    written = sorted(
        path.relative_to(PROJECT_ROOT).as_posix()
        for path in _files(PROJECT_ROOT)
        if path.stat().st_mtime >= started
    )
    if written:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"tests wrote into the checkout: {', '.join(written[:10])}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _files(folder: Path) -> Iterator[Path]:
    for path in folder.iterdir():
        if path.name in _CACHES or path.name.endswith(".egg-info"):
            continue
        if path.is_dir():
            yield from _files(path)
        elif path.is_file():
            yield path
