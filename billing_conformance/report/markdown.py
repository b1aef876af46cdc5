"""The report as Markdown: for reading in a repository or a merge request."""

from __future__ import annotations

from typing import Any

from billing_conformance.catalog import Catalog
from billing_conformance.report.model import build_report

__all__ = ["render_markdown"]

_MARK = {
    "passed": "passed",
    "failed": "**FAILED**",
    "errored": "errored",
    "not applicable": "n/a",
    "not run": "-",
    "holds": "holds",
    "broken": "**BROKEN**",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(catalog: Catalog, results: list[dict[str, Any]]) -> str:
    report = build_report(catalog, results)
    lines = ["# Billing rules: conformance", ""]
    if report.targets:
        lines += [
            "| Target | Rules that hold | Broken | Errored | Not applicable | Conformance |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {_cell(t.name)} | {t.summary['holds']} of {t.summary['rules']} | {t.summary['broken']} | "
            f"{t.summary['errored']} | {t.summary['notApplicable']} | {t.conformance} |"
            for t in report.targets
        ]
        lines.append("")
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
            lines.append(f"| {row.rule.id}{flag} | " + " | ".join(_MARK[v] for v in row.verdicts) + " |")
        lines.append("")
    for document, rows in report.documents.items():
        lines += [f"## {document}", ""]
        for row in rows:
            lines += [f"### {row.rule.id}: {row.rule.statement}", "", f"Source: {row.rule.source}", ""]
            lines += [f"Decision: {decision}" for decision in row.rule.decisions]
            if row.verdicts:
                lines += [
                    "",
                    "Verdict: "
                    + ", ".join(
                        f"{t.name}: {_MARK[v]}" for t, v in zip(report.targets, row.verdicts, strict=True)
                    ),
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
                        f" ({', '.join(f'{k}={v}' for k, v in scenario.example.items())})"
                        if scenario.example
                        else ""
                    )
                    outcomes = ", ".join(_MARK[o] for o in scenario.outcomes)
                    lines.append(f"- {entry.name}{example}: {outcomes}")
            lines.append("")
    return "\n".join(lines) + "\n"
