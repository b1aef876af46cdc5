"""The kit's ``pytest11`` entry point: loaded by every pytest session where the kit is installed,
it stays inert unless the session runs the kit's features.

It then registers :mod:`billing_conformance.kit` (the step library, the conformance plugin and
the business-language failures), so that ``pytest --pyargs billing_conformance.features
--target inprocess`` runs the suite as ``billing-conformance run`` does. In any other session
(a project where the kit is merely installed) it adds no option, no summary and writes nothing:
such a project that wants the kit's steps says so in its ``conftest.py`` (docs/extending.md).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from billing_conformance import FEATURES_DIR

__all__ = ["pytest_load_initial_conftests", "runs_the_kits_features"]

_PACKAGE = "billing_conformance.features"
_KIT = "billing_conformance.kit"


def runs_the_kits_features(args: Sequence[str], invocation_dir: str) -> bool:
    """Whether pytest's ``args`` name the kit's features: ``billing_conformance.features`` (under
    ``--pyargs``), or a path into the features folder (a file of it, ``::`` a test, or the
    folder itself)."""
    for arg in args:
        if arg.startswith("-"):
            continue
        if arg == _PACKAGE or arg.startswith(f"{_PACKAGE}."):
            return True
        path = os.path.abspath(os.path.join(invocation_dir, arg.split("::", 1)[0]))
        if os.path.exists(path) and Path(os.path.realpath(path)).is_relative_to(FEATURES_DIR):
            return True
    return False


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, args: list[str]) -> None:
    if runs_the_kits_features(args, str(early_config.invocation_params.dir)):
        early_config.pluginmanager.import_plugin(_KIT)
