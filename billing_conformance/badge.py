"""``badge.json``: the run's verdict as a shields.io endpoint badge, written into every results
folder (as Bowtie publishes its badges), so that CI can publish it and a README show it:
``https://img.shields.io/endpoint?url=<where badge.json is served>``.

The message is the verdict with its denominator, the rules of the catalog that hold out of all
of them (``conforms 45/45 rules``), and the SHOULD warnings when there are some; the colour
follows the verdict. The shape is shields.io's endpoint schema
(``schemas/shields-endpoint.schema.json``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from billing_conformance.verdicts import (
    CONFORMS,
    DOES_NOT_CONFORM,
    HOLDS,
    INCOMPLETE,
    INCONCLUSIVE,
    NOTHING_CHECKED,
    PARTIAL,
)

__all__ = ["BADGE_FILE", "LABEL", "badge"]

BADGE_FILE = "badge.json"
LABEL = "billing conformance"
_COLOR = {
    CONFORMS: "brightgreen",
    PARTIAL: "green",
    DOES_NOT_CONFORM: "red",
    INCONCLUSIVE: "orange",
    NOTHING_CHECKED: "lightgrey",
    INCOMPLETE: "lightgrey",
}
#: A passing verdict with SHOULD warnings: still passing, but not clean.
_WARNED = "yellowgreen"


def badge(results: Mapping[str, Any]) -> dict[str, Any]:
    """The shields.io endpoint JSON of ``results`` (a run's ``conformance.json``)."""
    summary = results["summary"]
    verdict = str(summary["verdict"])
    rules = results["rules"]
    holding = sum(rule["verdict"] == HOLDS for rule in rules)
    message = f"{verdict} {holding}/{len(rules)} rules"
    warned = int(summary.get("warnings", 0))
    if warned:
        message += f", {warned} {'warning' if warned == 1 else 'warnings'}"
    passing = verdict in (CONFORMS, PARTIAL)
    return {
        "schemaVersion": 1,
        "label": LABEL,
        "message": message,
        "color": _WARNED if warned and passing else _COLOR.get(verdict, "lightgrey"),
    }
