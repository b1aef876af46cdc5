"""Known-bad variants of the reference implementation: each breaks one documented rule.

They exist to prove the conformance suite can fail: ``tests/test_known_bad.py`` runs the whole
suite against every variant and checks that exactly the rule in ``breaks`` (plus the declared
``also_breaks``, other statements the variant truly breaks) stops holding and exactly the rules in
``also_errors`` cannot be observed, so any other rule that falls shows up as collateral blame.
Run one by hand with
``billing-conformance run --target inprocess:tests.known_bad:CancelsPostedRuns``.
"""

from __future__ import annotations

from tests.known_bad import bill_runs, explore_only, orders, schedules, write_offs
from tests.known_bad.base import KnownBad

KNOWN_BAD: tuple[type[KnownBad], ...] = tuple(
    value
    for module in (bill_runs, orders, schedules, write_offs)
    for value in vars(module).values()
    if isinstance(value, type)
    and issubclass(value, KnownBad)
    and value is not KnownBad
    and value.__module__ == module.__name__
    and not value.__name__.startswith("_")
)
#: Variants that hold every example of the features (tests/test_known_bad.py says so) and break a
#: rule only on histories ``billing-conformance explore`` finds (tests/test_explore.py).
EXPLORE_ONLY: tuple[type[KnownBad], ...] = (explore_only.DeletesTheWaitingOccurrenceWithACanceledOne,)
globals().update({variant.__name__: variant for variant in (*KNOWN_BAD, *EXPLORE_ONLY)})

__all__ = [  # noqa: PLE0604
    "EXPLORE_ONLY",
    "KNOWN_BAD",
    "KnownBad",
    *(variant.__name__ for variant in (*KNOWN_BAD, *EXPLORE_ONLY)),
]
