"""The evidence table (docs/zuora-evidence.md) and README's table of decisions agree with the catalog.

The table has one row per rule and per decision (``RULE-ID/n`` for a rule's n-th decision,
``shared/n`` for the decisions of ``features/shared.feature``), with the catalog's severity, and no
MUST stands on a row whose verdict is the kit's decision. README's "Decisions the documents left
open" lists every decision of the catalog with its severity, rule by rule in the features' order.
Each check is shown to fail on a table that is wrong in one way.
"""

from __future__ import annotations

import re
from dataclasses import asdict, replace

import pytest

from billing_conformance import FEATURES_DIR, PROJECT_ROOT
from billing_conformance.catalog import MUST, RULE_ID, SHOULD, Catalog, load_catalog
from billing_conformance.report.evidence import (
    EVIDENCE_FILE,
    KIT_DECISION,
    EvidenceRow,
    anchor,
    catalog_keys,
    evidence_problems,
    read_evidence,
)

CATALOG = load_catalog(FEATURES_DIR)
README_SECTION = "## Decisions the documents left open"
SHARED_CELL = "every rule (`features/shared.feature`)"


def _rows_for(catalog: Catalog) -> tuple[EvidenceRow, ...]:
    """A table that matches ``catalog`` row for row, every verdict documented."""
    return tuple(
        EvidenceRow(key, severity, "what the kit expects", "a Zuora page", "documented", n, anchor(key))
        for n, (key, severity) in enumerate(catalog_keys(catalog).items(), start=1)
    )


def _readme_rows(text: str) -> list[tuple[str, str, int]]:
    """README's decision rows as (key, severity, line): the rule's ID, or ``shared`` for every rule."""
    start = text.index(README_SECTION)
    end = text.find("\n## ", start + len(README_SECTION))
    rows: list[tuple[str, str, int]] = []
    first = text.count("\n", 0, start) + 1
    for offset, line in enumerate(text[start : end if end != -1 else None].splitlines()):
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 3 or cells[0] in ("Rule", "---"):
            continue
        key = "shared" if cells[0] == SHARED_CELL else cells[0]
        rows.append((key, cells[1], first + offset))
    return rows


def readme_problems(catalog: Catalog, text: str) -> list[str]:
    """What keeps README's table of decisions from listing exactly the catalog's decisions: for each
    rule (and for every rule together), the severities of its rows, in order, are its decisions'."""
    expected: dict[str, list[str]] = {"shared": [d.severity for d in catalog.shared_decisions]}
    expected |= {rule.id: [d.severity for d in rule.decisions] for rule in catalog.rules if rule.decisions}
    found: dict[str, list[str]] = {}
    problems: list[str] = []
    for key, severity, line in _readme_rows(text):
        if key != "shared" and not RULE_ID.match(key):
            problems.append(f"README line {line}: {key!r} is neither a rule ID nor {SHARED_CELL!r}")
        elif key not in expected:
            problems.append(f"README line {line}: {key} has no decision in the features")
        found.setdefault(key, []).append(severity)
    for key, severities in expected.items():
        listed = found.get(key, [])
        if listed != severities:
            problems.append(
                f"{key}: the features' decisions have severities {severities}, README's rows {listed}"
            )
    return problems


def test_every_rule_and_every_decision_has_its_row_of_evidence() -> None:
    rows = read_evidence(EVIDENCE_FILE.read_text(encoding="utf-8"))
    assert len(rows) >= len(CATALOG.rules)
    assert evidence_problems(CATALOG, rows) == []


def test_readme_lists_every_decision_of_the_features_with_its_severity() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert _readme_rows(readme)
    assert readme_problems(CATALOG, readme) == []


def test_readme_points_at_the_evidence_table() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/zuora-evidence.md)" in readme


def test_a_matching_table_has_no_problem() -> None:
    """The checks below each change one thing of this table."""
    assert evidence_problems(CATALOG, _rows_for(CATALOG)) == []


def test_a_rule_or_decision_without_its_row_is_named() -> None:
    rows = _rows_for(CATALOG)
    missing = ("BR-DELETE", "WO-FAILURE-REPORTED/2", "shared/1")
    problems = evidence_problems(CATALOG, tuple(r for r in rows if r.key not in missing))
    assert [p.split(" ", 1)[0] for p in problems] == sorted(missing, key=[r.key for r in rows].index)
    assert all("no row" in p for p in problems)


def test_a_row_for_what_the_catalog_lacks_is_named() -> None:
    rows = _rows_for(CATALOG)
    extra = (
        replace(rows[0], key="BR-NO-SUCH-RULE", anchor="br-no-such-rule"),
        replace(rows[0], key="BR-DELETE/2", anchor="br-delete-2"),  # BR-DELETE has one decision
        replace(rows[0], key=f"shared/{len(CATALOG.shared_decisions) + 1}"),
    )
    problems = evidence_problems(CATALOG, rows + extra)
    assert len(problems) == 3
    assert all("the catalog has no rule or decision with this key" in p for p in problems)


def test_a_second_row_for_a_key_is_named() -> None:
    rows = _rows_for(CATALOG)
    problems = evidence_problems(CATALOG, (*rows, replace(rows[5], line=999)))
    assert problems == [f"line 999, {rows[5].key}: a second row for this key (the first is on line 6)"]


