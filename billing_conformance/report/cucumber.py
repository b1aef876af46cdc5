"""``cucumber.json``: the conformance results in the Cucumber JSON format that CI plugins and
report tools read (cucumber-html-reporter, Jenkins' cucumber-reports, Allure and the like).

The file keeps to the cucumber-js flavour of the format, as published by the Cucumber project
(``cucumber/cucumber-json-schema``, ``schemas/cucumber-js.json``); the tests validate every
file written against that schema. How the results map onto it:

* One feature per feature file that ran, in path order: ``name`` is the ``Feature:`` title,
  ``uri`` the file below the project (``features/...``), ``id`` a slug of the title,
  ``description`` the feature's prose followed by the decisions it states, ``line`` and
  ``tags`` from the file.
* One element (``type: "scenario"``) per scenario run, one per example row of an outline:
  ``keyword`` is ``Scenario`` or ``Scenario Outline``; ``name`` has the example's values put
  in place of its ``<placeholders>``, as Cucumber names its pickles; ``id`` is
  ``feature-slug;scenario-slug`` (``;example`` added for an outline's row). ``tags`` hold the
  feature's, the rule's (its ID among them) and the scenario's own tags, and ``@MUST`` or
  ``@SHOULD``. The format has no place for a ``Rule:``, so the element's ``description``
  names it: ``Rule BR-...: statement``.
* Background steps are not separate ``background`` elements (the cucumber-js flavour has none):
  they are the scenario's first steps, each marked ``isBackground: true``, as cucumber-js does.
* Each step: ``keyword`` (with its trailing space), ``name``, ``line``, ``arguments: []``,
  ``match.location`` (the step's place in the feature file, ``features/x.feature:12``: the
  records do not say which step definition ran it), and ``result``: ``status`` (``passed``,
  ``failed``, ``skipped`` or ``undefined``; every step of a not-applicable scenario is
  ``skipped``), ``duration`` in nanoseconds (an integer, from the measured step duration; 0
  where a record has none) and, on the step that failed, ``error_message``. A scenario that
  failed or errored with no failed step (the harness broke after its steps) gets a hidden
  ``After`` hook step carrying the error, so a reader still shows it failed.
* A run that did not finish (interrupted, or still running when the file was written) ends
  with one more feature, ``uri`` ``billing-conformance:run``, named "The run did not finish":
  one scenario whose hidden ``After`` hook failed with the run's headline, so that every
  reader shows the run failed, however many of the scenarios that ran passed.
* Tag lines: the catalog keeps tag names, not positions, so a tag's ``line`` is the line just
  above what it tags (where the kit's features write them); ``@MUST``/``@SHOULD``, which no
  file writes, take the scenario's line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from billing_conformance.catalog import Catalog, FeatureEntry, RuleEntry, ScenarioEntry
from billing_conformance.verdicts import INCOMPLETE

__all__ = ["build_cucumber", "nanoseconds", "slug"]

_STEP_STATUSES = ("passed", "failed", "skipped", "undefined")


def slug(text: str) -> str:
    """``text`` lower-cased, with each run of other characters than letters and digits a ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def nanoseconds(seconds: object) -> int:
    """A duration in seconds (absent or null: 0) as whole nanoseconds."""
    return round(float(seconds) * 1e9) if isinstance(seconds, int | float) else 0


def _tags(names: Iterable[str], line: int) -> list[dict[str, Any]]:
    return [{"name": f"@{name}", "line": max(line, 1)} for name in names]


def _feature(path: str, entry: FeatureEntry | None) -> dict[str, Any]:
    name = entry.name if entry is not None and entry.name else path
    description = ""
    if entry is not None:
        description = "\n\n".join(filter(None, (entry.description, *map(str, entry.decisions))))
    line = entry.line if entry is not None else 1
    return {
        "uri": f"features/{path}",
        "id": slug(name) or slug(path),
        "keyword": entry.keyword if entry is not None else "Feature",
        "name": name,
        "description": description,
        "line": line,
        "tags": _tags(entry.tags if entry is not None else (), line - 1),
        "elements": [],
    }


def _element_tags(
    scenario: dict[str, Any],
    feature: FeatureEntry | None,
    rule: RuleEntry | None,
    entry: ScenarioEntry | None,
    line: int,
) -> list[dict[str, Any]]:
    feature_tags = feature.tags if feature is not None else ()
    rule_tags = rule.tags if rule is not None else (str(scenario["rule"]),)
    own = [t for t in (entry.tags if entry is not None else ()) if t not in {*feature_tags, *rule_tags}]
    tags = [
        *_tags(feature_tags, feature.line - 1 if feature is not None else 0),
        *_tags(rule_tags, rule.line - 1 if rule is not None else line - 1),
        *_tags(own, line - 1),
        *_tags([str(scenario["severity"])], line),
    ]
    first = {t["name"]: t for t in reversed(tags)}  # the first of a name wins
    return [t for t in tags if first[t["name"]] is t]


