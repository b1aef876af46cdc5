"""Plain ``pytest`` over the kit's features, in a process of its own (as a CI job would call it)."""

from __future__ import annotations

import subprocess
import sys

from billing_conformance import FEATURES_DIR, PROJECT_ROOT

__all__ = ["plain_pytest"]


def plain_pytest(*args: str) -> subprocess.CompletedProcess[str]:
    """``pytest features ARGS`` run from the checkout, with no cache written into it."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(FEATURES_DIR),
            f"--rootdir={PROJECT_ROOT}",
            "-p",
            "no:cacheprovider",
            "-q",
            *args,
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