def test_a_severity_other_than_the_catalogs_is_named() -> None:
    rows = list(_rows_for(CATALOG))
    must_rule = next(i for i, r in enumerate(rows) if r.key == "BR-DELETE")
    should_decision = next(i for i, r in enumerate(rows) if r.key == "WO-FAILURE-REPORTED/3")
    rows[must_rule] = replace(rows[must_rule], severity=SHOULD)
    rows[should_decision] = replace(rows[should_decision], severity=MUST)
    problems = evidence_problems(CATALOG, tuple(rows))
    assert [p.split(": ", 1)[1] for p in problems] == [
        "the row says SHOULD, the catalog MUST",
        "the row says MUST, the catalog SHOULD",
    ]


@pytest.mark.parametrize("key", ["BR-DELETE", "BR-DELETE/1", "shared/1"])
def test_no_must_stands_on_the_kits_decision(key: str) -> None:
    rows = tuple(r if r.key != key else replace(r, verdict=KIT_DECISION) for r in _rows_for(CATALOG))
    problems = evidence_problems(CATALOG, rows)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "a MUST stands on the kit's decision; only a SHOULD may"
    ]


def test_a_should_may_stand_on_the_kits_decision() -> None:
    rows = tuple(
        replace(r, verdict=f"{KIT_DECISION} (Zuora is silent)") if r.severity == SHOULD else r
        for r in _rows_for(CATALOG)
    )
    assert evidence_problems(CATALOG, rows) == []


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("verdict", "probably", "the verdict 'probably' starts with none of"),
        ("severity", "MAY", "severity 'MAY' is neither MUST nor SHOULD"),
        ("anchor", "br-delete-1", "its anchor is 'br-delete-1', not 'br-delete'"),
        ("support", "", "no Zuora page or model is named"),
    ],
)
def test_a_row_without_a_verdict_severity_anchor_or_source_is_named(
    field: str, value: str, problem: str
) -> None:
    rows = tuple(
        r if r.key != "BR-DELETE" else EvidenceRow(**{**asdict(r), field: value}) for r in _rows_for(CATALOG)
    )
    (found,) = evidence_problems(CATALOG, rows)
    assert found.startswith("line ")
    assert problem in found


def test_the_table_is_read_row_by_row_with_its_anchors() -> None:
    text = "\n".join(
        [
            "| Key | Severity | The kit expects | Zuora's word | Verdict |",
            "| --- | --- | --- | --- | --- |",
            '| <a id="br-delete"></a>BR-DELETE | MUST | Deleting | API *Delete a bill run* | documented |',
            "",
            "| Not | a | table | of | evidence |",
            "| --- | --- | --- | --- | --- |",
            "| BR-OTHER | MUST | x | y | documented |",
            "",
            "| Key | Severity | The decision | Zuora's word | Verdict |",
            "| --- | --- | --- | --- | --- |",
            "| shared/1 | MUST | Nothing changes | API *Create an order* | implied: by the roll-back |",
        ]
    )
    rows = read_evidence(text)
    assert [(r.key, r.anchor, r.severity, r.kind, r.line) for r in rows] == [
        ("BR-DELETE", "br-delete", MUST, "documented", 3),
        ("shared/1", "", MUST, "implied", 11),
    ]
    assert rows[0].support == "API *Delete a bill run*"


def test_readme_checks_name_a_missing_an_extra_and_a_wrong_row() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_problems(CATALOG, _readme_matching(CATALOG, readme)) == []
    wrong = _readme_matching(CATALOG, readme)
    wrong = wrong.replace("| BR-DELETE | MUST |", "| BR-DELETE | SHOULD |", 1)
    wrong = re.sub(r"\| BR-CANCEL-ONCE \| MUST \|[^\n]*\n", "", wrong, count=1)
    header = "| Rule | Severity | Decision |\n| --- | --- | --- |\n"
    wrong = wrong.replace(header, f"{header}| BR-VIEW-CANCELED | MUST | x |\n| payments | MUST | y |\n", 1)
    problems = readme_problems(CATALOG, wrong)
    assert any(p.endswith("BR-VIEW-CANCELED has no decision in the features") for p in problems)
    assert any("'payments' is neither a rule ID" in p for p in problems)
    assert any(p.startswith("BR-DELETE: ") and "README's rows ['SHOULD']" in p for p in problems)
    assert any(p.startswith("BR-CANCEL-ONCE: ") and "README's rows []" in p for p in problems)
    assert len(problems) == 4


def _readme_matching(catalog: Catalog, readme: str) -> str:
    """README with its table of decisions rewritten to match ``catalog`` exactly."""
    start = readme.index(README_SECTION)
    end = readme.index("\n## ", start + 1)
    rows = [f"| {SHARED_CELL} | {d.severity} | {d.text} |" for d in catalog.shared_decisions]
    rows += [f"| {r.id} | {d.severity} | {d.text} |" for r in catalog.rules for d in r.decisions]
    table = "\n".join(["| Rule | Severity | Decision |", "| --- | --- | --- |", *rows, ""])
    return readme[:start] + f"{README_SECTION}\n\n{table}\n" + readme[end:]
