"""The kit leaves no tenant behind (control API version 2), however a run ends.

A scenario's tenant is deleted when the scenario ends (the ``target`` fixture). Besides, every
process of a run deletes, as it ends, the tenants it made and still holds (a deletion that
failed, a scenario stopped part-way): :meth:`steps.targets.http_base.HttpTargetBase.close`, best
effort and within a few seconds, registered here as a clean-up of pytest's configuration, which
runs however the session ended.

Under pytest-xdist a worker may not get so far: after an interruption its controller gives it a
few seconds before ending it, and a SIGTERM to every process of the run (a CI job's timeout)
would end it at once. So a worker takes SIGTERM as Ctrl-C, and keeps a journal of the tenants it
holds, rewritten whenever they change, in a folder its controller made for the run; the
controller, which ends last, takes over what each journal names and deletes it with its own (a
tenant the worker did delete answers 404: done), then removes the folder.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest

from steps.fixtures import http_target

__all__ = ["JOURNAL_KEY", "pytest_configure", "pytest_configure_node", "pytest_unconfigure"]

#: The key of the journals' folder in a pytest-xdist worker's ``workerinput``.
JOURNAL_KEY = "billing_conformance_tenant_journals"
_JOURNALS = pytest.StashKey[Path]()


@pytest.hookimpl(trylast=True)  # after steps.fixtures has opened the target
def pytest_configure(config: pytest.Config) -> None:
    http = http_target(config)
    if http is None:
        return
    config.add_cleanup(http.close)
    worker: dict[str, Any] | None = getattr(config, "workerinput", None)
    if worker is None:
        return
    _interrupt_on_sigterm()
    folder = worker.get(JOURNAL_KEY)
    if folder:
        http.made_tenants.on_change = _journal(Path(folder) / f"{worker.get('workerid', os.getpid())}.json")


def _interrupt_on_sigterm() -> None:
    """SIGTERM stops the worker's scenario as Ctrl-C does, so that the worker still ends its
    session and deletes its tenant; unless something other than the default handles it already."""
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        with suppress(ValueError):  # only the main thread may set a handler
            signal.signal(signal.SIGTERM, signal.default_int_handler)


def _journal(path: Path) -> Callable[[tuple[str, ...]], None]:
    """Rewrite ``path`` whole with the tenants held (best effort: a journal is a safety net)."""

    def write(held: tuple[str, ...]) -> None:
        written = path.with_suffix(".tmp")
        with suppress(OSError):
            written.write_text(json.dumps(list(held)), encoding="utf-8")
            written.replace(path)

    return write


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:  # noqa: ANN401 - xdist's WorkerController
    """pytest-xdist, in the controller: the folder of the workers' journals, made once."""
    config: pytest.Config = node.config
    if http_target(config) is None:
        return
    if _JOURNALS not in config.stash:
        config.stash[_JOURNALS] = Path(tempfile.mkdtemp(prefix="billing-conformance-tenants-"))
    node.workerinput[JOURNAL_KEY] = str(config.stash[_JOURNALS])


def pytest_unconfigure(config: pytest.Config) -> None:
    """In the controller, once its workers are gone: take over what their journals name, for the
    clean-up that deletes it (:meth:`~steps.targets.http_base.HttpTargetBase.close`)."""
    folder = config.stash.get(_JOURNALS, None)
    http = http_target(config)
    if folder is None or http is None:
        return
    for path in sorted(folder.glob("*.json")):
        with suppress(OSError, ValueError):
            held = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(held, list):
                http.made_tenants.adopt(tenant for tenant in held if isinstance(tenant, str))
    shutil.rmtree(folder, ignore_errors=True)
