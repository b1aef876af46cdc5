"""The report's view model: the catalog's features, rules and scenarios, joined with each target's results.

Conformance counts MUST rules only; SHOULD warnings and the wire contract are kept apart.
Results written before severities existed (no ``must`` in their summary) are read as all MUST.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from billing_conformance.catalog import Catalog, Decision, FeatureEntry, RuleEntry, ScenarioEntry, document_of
from billing_conformance.verdicts import rule_counts

__all__ = [
    "CoverageDocument",
    "FeatureBlock",
    "Report",
    "RuleRow",
    "ScenarioRow",
    "TargetSummary",
    "TocDocument",
    "build_report",
    "feature_anchor",
    "source_sections",
]


@dataclass(frozen=True)
class TargetSummary:
    name: str  # what the page calls the target: its run's label (profile, or --label), else its target
    summary: dict[str, Any]
    warnings: list[dict[str, Any]] = field(default_factory=list)
    wire_contract: dict[str, Any] = field(default_factory=lambda: {"verdict": "holds", "violations": []})
    started_at: str = ""
    kit_version: str = ""
    complete: bool = True
    target: str = ""  # the target itself (``inprocess``, a URL)

    @property
    def must(self) -> dict[str, Any]:
        """Verdicts of the MUST rules, counted."""
        return dict(self.summary.get("must", self.summary))

    @property
    def verdict(self) -> str:
        """conforms, does not conform, inconclusive (MUST rules and the wire contract only) or
        nothing checked."""
        if "verdict" in self.summary:
            return str(self.summary["verdict"])
        must = self.must
        return "does not conform" if must["broken"] else "inconclusive" if must["errored"] else "conforms"

    @property
    def conformance(self) -> str:
        """The MUST rules that hold, out of those checked (applied and ran), with the share:
        ``3 of 3 checked (100%)``, never a bare percentage."""
        must = self.must
        checked = must["holds"] + must["broken"] + must["errored"]
        if not checked:
            return "none checked"
        return f"{must['holds']} of {checked} checked ({100 * must['holds'] / checked:.0f}%)"

    @property
    def headline(self) -> str:
        """The verdict with its denominators, as the run wrote it (older results: from their counts)."""
        if self.summary.get("headline"):
            return str(self.summary["headline"])
        must = self.must
        verdicts = [
            verdict
            for key, verdict in (
                ("holds", "holds"),
                ("broken", "broken"),
                ("errored", "errored"),
                ("notApplicable", "not applicable"),
                ("notRun", "not run"),
            )
            for _ in range(int(must.get(key, 0)))
        ]
        return f"{self.verdict}: {rule_counts(verdicts)} (MUST)"


@dataclass(frozen=True)
class ScenarioRow:
    """One run of a scenario (one example row of an outline) across the targets."""

    id: str
    entry: ScenarioEntry
    example: dict[str, str]
    results: list[dict[str, Any] | None]  # one per target; None when it did not run there

    @property
    def outcomes(self) -> list[str]:
        return [r["outcome"] if r else "not run" for r in self.results]

    @property
    def severity(self) -> str:
        return self.entry.severity

    @property
    def warned(self) -> list[bool]:
        """Per target: the scenario is SHOULD and failed there (a warning, not a breach)."""
        return [outcome == "failed" and self.severity == "SHOULD" for outcome in self.outcomes]


@dataclass(frozen=True)
class RuleRow:
    rule: RuleEntry
    document: str
    verdicts: list[str]
    scenarios: list[ScenarioRow] = field(default_factory=list)
    warned: list[bool] = field(default_factory=list)  # per target: a SHOULD scenario failed there

    @property
    def differs(self) -> bool:
        return len(set(zip(self.verdicts, self.warned or [False] * len(self.verdicts), strict=True))) > 1

    @property
    def tags(self) -> list[str]:
        return sorted({tag for row in self.scenarios for tag in row.entry.tags})

    @property
    def shown_verdicts(self) -> list[str]:
        """Each target's verdict, and ``warning`` when a SHOULD scenario failed on any target."""
        return [*dict.fromkeys(self.verdicts), *(["warning"] if any(self.warned) else [])]


@dataclass(frozen=True)
class FeatureBlock:
    """A feature file as the page shows it: its title, prose, Background and decisions, then its rules."""

    entry: FeatureEntry
    rules: list[RuleRow] = field(default_factory=list)


def feature_anchor(path: str) -> str:
    """A feature's anchor, from its file's path: ``feature-bill_runs-canceling``."""
    stem = path.removesuffix(".feature")
    return "feature-" + re.sub(r"[^A-Za-z0-9_]+", "-", stem).strip("-")


_QUOTED = re.compile(r'^\s*"([^"]+)"\s*')
_ASIDE = re.compile(r"\([^()]*\)")
_JOINED = re.compile(r'^"[^"]+"(\s+and\s+"[^"]+")*')


