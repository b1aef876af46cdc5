"""The evidence table (``docs/zuora-evidence.md``): Zuora's published word behind every rule and
every decision of the catalog, one row each, with the verdict of that reading.

A row is keyed by a rule's ID, or by ``<rule ID>/<n>`` for the rule's n-th decision (``shared/<n>``
for the decisions that hold for every rule); its severity must be the catalog's. The verdict is
``documented``, ``implied: <by what>`` or ``the kit's decision``; a MUST may not stand on the last.
:func:`evidence_problems` says what keeps a table from matching a catalog; the living documentation
links each rule to its row (:func:`anchor`).

Installed from a wheel, the table travels inside the package (``billing_conformance/evidence``,
mapped from ``docs/`` in ``pyproject.toml``); in a checkout it is read from ``docs/``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from billing_conformance import PROJECT_ROOT
from billing_conformance.catalog import KIT, MUST, SEVERITIES, Catalog

__all__ = [
    "EVIDENCE_FILE",
    "EVIDENCE_NAME",
    "KIT_DECISION",
    "VERDICTS",
    "EvidenceRow",
    "anchor",
    "catalog_keys",
    "evidence_problems",
    "read_evidence",
    "rows_by_key",
]

EVIDENCE_NAME = "zuora-evidence.md"
_PACKAGED = Path(__file__).resolve().parent.parent / "evidence" / EVIDENCE_NAME
#: The table: inside the package when the kit is installed from a wheel, in ``docs/`` otherwise.
EVIDENCE_FILE = _PACKAGED if _PACKAGED.is_file() else PROJECT_ROOT / "docs" / EVIDENCE_NAME

KIT_DECISION = "the kit's decision"
#: What a verdict cell starts with.
VERDICTS = ("documented", "implied", KIT_DECISION)
SHARED = "shared"

_ROW = re.compile(r"^\|\s*(?:<a id=\"(?P<anchor>[^\"]*)\"></a>)?(?P<key>[^|]*?)\s*\|(?P<rest>.*)\|\s*$")


@dataclass(frozen=True)
class EvidenceRow:
    """One row of the table: what the kit expects, Zuora's word for it, and the verdict."""

    key: str
    severity: str
    expects: str
    support: str
    verdict: str
    line: int
    anchor: str = ""

    @property
    def kind(self) -> str:
        """The verdict's kind (one of :data:`VERDICTS`), or ``""`` when it starts with none."""
        return next((v for v in VERDICTS if self.verdict.startswith(v)), "")

    @property
    def kind_id(self) -> str:
        """The kind as one word for a page's data attribute: documented, implied, kits-decision."""
        return {KIT_DECISION: "kits-decision"}.get(self.kind, self.kind)

    @property
    def plain_verdict(self) -> str:
        return _plain(self.verdict)

    @property
    def plain_support(self) -> str:
        return _plain(self.support)


def _plain(text: str) -> str:
    """A cell without its Markdown marks (emphasis, code) for a page that shows it as text."""
    return text.replace("`", "").replace("*", "")


def anchor(key: str) -> str:
    """A row's anchor in the table: its key in lower case, ``/`` written ``-``."""
    return key.lower().replace("/", "-")


def read_evidence(text: str) -> tuple[EvidenceRow, ...]:
    """The rows of every table of the document whose header starts with ``Key | Severity``."""
    rows: list[EvidenceRow] = []
    in_table = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("|"):
            in_table = False
            continue
        found = _ROW.match(line)
        if found is None:
            continue
        cells = [cell.strip() for cell in found["rest"].split("|")]
        if found["key"] == "Key" and cells[:1] == ["Severity"]:
            in_table = True
            continue
        if not in_table or set(found["key"]) <= {"-", " "}:
            continue
        cells += [""] * (4 - len(cells))
        severity, expects, support, verdict = cells[0], cells[1], cells[2], " | ".join(cells[3:]).strip()
        rows.append(
            EvidenceRow(found["key"], severity, expects, support, verdict, number, found["anchor"] or "")
        )
    return tuple(rows)


def catalog_keys(catalog: Catalog) -> dict[str, str]:
    """Every key the table must have, with its severity: rules, their decisions, shared decisions
    (the kit's own: a project's rule, docs/extending.md, has no row in the kit's table)."""
    keys: dict[str, str] = {}
    for n, decision in enumerate(catalog.shared_decisions, start=1):
        keys[f"{SHARED}/{n}"] = decision.severity
    for rule in catalog.rules:
        if rule.origin != KIT:
            continue
        keys[rule.id] = rule.severity
        for n, decision in enumerate(rule.decisions, start=1):
            keys[f"{rule.id}/{n}"] = decision.severity
    return keys


def evidence_problems(catalog: Catalog, rows: tuple[EvidenceRow, ...]) -> list[str]:
    """What keeps ``rows`` from matching ``catalog``: nothing when every rule and decision has one
    row with its severity, no row names anything else, and no MUST stands on the kit's decision."""
    expected = catalog_keys(catalog)
    problems: list[str] = []
    seen: dict[str, int] = {}
    for row in rows:
        where = f"line {row.line}, {row.key}"
        if row.key in seen:
            problems.append(f"{where}: a second row for this key (the first is on line {seen[row.key]})")
            continue
        seen[row.key] = row.line
        if row.key not in expected:
            problems.append(f"{where}: the catalog has no rule or decision with this key")
            continue
        if row.severity not in SEVERITIES:
            problems.append(f"{where}: severity {row.severity!r} is neither MUST nor SHOULD")
        elif row.severity != expected[row.key]:
            problems.append(f"{where}: the row says {row.severity}, the catalog {expected[row.key]}")
        if not row.kind:
            problems.append(f"{where}: the verdict {row.verdict!r} starts with none of {', '.join(VERDICTS)}")
        elif row.kind == KIT_DECISION and expected[row.key] == MUST:
            problems.append(f"{where}: a MUST stands on the kit's decision; only a SHOULD may")
        if row.anchor != anchor(row.key):
            problems.append(f"{where}: its anchor is {row.anchor!r}, not {anchor(row.key)!r}")
        if not row.support:
            problems.append(f"{where}: no Zuora page or model is named")
    problems += [
        f"{key} ({severity}): no row in the evidence table"
        for key, severity in expected.items()
        if key not in seen
    ]
    return problems


def rows_by_key(rows: tuple[EvidenceRow, ...]) -> Mapping[str, EvidenceRow]:
    return {row.key: row for row in rows}
