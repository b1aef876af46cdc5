"""The base of every known-bad variant."""

from __future__ import annotations

from typing import ClassVar

from reference_impl import Billing

__all__ = ["KnownBad"]


class KnownBad(Billing):
    """A reference implementation with one rule broken on purpose.

    ``breaks`` names that rule. ``also_breaks`` names any other rule whose own statement the
    variant breaks too (its docstring says why); ``also_errors`` names the rules whose scenarios
    can no longer be arranged or observed on it, because of the fault and not of anything their
    statements name. The meta-test checks both sets exactly: any other rule that falls is
    collateral blame, and a test failure. ``explore_also_breaks`` names the rules whose statements
    the variant breaks only in histories no example of the features sets up, which explore finds
    (tests/test_explore.py holds each finding to ``breaks``, ``also_breaks`` and these).
    """

    breaks: ClassVar[str]
    also_breaks: ClassVar[frozenset[str]] = frozenset()
    also_errors: ClassVar[frozenset[str]] = frozenset()
    explore_also_breaks: ClassVar[frozenset[str]] = frozenset()
    #: True when every scenario the variant fails is a SHOULD one: a warning, and the run exits 0.
    should_only: ClassVar[bool] = False