def source_sections(source: str) -> tuple[str, list[str]]:
    """The document and its sections a ``Source:`` line names: ``"Cancel bill runs", "Cancel a
    scheduled bill run", step 3`` is the document "Cancel bill runs", section "Cancel a scheduled
    bill run". Only the first source (up to a ``;``) counts; asides in brackets are dropped, and
    ``and`` joins sections. An unquoted line names its document up to its first comma."""
    first = source.split(";", 1)[0].strip()
    quoted = _QUOTED.match(first)
    if quoted:
        document, rest = quoted.group(1), first[quoted.end() :]
    else:
        document, _, rest = first.partition(",")
    rest = _ASIDE.sub("", rest).strip().lstrip(",").strip()
    joined = _JOINED.match(rest)
    head = joined.group(0) if joined else rest.split(",", 1)[0]
    sections = [part.strip().strip('"').strip() for part in re.split(r"\s+and\s+", head)]
    return document.strip(), [s for s in sections if s] or ["(the document as a whole)"]


@dataclass(frozen=True)
class TocDocument:
    """The table of contents' top level: a source document, its features, each with its rules."""

    title: str
    features: list[tuple[FeatureBlock, list[RuleRow]]]


@dataclass(frozen=True)
class CoverageDocument:
    """A source document, section by section, with the rules each section yields."""

    title: str
    sections: list[tuple[str, list[RuleRow]]]

    @property
    def rules(self) -> int:
        return len({row.rule.id for _, rows in self.sections for row in rows})


@dataclass(frozen=True)
class Report:
    targets: list[TargetSummary]
    documents: dict[str, list[RuleRow]]
    problems: list[str]
    features: list[FeatureBlock] = field(default_factory=list)
    shared: list[FeatureEntry] = field(default_factory=list)  # features that state decisions for every rule

    @property
    def rules(self) -> list[RuleRow]:
        """Every rule, in the order of the catalog (feature by feature)."""
        return [row for block in self.features for row in block.rules]

    @property
    def shared_decisions(self) -> list[Decision]:
        return [d for feature in self.shared for d in feature.decisions]

    @property
    def differing(self) -> int:
        return sum(row.differs for row in self.rules)

    @property
    def tags(self) -> list[str]:
        return sorted({tag for row in self.rules for tag in row.tags})

    @property
    def toc(self) -> list[TocDocument]:
        """Source document, then feature, then rule, in the order the catalog first names them."""
        documents: dict[str, dict[str, tuple[FeatureBlock, list[RuleRow]]]] = {}
        for block in self.features:
            for row in block.rules:
                title = source_sections(row.rule.source)[0]
                features = documents.setdefault(title, {})
                features.setdefault(block.entry.path, (block, []))[1].append(row)
        return [TocDocument(title, list(features.values())) for title, features in documents.items()]

    @property
    def coverage(self) -> list[CoverageDocument]:
        """Each source document's sections with the rules they yield (a rule may cite several)."""
        documents: dict[str, dict[str, list[RuleRow]]] = {}
        for row in self.rules:
            title, sections = source_sections(row.rule.source)
            for section in sections:
                documents.setdefault(title, {}).setdefault(section, []).append(row)
        return [CoverageDocument(t, list(sections.items())) for t, sections in documents.items()]


def build_report(catalog: Catalog, results: list[dict[str, Any]]) -> Report:
    """Join the catalog with any number of results (none: documentation only)."""
    by_target: list[dict[str, dict[str, Any]]] = []
    verdicts: list[dict[str, str]] = []
    warned = [{str(w["rule"]) for w in result.get("warnings", [])} for result in results]
    for result in results:
        by_target.append({s["id"]: s for rule in result["rules"] for s in rule["scenarios"]})
        verdicts.append({rule["id"]: rule["verdict"] for rule in result["rules"]})
    documents: dict[str, list[RuleRow]] = {}
    by_feature: dict[str, FeatureBlock] = {}
    for rule in catalog.rules:
        row = RuleRow(
            rule,
            document_of(rule),
            [v.get(rule.id, "not run") for v in verdicts],
            warned=[rule.id in w for w in warned],
        )
        for entry in rule.scenarios:
            rows = entry.examples or ({},)
            for scenario_id, example in zip(entry.example_ids(), rows, strict=True):
                row.scenarios.append(
                    ScenarioRow(scenario_id, entry, dict(example), [t.get(scenario_id) for t in by_target])
                )
        documents.setdefault(row.document, []).append(row)
        feature = catalog.feature(rule.feature) or FeatureEntry(rule.feature, rule.feature)
        by_feature.setdefault(rule.feature, FeatureBlock(feature)).rules.append(row)
    targets = [
        TargetSummary(
            str(r.get("label") or r["target"]),  # the run's label (its profile, or --label) names it
            dict(r["summary"]),
            list(r.get("warnings", [])),
            dict(r.get("wireContract", {"verdict": "holds", "violations": []})),
            str(r.get("startedAt", "")),
            str(r.get("kitVersion", "")),
            bool(r.get("complete", True)),
            str(r["target"]),
        )
        for r in results
    ]
    shared = [f for f in catalog.features if f.shared]
    features = [
        by_feature.get(f.path, FeatureBlock(f))
        for f in catalog.features
        if f.path in by_feature or not f.shared
    ]
    return Report(targets, documents, list(catalog.problems), features, shared)
