"""Re-running counterexamples through the kit's own machinery.

The counterexamples are written as a small project of the kit's kind (docs/extending.md): a
``features/`` folder, a test module that binds it with :func:`billing_conformance.kit.scenarios`
and a ``pytest.ini`` that makes the folder pytest's root. :func:`rerun` runs that project with
the plugins ``billing-conformance run`` loads, against a target, and writes a results folder as
``run`` does; what each rule's scenario did is read back from its ``conformance.json``. The same
command, printed by :func:`rerun_command`, reproduces it from a shell.
"""

from __future__ import annotations

import io
import json
import os
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path

import pytest

from billing_conformance.folders import write_whole
from billing_conformance.kit import KIT_PLUGINS as KIT

__all__ = ["PROJECT", "rerun", "rerun_command", "write_project"]

#: The folder of the results the counterexamples are written to, and its parts.
PROJECT = "counterexamples"
FEATURE = "explore.feature"

_TEST_MODULE = '''"""Binds the counterexamples of billing-conformance explore to the kit's steps."""

from __future__ import annotations

from billing_conformance.kit import scenarios

scenarios("features")
'''
#: The plugins ``billing-conformance run`` loads (billing_conformance.cli), and no others.
KIT_PLUGINS = ("pytest_bdd.plugin", "xdist.plugin", *KIT, "billing_conformance.live")
_INI = "[pytest]\naddopts = --strict-markers -p no:cacheprovider\n"


def write_project(folder: Path, feature: str) -> Path:
    """Write the counterexamples' project below ``folder``; return the project's folder. Each
    file replaces what had its name, and a symbolic link in the way is replaced by a folder of
    the kit's own: nothing is written through a link to somewhere outside ``folder``."""
    project = folder / PROJECT
    for part in (project, project / "features"):
        if part.is_symlink():
            part.unlink()
        part.mkdir(parents=True, exist_ok=True)
    write_whole(project / "features" / FEATURE, feature + "\n")
    write_whole(project / "test_counterexamples.py", _TEST_MODULE)
    write_whole(project / "pytest.ini", _INI)
    return project


def _arguments(
    project: Path, target: str, results: Path, profile: Path | None, allow_production: bool
) -> list[str]:
    """pytest's arguments, with the target's profile and permission as ``run`` hands them on."""
    return [
        str(project),
        f"--rootdir={project}",
        f"--config-file={project / 'pytest.ini'}",
        "--import-mode=importlib",
        f"--target={target}",
        "-q",
        "--tb=no",
        "-rN",
        f"--results={results}",
        *(f"-p{plugin}" for plugin in KIT_PLUGINS),
        *([f"--profile={profile}"] if profile is not None else []),
        *(["--allow-production"] if allow_production else []),
    ]


def rerun_command(
    project: Path, target: str, results: Path, profile: Path | None = None, *, allow_production: bool = False
) -> str:
    """The shell command that re-runs the counterexamples as :func:`rerun` does."""
    words = ["python", "-m", "pytest", *_arguments(project, target, results, profile, allow_production)]
    return "PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 " + " ".join(shlex.quote(w) for w in words)


@contextmanager
def _no_autoload() -> Iterator[None]:
    before = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"]
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = before


def rerun(
    project: Path, target: str, results: Path, profile: Path | None = None, *, allow_production: bool = False
) -> dict[str, str]:
    """Run the counterexamples against ``target``; return each rule's status as the results
    folder's conformance.json states it (``broken``, ``holds``, ``errored``, ...)."""
    for name, module in list(sys.modules.items()):  # an earlier re-run's binding, in this process
        if name.endswith("test_counterexamples") or str(getattr(module, "__file__", "")).endswith(
            "test_counterexamples.py"
        ):
            del sys.modules[name]
    said = io.StringIO()  # the session's own report is in the results folder
    with _no_autoload(), redirect_stdout(said):
        pytest.main(_arguments(project, target, results, profile, allow_production))
    path = results / "conformance.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(rule["id"]): str(rule["verdict"]) for rule in data.get("rules", [])}
