"""Every property of every rule, gathered: :func:`check` judges one step of a history."""

from __future__ import annotations

from steps import proration_properties, write_off_properties
from steps.histories import Transition
from steps.properties import PROPERTIES, Violation

__all__ = ["check", "rules_checked"]

#: the modules whose properties register themselves in PROPERTIES when imported
MODULES = ("steps.properties", write_off_properties.__name__, proration_properties.__name__)


def rules_checked() -> list[str]:
    """The IDs of the rules some property judges."""
    return sorted({rule for judge in PROPERTIES.values() for rule in judge.rules})  # type: ignore[attr-defined]


def check(step: Transition, only: set[str] | None = None) -> list[Violation]:
    """Every violation ``step`` shows, of the rules in ``only`` (all when None)."""
    found = [v for judge in PROPERTIES.values() for v in judge(step)]
    return [v for v in found if only is None or v.rule in only]
