"""The results folder of a run: ``conformance.json``, ``cucumber.json``, ``junit.xml`` and the report.

``conformance.json`` is specified by ``schemas/conformance-results.schema.json``. Its content
depends only on what ran: records are sorted by id, and the only fields that change from one
identical run to the next are listed in :data:`VOLATILE` (a comparison leaves them out).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from billing_conformance import FEATURES_DIR, __version__
from billing_conformance.catalog import Catalog, RuleEntry, load_catalog
from billing_conformance.contract import violations

__all__ = ["VOLATILE", "build_results", "stable", "verdict", "write_results"]

#: Fields whose values differ between two identical runs: when, and the HTTP evidence's ids.
VOLATILE = ("startedAt",)
_DOCUMENT = re.compile(r'^"([^"]+)"')


def document_of(rule: RuleEntry) -> str:
    """The source document's title: the quoted text that starts the rule's ``Source:`` line."""
    found = _DOCUMENT.match(rule.source)
    return found.group(1) if found else rule.source


def verdict(outcomes: list[str]) -> str:
    if not outcomes:
        return "not run"
    if "failed" in outcomes:
        return "broken"
    if "errored" in outcomes:
        return "errored"
    if "passed" in outcomes:
        return "holds"
    return "not applicable"


def build_results(
    records: list[dict[str, Any]], *, target: str, started: datetime, catalog: Catalog | None = None
) -> dict[str, Any]:
    catalog = catalog or load_catalog(FEATURES_DIR)
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for record in sorted(records, key=lambda r: str(r["id"])):
        by_rule.setdefault(str(record["rule"]), []).append(record)
    rules = []
    for rule in catalog.rules:
        scenarios = by_rule.get(rule.id, [])
        rules.append(
            {
                "id": rule.id,
                "statement": rule.statement,
                "document": document_of(rule),
                "source": rule.source,
                "decisions": list(rule.decisions),
                "verdict": verdict([s["outcome"] for s in scenarios]),
                "scenarios": scenarios,
            }
        )
    verdicts = Counter(rule["verdict"] for rule in rules)
    outcomes = Counter(str(r["outcome"]) for r in records)
    return {
        "kitVersion": __version__,
        "target": target,
        "startedAt": started.isoformat(timespec="seconds"),
        "summary": {
            "rules": len(rules),
            "holds": verdicts["holds"],
            "broken": verdicts["broken"],
            "errored": verdicts["errored"],
            "notApplicable": verdicts["not applicable"],
            "notRun": verdicts["not run"],
            "scenarios": {k: outcomes[k] for k in ("passed", "failed", "errored", "not applicable")},
        },
        "rules": rules,
    }


def stable(results: dict[str, Any]) -> dict[str, Any]:
    """``results`` without the :data:`VOLATILE` fields, for comparing two runs."""
    return {key: value for key, value in results.items() if key not in VOLATILE}


def _cucumber(results: dict[str, Any]) -> list[dict[str, Any]]:
    status = {"passed": "passed", "failed": "failed", "errored": "failed", "not applicable": "skipped"}
    features: dict[str, dict[str, Any]] = {}
    for rule in results["rules"]:
        for scenario in rule["scenarios"]:
            feature = features.setdefault(
                scenario["feature"],
                {
                    "uri": f"features/{scenario['feature']}",
                    "keyword": "Feature",
                    "id": scenario["feature"],
                    "name": scenario["feature"],
                    "elements": [],
                },
            )
            feature["elements"].append(
                {
                    "keyword": "Scenario",
                    "type": "scenario",
                    "id": scenario["id"],
                    "name": scenario["scenario"],
                    "tags": [{"name": f"@{rule['id']}"}],
                    "rule": {"keyword": "Rule", "id": rule["id"], "name": rule["statement"]},
                    "steps": [
                        {
                            "keyword": f"{step['keyword']} ",
                            "name": step["text"],
                            "line": step["line"],
                            "result": {
                                "status": step["status"]
                                if scenario["outcome"] != "not applicable"
                                else status["not applicable"],
                                **(
                                    {"error_message": scenario["message"]}
                                    if step["status"] == "failed" and scenario["message"]
                                    else {}
                                ),
                            },
                        }
                        for step in scenario["steps"]
                    ],
                }
            )
    return [features[name] for name in sorted(features)]


def _junit(results: dict[str, Any]) -> bytes:
    suites = ET.Element("testsuites", name=f"conformance of {results['target']}")
    for rule in results["rules"]:
        counts = Counter(s["outcome"] for s in rule["scenarios"])
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=rule["id"],
            tests=str(len(rule["scenarios"])),
            failures=str(counts["failed"]),
            errors=str(counts["errored"]),
            skipped=str(counts["not applicable"]),
        )
        ET.SubElement(
            ET.SubElement(suite, "properties"), "property", name="statement", value=rule["statement"]
        )
        for scenario in rule["scenarios"]:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{rule['id']}.{scenario['feature']}",
                name=scenario["id"].split("::", 1)[-1],
            )
            text = scenario["message"] or ""
            if scenario["outcome"] == "failed":
                ET.SubElement(case, "failure", message=text.splitlines()[0] if text else "").text = text
            elif scenario["outcome"] == "errored":
                ET.SubElement(case, "error", message=text.splitlines()[0] if text else "").text = text
            elif scenario["outcome"] == "not applicable":
                ET.SubElement(case, "skipped", message=text)
    ET.indent(suites)
    return bytes(ET.tostring(suites, encoding="utf-8", xml_declaration=True))


def write_results(
    folder: Path, records: list[dict[str, Any]], *, target: str, started: datetime
) -> dict[str, Any]:
    """Write every file of the results folder; returns the conformance results."""
    from billing_conformance.report import render_html, render_markdown  # noqa: PLC0415 - avoids an import cycle

    results = build_results(records, target=target, started=started)
    found = violations("conformance-results", results)
    if found:
        msg = f"the kit produced conformance results that break their schema: {found[0]}"
        raise AssertionError(msg)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conformance.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (folder / "cucumber.json").write_text(json.dumps(_cucumber(results), indent=2) + "\n", encoding="utf-8")
    (folder / "junit.xml").write_bytes(_junit(results))
    catalog = load_catalog(FEATURES_DIR)
    (folder / "report.html").write_text(render_html(catalog, [results]), encoding="utf-8")
    (folder / "report.md").write_text(render_markdown(catalog, [results]), encoding="utf-8")
    return results
