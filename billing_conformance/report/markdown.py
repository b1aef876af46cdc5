"""The report as Markdown: for reading in a repository or a merge request."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from billing_conformance.catalog import Catalog
from billing_conformance.report.evidence import EVIDENCE_NAME, EvidenceRow, anchor
from billing_conformance.report.model import Report, RuleRow, build_report

__all__ = ["render_markdown"]

_MARK = {
    "passed": "passed",
    "failed": "**FAILED**",
    "errored": "errored",
    "not applicable": "n/a",
    "not run": "-",
    "holds": "holds",
    "broken": "**BROKEN**",
    "warning": "**WARNING** (SHOULD)",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _apart(report: Report) -> list[str]:
    """The wire contract's violations and the SHOULD warnings, each target's apart from the rules."""
    lines: list[str] = []
    for target in report.targets:
        for v in target.wire_contract["violations"]:
            where = f" at `{v['field']}`" if v["field"] else ""
            lines.append(
                f"> **Wire contract broken** ({_cell(target.name)}): `{v['operation']}`{where}: "
                f"{v['message']} ({len(v['scenarios'])} scenarios, errored)"
            )
    warnings = [(t, w) for t in report.targets for w in t.warnings]
    if warnings:
        lines += ["", "## Warnings (SHOULD)", ""]
        lines += [
            f"- {_cell(t.name)}: {w['rule']} {w['scenario'].split('::', 1)[-1]}"
            + (f": {str(w['message']).splitlines()[0]}" if w["message"] else "")
            for t, w in warnings
        ]
    return [*lines, ""] if lines else []


def render_markdown(
    catalog: Catalog, results: list[dict[str, Any]], evidence: Mapping[str, EvidenceRow] | None = None
) -> str:
    """The report as Markdown; with ``evidence``, each rule links to its row of the evidence table
    (a copy beside this file) and says its verdict."""
    report = build_report(catalog, results)
    evidence = evidence or {}
    lines = ["# Billing rules: conformance", ""]
    if report.targets:
        lines += [
            "| Target | MUST rules that hold | Broken | Errored | Not applicable | Not run "
            "| Warnings (SHOULD) | Wire contract | Conformance | Verdict |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {_cell(t.name)} | {t.must['holds']} of {t.must['rules']} | {t.must['broken']} | "
            f"{t.must['errored']} | {t.must['notApplicable']} | {t.must.get('notRun', 0)} | "
            f"{len(t.warnings)} | "
            f"{t.wire_contract['verdict']} | {t.conformance} | {t.verdict} |"
            for t in report.targets
        ]
        lines.append("")
        for t in report.targets:
            lines += [f"**{_cell(t.name)}**: {_cell(t.headline)}", ""]
            if t.verdict == "incomplete":
                lines += [
                    "> **Incomplete run**: it did not finish, so it certifies nothing; what it did not "
                    "reach is not run, never passed.",
                    "",
                ]
            elif t.verdict == "partial":
                lines += ["> **Partial run**: only part of the catalog ran; nothing is said of the rest.", ""]
        lines += [
            "Conformance counts MUST rules only. A failed SHOULD scenario (the kit's own decision where "
            "the documents are silent) is a warning, never a breach.",
            "",
        ]
        lines += _apart(report)
    else:
        lines += ["Documentation only: no results were given.", ""]
    for problem in report.problems:
        lines.append(f"> **Catalog problem:** {problem}")
    if len(report.targets) > 1:
        lines += [
            "## Rules by target",
            "",
            "| Rule | " + " | ".join(_cell(t.name) for t in report.targets) + " |",
            "| --- |" + " --- |" * len(report.targets),
        ]
        for row in report.rules:
            flag = " (differs)" if row.differs else ""
            cells = (
                _MARK[v] + (" (warning)" if w else "") for v, w in zip(row.verdicts, row.warned, strict=True)
            )
            lines.append(f"| {row.rule.id}{flag} | " + " | ".join(cells) + " |")
        lines.append("")
    if report.shared_decisions:
        lines += ["## Decisions for every rule", ""]
        lines += [f"- {d}" for d in report.shared_decisions]
        lines.append("")
    for block in report.features:
        feature = block.entry
        lines += [f"## {feature.name or feature.path}", "", f"_{feature.path}_", ""]
        lines += [f"{paragraph}\n" for paragraph in feature.description.split("\n\n") if paragraph]
        lines += [f"- {d}" for d in feature.decisions]
        if feature.background:
            lines += ["", "Background:", "", "```gherkin", *(f"  {s}" for s in feature.background), "```"]
        lines.append("")
        for row in block.rules:
            lines += _rule(row, report, evidence.get(row.rule.id))
    return "\n".join(lines) + "\n"


def _rule(row: RuleRow, report: Report, evidence: EvidenceRow | None = None) -> list[str]:
    """A rule: statement, severity, source, Zuora's word, prose, decisions, Background, verdicts and
    scenarios."""
    lines: list[str] = []
    lines += [
        f"### {row.rule.id}: {row.rule.statement}",
        "",
        f"Severity: {row.rule.severity}",
        "",
        f"Source: {row.rule.source}",
        "",
    ]
    if evidence is not None:
        link = f"{EVIDENCE_NAME}#{anchor(evidence.key)}"
        lines += [f"Zuora's word: [{evidence.plain_verdict}]({link}) ({evidence.support})", ""]
    if row.rule.description:
        lines += [row.rule.description, ""]
    lines += [f"Decision ({d.severity}): {d.text}" for d in row.rule.decisions]
    if row.rule.background:
        lines += ["", "```gherkin", "Background:", *(f"  {s}" for s in row.rule.background), "```"]
    if row.verdicts:
        lines += [
            "",
            "Verdict: "
            + ", ".join(f"{t.name}: {_MARK[v]}" for t, v in zip(report.targets, row.verdicts, strict=True)),
        ]
    seen: set[str] = set()
    for scenario in row.scenarios:
        entry = scenario.entry
        if entry.name not in seen:
            seen.add(entry.name)
            lines += [
                "",
                "```gherkin",
                f"{entry.keyword}: {entry.name}",
                *(f"  {s}" for s in entry.steps),
                "```",
            ]
        if report.targets:
            example = (
                f" ({', '.join(f'{k}={v}' for k, v in scenario.example.items())})" if scenario.example else ""
            )
            outcomes = ", ".join(
                _MARK[o] + (" (warning)" if warned else "")
                for o, warned in zip(scenario.outcomes, scenario.warned, strict=True)
            )
            severity = " [SHOULD]" if scenario.severity == "SHOULD" else ""
            lines.append(f"- {entry.name}{example}{severity}: {outcomes}")
    lines.append("")
    return lines
