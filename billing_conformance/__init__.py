"""The kit's own machinery: the rule catalog, the pytest plugin that reports per rule, the CLI."""

from __future__ import annotations

from pathlib import Path

__all__ = ["FEATURES_DIR", "PROJECT_ROOT", "__version__"]

__version__ = "0.1.0"

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FEATURES_DIR = PROJECT_ROOT / "features"