def _steps(scenario: dict[str, Any], line: int) -> list[dict[str, Any]]:
    applicable = scenario["outcome"] != "not applicable"
    message = scenario.get("message") or ""
    steps: list[dict[str, Any]] = []
    for step in scenario.get("steps", []):
        status = str(step.get("status", "skipped")) if applicable else "skipped"
        result: dict[str, Any] = {
            "status": status if status in _STEP_STATUSES else "skipped",
            "duration": nanoseconds(step.get("duration")),
        }
        if status == "failed" and message:
            result["error_message"] = message
        place = f"features/{scenario['feature']}:{step['line']}"
        steps.append(
            {
                "keyword": f"{step['keyword']} ",
                "name": step["text"],
                "line": step["line"],
                "arguments": [],
                "match": {"location": place},
                "result": result,
                **({"isBackground": True} if step["line"] < line else {}),
            }
        )
    if scenario["outcome"] in ("failed", "errored") and not any(
        s["result"]["status"] == "failed" for s in steps
    ):
        steps.append(
            {
                "hidden": True,
                "keyword": "After",
                "match": {"location": f"features/{scenario['feature']}:{line}"},
                "result": {
                    "status": "failed",
                    "duration": 0,
                    "error_message": message or f"the scenario {scenario['outcome']}",
                },
            }
        )
    return steps


def _name(scenario: dict[str, Any]) -> str:
    name = str(scenario["scenario"])
    for key, value in scenario.get("example", {}).items():
        name = name.replace(f"<{key}>", str(value))
    return name


def build_cucumber(results: dict[str, Any], catalog: Catalog) -> list[dict[str, Any]]:
    """The Cucumber JSON of ``results``, the features' titles, lines and tags from ``catalog``."""
    entries = {(s.feature, s.name): s for r in catalog.rules for s in r.scenarios}
    rules = {r.id: r for r in catalog.rules}
    features: dict[str, dict[str, Any]] = {}
    ordered: list[tuple[str, int, str, dict[str, Any]]] = []
    for rule in results["rules"]:
        for scenario in rule["scenarios"]:
            path = str(scenario["feature"])
            feature_entry = catalog.feature(path)
            feature = features.setdefault(path, _feature(path, feature_entry))
            entry = entries.get((path, scenario["scenario"]))
            rule_entry = rules.get(str(scenario["rule"]))
            steps = scenario.get("steps", [])
            line = entry.line if entry is not None else min((s["line"] for s in steps), default=1)
            example = scenario.get("example") or {}
            element_id = f"{feature['id']};{slug(str(scenario['scenario']))}"
            if example:
                element_id += ";" + slug(" ".join(f"{k} {v}" for k, v in example.items()))
            element = {
                "keyword": entry.keyword if entry is not None else "Scenario",
                "type": "scenario",
                "id": element_id,
                "name": _name(scenario),
                "line": line,
                "description": f"Rule {rule['id']}: {rule['statement']}",
                "tags": _element_tags(scenario, feature_entry, rule_entry, entry, line),
                "steps": _steps(scenario, line),
            }
            ordered.append((path, line, str(scenario["id"]), element))
    for path, _line, _id, element in sorted(ordered, key=lambda t: t[:3]):
        features[path]["elements"].append(element)
    unfinished = [_unfinished(results)] if results["summary"].get("verdict") == INCOMPLETE else []
    return [*(features[path] for path in sorted(features)), *unfinished]


def _unfinished(results: dict[str, Any]) -> dict[str, Any]:
    """The feature that says a run did not finish, with a scenario that failed saying how far it got."""
    headline = str(results["summary"].get("headline") or "incomplete")
    return {
        "uri": "billing-conformance:run",
        "id": "the-run-did-not-finish",
        "keyword": "Feature",
        "name": "The run did not finish",
        "description": "The run was interrupted or had not finished when this file was written: it "
        "certifies nothing, and the scenarios it did not reach are not run, never passed.",
        "line": 1,
        "tags": [],
        "elements": [
            {
                "keyword": "Scenario",
                "type": "scenario",
                "id": "the-run-did-not-finish;every-selected-scenario-ran",
                "name": "Every selected scenario ran",
                "line": 1,
                "description": headline,
                "tags": [],
                "steps": [
                    {
                        "hidden": True,
                        "keyword": "After",
                        "match": {"location": "billing-conformance:run"},
                        "result": {"status": "failed", "duration": 0, "error_message": headline},
                    }
                ],
            }
        ],
    }
