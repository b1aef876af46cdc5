"""The kit's own machinery: the rule catalog, the pytest plugin that reports per rule, the CLI."""

from __future__ import annotations

from pathlib import Path

__all__ = ["FEATURES_DIR", "PROJECT_ROOT", "__version__"]

__version__ = "0.1.0"

_PACKAGE = Path(__file__).resolve().parent
#: The checkout the kit runs from (meaningful in a checkout only: the kit's tests use it).
PROJECT_ROOT = _PACKAGE.parent
#: The features: inside the package when the kit is installed from a wheel, at the top of a
#: checkout (where reviewers read them) otherwise.
FEATURES_DIR = _PACKAGE / "features" if (_PACKAGE / "features").is_dir() else PROJECT_ROOT / "features"
