"""The rule catalog, read from the feature files.

Each ``Rule:`` of a feature is one documented rule. Its ID is the one tag on the rule that
looks like ``BR-CANCEL-PENDING``; its statement is the rule's title; its description holds a
``Source:`` line (document title and section) and any decision paragraphs. The catalog also
lists what breaks these conventions, so a test can insist there is nothing.

Severity: a rule is MUST (the source documents or Zuora's API reference say it) unless it is
tagged ``@should`` (the kit's own decision where they are silent). Every decision paragraph,
in a rule or in a feature's description, carries its severity: ``Decision (MUST): ...`` or
``Decision (SHOULD): ...``; one without a label is a convention problem. A scenario is SHOULD
when it, or its rule, is tagged ``@should`` (in a MUST rule, one that checks a SHOULD
decision); otherwise it is MUST. A failed SHOULD scenario is a warning, never a breach.

Shared decisions: a feature tagged ``@shared`` states, in its description, decisions that hold for
every rule of the catalog; it needs no rules of its own. Each such decision is written once there
rather than copied into every feature it concerns.

For the living documentation and the Cucumber JSON, the catalog also keeps each feature's and
rule's description (the prose around the ``Source:`` and decision paragraphs), line, tags and
``Background:`` steps.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gherkin.parser import Parser

__all__ = [
    "KIT",
    "MUST",
    "PROJECT",
    "RULE_ID",
    "SEVERITIES",
    "SHARED_TAG",
    "SHOULD",
    "SHOULD_TAG",
    "Catalog",
    "Decision",
    "FeatureEntry",
    "RuleEntry",
    "ScenarioEntry",
    "document_of",
    "example_suffix",
    "filled_name",
    "load_catalog",
    "scenario_key",
]

RULE_ID = re.compile(r"^[A-Z]{2,}(?:-[A-Z0-9]+)+$")
_PARAGRAPH = re.compile(r"^(Source|Decision)(?:[ \t]*\(([^)\n]*)\))?:\s*", re.MULTILINE)
MUST, SHOULD = "MUST", "SHOULD"
#: Where a rule comes from: the kit's own features, or a project's that extends the kit
#: (docs/extending.md): a project's rule has no row in the kit's evidence table.
KIT, PROJECT = "kit", "project"
SEVERITIES = (MUST, SHOULD)
SHOULD_TAG = "should"
SHARED_TAG = "shared"


def example_suffix(example: Mapping[str, str]) -> str:
    """How a scenario's name is told apart for one example of an outline: `` [key=value, ...]``
    (nothing for a plain scenario). Results, progress lines and ``--scenario`` all use it."""
    return f" [{', '.join(f'{k}={v}' for k, v in example.items())}]" if example else ""


def filled_name(name: str, example: Mapping[str, str]) -> str:
    """A scenario's name as a reader sees it: an outline's ``<placeholders>`` replaced by the
    example's values, as Cucumber names its pickles (``A <status> bill run`` with status
    ``completed`` is ``A completed bill run``). When the name has none of the example's
    placeholders, the values follow it (:func:`example_suffix`), so that the rows stay apart."""
    filled = name
    for key, value in example.items():
        filled = filled.replace(f"<{key}>", str(value))
    if example and filled == name:
        return f"{name}{example_suffix(example)}"
    return filled


def scenario_key(name: str) -> str:
    """A scenario's name (or name and example) as ``--scenario`` matches it: whitespace and case
    do not count."""
    return " ".join(name.split()).casefold()


def severity_of(tags: Iterable[str]) -> str:
    """SHOULD for anything tagged ``@should`` (directly or through its rule), else MUST."""
    return SHOULD if SHOULD_TAG in tags else MUST


@dataclass(frozen=True)
class Decision:
    """A decision the kit took where a document left something open, with its severity."""

    severity: str
    text: str

    def __str__(self) -> str:
        return f"Decision ({self.severity}): {self.text}"


@dataclass(frozen=True)
class ScenarioEntry:
    feature: str
    name: str
    line: int
    examples: tuple[dict[str, str], ...] = ()
    steps: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    keyword: str = "Scenario"
    severity: str = MUST

    def example_ids(self) -> list[str]:
        """The ids results give this scenario's runs: one per example row, or one."""
        base = f"{self.feature}::{self.name}"
        if not self.examples:
            return [base]
        return [f"{base}{example_suffix(row)}" for row in self.examples]

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
    decisions: tuple[Decision, ...]
    scenarios: tuple[ScenarioEntry, ...]
    severity: str = MUST
    description: str = ""
    background: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    origin: str = KIT


@dataclass(frozen=True)
class FeatureEntry:
    """A feature file, with the decisions its description states for all of its rules (for every
    rule of the catalog when it is ``shared``)."""

    path: str
    name: str
    decisions: tuple[Decision, ...] = ()
    description: str = ""
    line: int = 1
    tags: tuple[str, ...] = ()
    background: tuple[str, ...] = ()
    keyword: str = "Feature"

    @property
    def shared(self) -> bool:
        return SHARED_TAG in self.tags


@dataclass(frozen=True)
class Catalog:
    rules: tuple[RuleEntry, ...]
    orphan_scenarios: tuple[ScenarioEntry, ...] = ()
    problems: tuple[str, ...] = field(default=())
    features: tuple[FeatureEntry, ...] = ()

    def rule(self, rule_id: str) -> RuleEntry:
        return next(r for r in self.rules if r.id == rule_id)

    def feature(self, path: str) -> FeatureEntry | None:
        return next((f for f in self.features if f.path == path), None)

    @property
    def shared_decisions(self) -> tuple[Decision, ...]:
        """The decisions that hold for every rule (stated once, in a ``@shared`` feature)."""
        return tuple(d for f in self.features if f.shared for d in f.decisions)

    def as_json(self) -> dict[str, Any]:
        return {
            "features": [{**asdict(f), "shared": f.shared} for f in self.features],
            "rules": [asdict(r) for r in self.rules],
            "orphanScenarios": [asdict(s) for s in self.orphan_scenarios],
            "problems": list(self.problems),
        }


def _paragraphs(description: str, where: str, problems: list[str]) -> tuple[list[str], list[Decision]]:
    """The ``Source:`` lines and the decisions of a description; unlabelled decisions are problems."""
    text = "\n".join(line.strip() for line in description.splitlines())
    sources: list[str] = []
    decisions: list[Decision] = []
    parts = _PARAGRAPH.split(text)
    for kind, label, raw in zip(parts[1::3], parts[2::3], parts[3::3], strict=True):
        body = " ".join(raw.split())
        if kind == "Source":
            sources.append(body)
            continue
        severity = (label or "").strip().upper()
        if severity not in SEVERITIES:
            found = f"({label})" if label is not None else "no label"
            problems.append(
                f"{where}: a decision needs its severity, 'Decision (MUST):' or 'Decision (SHOULD):', "
                f"found {found}: {body[:60]!r}"
            )
            severity = MUST
        decisions.append(Decision(severity, body))
    return sources, decisions


def _prose(description: str) -> str:
    """A description without its ``Source:`` and decision paragraphs: paragraphs kept apart by a
    blank line, the lines of each joined."""
    text = "\n".join(line.strip() for line in description.splitlines())
    kept = _PARAGRAPH.split(text)[0]
    return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", kept) if p.strip())


def _background(children: list[dict[str, Any]]) -> tuple[str, ...]:
    for child in children:
        if "background" in child:
            return tuple(f"{s['keyword'].strip()} {s['text']}" for s in child["background"].get("steps", []))
    return ()


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
        severity_of(tags),
    )


def _severity_problems(where: str, rule: RuleEntry) -> list[str]:
    """A MUST rule needs a MUST scenario; a SHOULD scenario in it needs a SHOULD decision."""
    if rule.severity == SHOULD:
        return []
    problems = []
    if rule.scenarios and all(s.severity == SHOULD for s in rule.scenarios):
        problems.append(f"{where}: MUST rule {rule.id} has only SHOULD scenarios")
    if any(s.severity == SHOULD for s in rule.scenarios) and all(d.severity == MUST for d in rule.decisions):
        problems.append(
            f"{where}: rule {rule.id} has a @should scenario but no 'Decision (SHOULD):' that it checks"
        )
    return problems


def _read(
    path: Path, relative: str
) -> tuple[FeatureEntry | None, list[RuleEntry], list[ScenarioEntry], list[str]]:
    document: dict[str, Any] = dict(Parser().parse(path.read_text(encoding="utf-8")))
    rules: list[RuleEntry] = []
    orphans: list[ScenarioEntry] = []
    problems: list[str] = []
    feature = document.get("feature")
    if feature is None:
        return None, rules, orphans, [f"{relative}: no Feature"]
    _, feature_decisions = _paragraphs(feature.get("description", ""), relative, problems)
    names: set[str] = set()
    feature_tags = tuple(t["name"].lstrip("@") for t in feature.get("tags", []))
    entry = FeatureEntry(
        relative,
        feature.get("name", "").strip(),
        tuple(feature_decisions),
        _prose(feature.get("description", "")),
        feature["location"]["line"],
        feature_tags,
        _background(feature["children"]),
        feature.get("keyword", "Feature").strip(),
    )
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
        sources, decisions = _paragraphs(rule.get("description", ""), where, problems)
        if len(sources) != 1:
            problems.append(f"{where}: rule {ids[0]} needs exactly one 'Source:' line")
        inherited = (*feature_tags, *(t["name"].lstrip("@") for t in rule["tags"]))
        scenarios = tuple(
            _scenario(relative, c["scenario"], inherited) for c in rule["children"] if "scenario" in c
        )
        for scenario in scenarios:
            if scenario.name in names:
                problems.append(f"{relative}:{scenario.line}: scenario name {scenario.name!r} is used twice")
            names.add(scenario.name)
        entry_of_rule = RuleEntry(
            id=ids[0],
            statement=rule["name"].strip(),
            feature=relative,
            line=rule["location"]["line"],
            source=(sources or [""])[0],
            decisions=tuple(decisions),
            scenarios=scenarios,
            severity=severity_of(inherited),
            description=_prose(rule.get("description", "")),
            background=_background(rule["children"]),
            tags=tuple(t["name"].lstrip("@") for t in rule["tags"]),
        )
        problems += _severity_problems(where, entry_of_rule)
        rules.append(entry_of_rule)
    return entry, rules, orphans, problems


def load_catalog(features_dir: Path, paths: Iterable[Path] | None = None) -> Catalog:
    """Read every ``*.feature`` below ``features_dir`` (or just ``paths``) into a catalog."""
    features: list[FeatureEntry] = []
    rules: list[RuleEntry] = []
    orphans: list[ScenarioEntry] = []
    problems: list[str] = []
    for path in sorted(paths if paths is not None else features_dir.rglob("*.feature")):
        feature, found, lost, wrong = _read(path, path.relative_to(features_dir).as_posix())
        features += [feature] if feature is not None else []
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
    return Catalog(tuple(rules), tuple(orphans), tuple(problems), tuple(features))


_DOCUMENT = re.compile(r'^"([^"]+)"')


def document_of(rule: RuleEntry) -> str:
    """The source document's title: the quoted text that starts the rule's ``Source:`` line."""
    found = _DOCUMENT.match(rule.source)
    return found.group(1) if found else rule.source
