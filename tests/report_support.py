"""Results to render in report tests, made by real runs of the suite."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from billing_conformance import PROJECT_ROOT

__all__ = ["run_results"]


def run_results(folder: Path, target: str, *extra: str) -> dict[str, Any]:
    """Run the whole suite against ``target`` (``extra``: more pytest arguments) and return its results."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "features",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--target={target}",
            f"--results={folder}",
            *extra,
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    loaded = json.loads((folder / "conformance.json").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded
