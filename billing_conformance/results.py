"""The results folder of a run: ``conformance.json``, ``cucumber.json``, ``junit.xml`` and the report.

``conformance.json`` is specified by ``schemas/conformance-results.schema.json``. Its content
depends only on what ran: records are sorted by id, and the only fields that change from one
identical run to the next are listed in :data:`VOLATILE` (a comparison leaves them out).

Severity (see :mod:`billing_conformance.verdicts`) is shown everywhere, apart from outcomes:

* ``conformance.json``: each rule's and scenario's ``severity``, decisions with theirs, the
  ``warnings`` (failed SHOULD scenarios), the ``wireContract`` (holds or broken, with each
  violation), and a summary whose ``verdict`` and ``must`` counts are the only ones that decide
  conformance, with SHOULD rules and warnings counted apart.
* ``cucumber.json`` (:mod:`billing_conformance.report.cucumber`): every scenario carries a
  ``@MUST`` or ``@SHOULD`` tag beside its rule's.
* ``junit.xml`` (:mod:`billing_conformance.report.junit`): each rule's suite and each test case
  have a ``severity`` property. A failed or errored SHOULD scenario is **not** a JUnit failure
  or error (CI goes red only for what makes ``run`` exit 1): it is reported as
  ``<skipped message="warning: ...">``. An errored scenario whose response broke the wire
  contract stays an ``<error>`` whatever its severity, since the wire contract is MUST.
* ``badge.json`` (:mod:`billing_conformance.badge`): the verdict and its denominator as a
  shields.io endpoint badge (``schemas/shields-endpoint.schema.json``), for CI to publish.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from statistics import median
from typing import Any

from billing_conformance import FEATURES_DIR, __version__
from billing_conformance.badge import BADGE_FILE, badge
from billing_conformance.catalog import MUST, SHOULD, Catalog, document_of, load_catalog
from billing_conformance.folders import folder_problem, target_label, write_whole
from billing_conformance.report import render_html, render_markdown
from billing_conformance.report.cucumber import build_cucumber
from billing_conformance.report.junit import build_junit
from billing_conformance.verdicts import (
    FINISHED,
    Scope,
    headline,
    rule_verdict,
    run_verdict,
    warnings,
    wire_contract,
)
from steps.targets.secrets import TENANT_SHOWN, known_secrets, known_tenants, redact

__all__ = [
    "RESULT_FILES",
    "SCENARIO_VOLATILE",
    "STEP_VOLATILE",
    "VOLATILE",
    "build_results",
    "requests_per_scenario",
    "results_refusal",
    "scrub",
    "stable",
    "write_results",
]

#: The files of a results folder.
RESULT_FILES = ("conformance.json", "cucumber.json", "junit.xml", "report.html", "report.md", BADGE_FILE)

#: Fields whose values differ between two identical runs: when it started, and (in each
#: scenario) how long it and each of its steps took. (A scenario's tenant is shown as
#: ``{tenant}``, never by its id: see :mod:`steps.targets.secrets`.)
VOLATILE = ("startedAt",)
SCENARIO_VOLATILE = ("duration",)
STEP_VOLATILE = ("duration",)


def _counts(verdicts: list[str], keys: tuple[tuple[str, str], ...]) -> dict[str, int]:
    counted = Counter(verdicts)
    return {"rules": len(verdicts), **{name: counted[verdict] for name, verdict in keys}}


_MUST_KEYS = (
    ("holds", "holds"),
    ("broken", "broken"),
    ("errored", "errored"),
    ("notApplicable", "not applicable"),
    ("notRun", "not run"),
)
_SHOULD_KEYS = (
    ("holds", "holds"),
    ("warning", "warning"),
    ("errored", "errored"),
    ("notApplicable", "not applicable"),
    ("notRun", "not run"),
)


def build_results(
    records: list[dict[str, Any]],
    *,
    target: str,
    started: datetime,
    catalog: Catalog | None = None,
    scope: Scope | None = None,
    profile: str | Path | None = None,
    label: str | None = None,
) -> dict[str, Any]:
    """The conformance results of ``records``. ``scope``: how the run ended and what it selected
    (default: it finished); the catalog's size and what ran are counted here. ``profile`` and
    ``label``: the target's profile and the ``--label`` given to ``run``, which name the target
    (:func:`billing_conformance.folders.target_label`)."""
    catalog = catalog or load_catalog(FEATURES_DIR)
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for record in sorted(records, key=lambda r: str(r["id"])):
        by_rule.setdefault(str(record["rule"]), []).append(record)
    rules: list[dict[str, Any]] = []
    for rule in catalog.rules:
        scenarios = by_rule.get(rule.id, [])
        rules.append(
            {
                "id": rule.id,
                "statement": rule.statement,
                "severity": rule.severity,
                "document": document_of(rule),
                "source": rule.source,
                "decisions": [{"severity": d.severity, "text": d.text} for d in rule.decisions],
                "verdict": rule_verdict(rule.severity, scenarios),
                "catalogScenarios": sum(entry.runs for entry in rule.scenarios),
                "scenarios": scenarios,
            }
        )
    in_catalog = sum(rule["catalogScenarios"] for rule in rules)
    scope = replace(scope or Scope(), catalog=in_catalog, ran=len(records))
    outcomes = Counter(str(r["outcome"]) for r in records)
    contract = wire_contract(records)
    found = warnings(records)
    verdict = run_verdict({r["id"]: (r["severity"], r["verdict"]) for r in rules}, contract, scope)
    return {
        "kitVersion": __version__,
        "target": target,
        "label": target_label(target, profile, label),
        "startedAt": started.isoformat(timespec="seconds"),
        "complete": scope.state == FINISHED,
        "summary": {
            "verdict": verdict,
            "headline": headline(
                verdict,
                [r["verdict"] for r in rules],
                scope,
                warnings=len(found),
                contract_violations=len(contract["violations"]),
            ),
            "scope": {
                "state": scope.state,
                "reason": scope.reason,
                "selection": list(scope.selection),
                "catalog": {"rules": len(rules), "scenarios": in_catalog},
                "selected": scope.selected,
                "ran": {"rules": sum(bool(r["scenarios"]) for r in rules), "scenarios": len(records)},
            },
            "rules": len(rules),
            "must": _counts([r["verdict"] for r in rules if r["severity"] == MUST], _MUST_KEYS),
            "should": _counts([r["verdict"] for r in rules if r["severity"] == SHOULD], _SHOULD_KEYS),
            "warnings": len(found),
            "wireContract": contract["verdict"],
            "scenarios": {
                **{k: outcomes[k] for k in ("passed", "failed", "errored", "not applicable")},
                "not run": max(0, in_catalog - len(records)),
            },
            "requests": requests_per_scenario(records),
        },
        "wireContract": contract,
        "warnings": found,
        "rules": rules,
    }


def requests_per_scenario(records: Iterable[Mapping[str, Any]]) -> dict[str, float | int]:
    """The median and the most HTTP requests a scenario sent, and the total (0 in-process)."""
    counts = [int(r.get("requests", 0)) for r in records]
    if not counts:
        return {"median": 0, "max": 0, "total": 0}
    return {"median": median(counts), "max": max(counts), "total": sum(counts)}


def stable(results: dict[str, Any], folder: str | Path | None = None) -> dict[str, Any]:
    """``results`` without the volatile fields (:data:`VOLATILE`, :data:`SCENARIO_VOLATILE`,
    :data:`STEP_VOLATILE`), for comparing two runs; with ``folder``, the run's own results folder
    (named by every re-run command) reads ``{results}``, so runs written to two folders compare."""
    if folder is not None:
        path = json.dumps(str(folder))[1:-1]
        results = json.loads(json.dumps(results).replace(path, "{results}"))
    kept = {key: value for key, value in results.items() if key not in VOLATILE}
    kept["rules"] = [
        {
            **rule,
            "scenarios": [
                {
                    **{k: v for k, v in scenario.items() if k not in SCENARIO_VOLATILE},
                    "steps": [
                        {k: v for k, v in step.items() if k not in STEP_VOLATILE}
                        for step in scenario.get("steps", [])
                    ],
                }
                for scenario in rule["scenarios"]
            ],
        }
        for rule in results.get("rules", [])
    ]
    return kept


def results_refusal(folder: str | Path | None) -> str | None:
    """The line that refuses ``--results folder`` when it cannot be used (None when it can, or
    when no folder is given): see :func:`billing_conformance.folders.folder_problem`."""
    unusable = None if not folder else folder_problem(Path(folder), RESULT_FILES)
    return None if unusable is None else f"refused: --results {unusable}; nothing was run"


def write_results(
    folder: Path,
    records: list[dict[str, Any]],
    *,
    target: str,
    started: datetime,
    catalog: Catalog | None = None,
    scope: Scope | None = None,
    results: dict[str, Any] | None = None,
    profile: str | Path | None = None,
    label: str | None = None,
) -> dict[str, Any]:
    """Write every file of the results folder; returns the conformance results.

    ``catalog``: the rules of the features that ran (default: the kit's ``features/``);
    ``scope``: how the run ended and what it selected (default: it finished); ``results``: the
    results already built from the same records, if the caller has them; ``profile`` and
    ``label``: what names the target (:func:`build_results`). Each file is written
    whole and then moved into place, so a run stopped at any moment leaves every file either as
    it was or as it is now, never half written; a symbolic link in the folder named as one of
    them is replaced, never followed (:func:`billing_conformance.folders.write_whole`).
    """
    catalog = catalog or load_catalog(FEATURES_DIR)
    if results is None:
        results = build_results(
            records,
            target=target,
            started=started,
            catalog=catalog,
            scope=scope,
            profile=profile,
            label=label,
        )
    secrets = known_secrets()
    tenants = known_tenants()
    # The target and its label come from the command line, not from a record: redacted here, as
    # each record was, since a page may break them across lines where scrub() could not see them.
    redacted = redact(results, secrets, tenants)
    assert isinstance(redacted, dict)
    results = redacted
    # That the results keep to schemas/conformance-results is proven by the tests, over real runs
    # in-process and over HTTP; it is not checked again on every run (a third of writing them).
    files = {
        "conformance.json": json.dumps(results, indent=2) + "\n",
        "cucumber.json": json.dumps(build_cucumber(results, catalog), indent=2) + "\n",
        "junit.xml": build_junit(results, catalog).decode("utf-8"),
        "report.html": render_html(catalog, [results]),
        "report.md": render_markdown(catalog, [results]),
        BADGE_FILE: json.dumps(badge(results), indent=2) + "\n",
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        write_whole(folder / name, scrub(text, secrets, tenants))
    return results


def scrub(text: str, secrets: Iterable[str], tenants: Iterable[str] = ()) -> str:
    """``text`` without any of ``secrets`` (shown as ``***``) or ``tenants`` (``{tenant}``), as
    written plainly, escaped in JSON, or escaped in HTML or XML: the last guard before a file of
    the results folder is written, behind the redaction of each record (which should have left
    nothing for it to find)."""
    for found, shown_as in [*((s, "***") for s in secrets), *((t, TENANT_SHOWN) for t in tenants)]:
        for form in dict.fromkeys(
            (found, json.dumps(found)[1:-1], json.dumps(found, ensure_ascii=False)[1:-1])
        ):
            for shown in dict.fromkeys((form, html.escape(form), html.escape(form, quote=False))):
                text = text.replace(shown, shown_as)
    return text
