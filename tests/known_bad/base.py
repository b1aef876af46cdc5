"""The base of every known-bad variant."""

from __future__ import annotations

from typing import ClassVar

from reference_impl import Billing

__all__ = ["KnownBad"]


class KnownBad(Billing):
    """A reference implementation with one rule broken on purpose.

    ``breaks`` names that rule; ``also_breaks`` names the rules that depend on it and so must
    fail too; ``also_errors`` names rules whose scenarios can no longer even be arranged (the
    meta-test checks both sets exactly).
    """

    breaks: ClassVar[str]
    also_breaks: ClassVar[frozenset[str]] = frozenset()
    also_errors: ClassVar[frozenset[str]] = frozenset()
    #: True when every scenario the variant fails is a SHOULD one: a warning, and the run exits 0.
    should_only: ClassVar[bool] = False
