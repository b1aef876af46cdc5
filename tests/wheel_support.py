"""The kit as a user installs it: a wheel built from this checkout, installed into a fresh
virtualenv in a temporary folder (one per test module that asks for ``installed``).

The fresh virtualenv gets the kit from the wheel alone; its dependencies (pytest, pydantic...)
are lent by this test's environment through a ``.pth`` line, so that the test needs no network
and the kit's own code cannot come from the checkout (an editable install's finder is not a path
and is not lent).
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from billing_conformance import PROJECT_ROOT

__all__ = ["call", "installed"]


def call(command: list[str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """``command`` run in ``cwd``, with none of this environment's PYTHONPATH or virtualenv."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the kit installed from a wheel built from this checkout: its bin."""
    wheels = tmp_path_factory.mktemp("wheels")
    built = call(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--wheel-dir",
            str(wheels),
            str(PROJECT_ROOT),
        ],
        PROJECT_ROOT,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = wheels.glob("billing_conformance-*.whl")
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=False)
    bin_dir = home / "bin"
    site = Path(
        call(
            [str(bin_dir / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], home
        ).stdout.strip()
    )
    (site / "lent_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    done = call(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        home,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return bin_dir
