"""The rule catalog, read from the feature files.

Each ``Rule:`` of a feature is one documented rule. Its ID is the one tag on the rule that
looks like ``BR-CANCEL-PENDING``; its statement is the rule's title; its description holds a
``Source:`` line (document title and section) and any ``Decision:`` paragraphs. The catalog
also lists what breaks these conventions, so a test can insist there is nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gherkin.parser import Parser

__all__ = ["RULE_ID", "Catalog", "RuleEntry", "ScenarioEntry", "load_catalog"]

RULE_ID = re.compile(r"^[A-Z]{2,}(?:-[A-Z0-9]+)+$")
_PARAGRAPH = re.compile(r"^(Source|Decision):\s*", re.MULTILINE)


@dataclass(frozen=True)
class ScenarioEntry:
    feature: str
    name: str
    line: int
    examples: tuple[dict[str, str], ...] = ()
    steps: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    keyword: str = "Scenario"

    def example_ids(self) -> list[str]:
        """The ids results give this scenario's runs: one per example row, or one."""
        base = f"{self.feature}::{self.name}"
        if not self.examples:
            return [base]
        return [f"{base} [{', '.join(f'{k}={v}' for k, v in row.items())}]" for row in self.examples]

    @property
    def runs(self) -> int:
        return max(1, len(self.examples))


@dataclass(frozen=True)
class RuleEntry:
    id: str
    statement: str
    feature: str
    line: int
    source: str
    decisions: tuple[str, ...]
    scenarios: tuple[ScenarioEntry, ...]


@dataclass(frozen=True)
class Catalog:
    rules: tuple[RuleEntry, ...]
    orphan_scenarios: tuple[ScenarioEntry, ...] = ()
    problems: tuple[str, ...] = field(default=())

    def rule(self, rule_id: str) -> RuleEntry:
        return next(r for r in self.rules if r.id == rule_id)

    def as_json(self) -> dict[str, Any]:
        return {
            "rules": [asdict(r) for r in self.rules],
            "orphanScenarios": [asdict(s) for s in self.orphan_scenarios],
            "problems": list(self.problems),
        }


def _paragraphs(description: str) -> dict[str, list[str]]:
    text = "\n".join(line.strip() for line in description.splitlines())
    found: dict[str, list[str]] = {"Source": [], "Decision": []}
    parts = _PARAGRAPH.split(text)
    for label, body in zip(parts[1::2], parts[2::2], strict=True):
        found[label].append(" ".join(body.split()))
    return found


def _scenario(feature: str, node: dict[str, Any], inherited: tuple[str, ...] = ()) -> ScenarioEntry:
    rows: list[dict[str, str]] = []
    for examples in node.get("examples", []):
        header = [cell["value"] for cell in examples.get("tableHeader", {}).get("cells", [])]
        for row in examples.get("tableBody", []):
            rows.append(dict(zip(header, (cell["value"] for cell in row["cells"]), strict=True)))
    steps = tuple(f"{step['keyword'].strip()} {step['text']}" for step in node.get("steps", []))
    tags = tuple(sorted({*inherited, *(t["name"].lstrip("@") for t in node.get("tags", []))}))
    return ScenarioEntry(
        feature,
        node["name"],
        node["location"]["line"],
        tuple(rows),
        steps,
        tags,
        node.get("keyword", "Scenario").strip(),
    )


def _read(path: Path, relative: str) -> tuple[list[RuleEntry], list[ScenarioEntry], list[str]]:
    document: dict[str, Any] = dict(Parser().parse(path.read_text(encoding="utf-8")))
    rules: list[RuleEntry] = []
    orphans: list[ScenarioEntry] = []
    problems: list[str] = []
    feature = document.get("feature")
    if feature is None:
        return rules, orphans, [f"{relative}: no Feature"]
    names: set[str] = set()
    feature_tags = tuple(t["name"].lstrip("@") for t in feature.get("tags", []))
    for child in feature["children"]:
        if "scenario" in child:
            orphans.append(_scenario(relative, child["scenario"]))
            continue
        if "rule" not in child:
            continue
        rule = child["rule"]
        where = f"{relative}:{rule['location']['line']}"
        ids = [t["name"].lstrip("@") for t in rule["tags"] if RULE_ID.match(t["name"].lstrip("@"))]
        if len(ids) != 1:
            problems.append(f"{where}: a Rule needs exactly one ID tag, found {ids}")
            continue
        paragraphs = _paragraphs(rule.get("description", ""))
        if len(paragraphs["Source"]) != 1:
            problems.append(f"{where}: rule {ids[0]} needs exactly one 'Source:' line")
        inherited = (*feature_tags, *(t["name"].lstrip("@") for t in rule["tags"]))
        scenarios = tuple(
            _scenario(relative, c["scenario"], inherited) for c in rule["children"] if "scenario" in c
        )
        for scenario in scenarios:
            if scenario.name in names:
                problems.append(f"{relative}:{scenario.line}: scenario name {scenario.name!r} is used twice")
            names.add(scenario.name)
        rules.append(
            RuleEntry(
                id=ids[0],
                statement=rule["name"].strip(),
                feature=relative,
                line=rule["location"]["line"],
                source=(paragraphs["Source"] or [""])[0],
                decisions=tuple(paragraphs["Decision"]),
                scenarios=scenarios,
            )
        )
    return rules, orphans, problems


def load_catalog(features_dir: Path, paths: Iterable[Path] | None = None) -> Catalog:
    """Read every ``*.feature`` below ``features_dir`` (or just ``paths``) into a catalog."""
    rules: list[RuleEntry] = []
    orphans: list[ScenarioEntry] = []
    problems: list[str] = []
    for path in sorted(paths if paths is not None else features_dir.rglob("*.feature")):
        found, lost, wrong = _read(path, path.relative_to(features_dir).as_posix())
        rules += found
        orphans += lost
        problems += wrong
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            problems.append(f"{rule.feature}:{rule.line}: rule ID {rule.id} is used twice")
        seen.add(rule.id)
        if not rule.scenarios:
            problems.append(f"{rule.feature}:{rule.line}: rule {rule.id} has no scenario")
    problems += [f"{s.feature}:{s.line}: scenario {s.name!r} belongs to no rule" for s in orphans]
    return Catalog(tuple(rules), tuple(orphans), tuple(problems))
