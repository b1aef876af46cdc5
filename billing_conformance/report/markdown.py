"""The report as Markdown: for reading in a repository or a merge request.

It renders the same in any CommonMark renderer (GitHub's, markdown-it): prose, statements and
names are escaped where they would read as HTML (a Gherkin ``<placeholder>`` outside code would
vanish as an unknown tag), steps and messages are in code, and every target is named by its label
(the ``--label`` or profile of its run), never by its position alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from billing_conformance.catalog import PROJECT, Catalog, filled_name
from billing_conformance.report.evidence import EVIDENCE_NAME, EvidenceRow, anchor
from billing_conformance.report.explorations import ExplorationView, exploration_views
from billing_conformance.report.model import Report, RuleRow, ScenarioRow, build_report
from billing_conformance.terminal import MESSAGE_LINES, first_words

__all__ = ["escape", "render_markdown"]

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
#: A code span (kept as it is) or a character CommonMark could read as the start of HTML or of an
#: entity (escaped with a backslash).
_SPAN_OR_HTML = re.compile(r"(`+)(?:.+?)(?<!`)\1(?!`)|[<>&]", re.DOTALL)


def escape(text: object) -> str:
    """``text`` as Markdown that reads as written: ``<``, ``>`` and ``&`` outside code spans
    backslash-escaped (code spans the text has are left as they are)."""
    return _SPAN_OR_HTML.sub(lambda m: m.group(0) if m.group(0)[0] == "`" else f"\\{m.group(0)}", str(text))


def _cell(text: object) -> str:
    """``text`` for a table cell: escaped, on one line, its ``|`` written ``\\|``."""
    return " ".join(escape(text).split()).replace("|", "\\|")


def _code(text: object) -> str:
    """``text`` as one code span, whatever backticks it holds."""
    flat = " ".join(str(text).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", flat)), default=0) + 1)
    return (
        f"{fence} {flat} {fence}" if flat.startswith("`") or flat.endswith("`") else f"{fence}{flat}{fence}"
    )


def _fenced(lines: list[str], info: str = "", indent: str = "") -> list[str]:
    """``lines`` as a fenced code block (longer fence than any run of backticks in them)."""
    fence = "`" * max([3, *(len(run) + 1 for line in lines for run in re.findall(r"`{3,}", line))])
    return [f"{indent}{fence}{info}", *(f"{indent}{line}" for line in lines), f"{indent}{fence}"]


def _labels(report: Report, results: list[dict[str, Any]]) -> list[str]:
    """Each target by what its results call it: its label, else its target."""
    return [str(r.get("label") or t.name) for t, r in zip(report.targets, results, strict=True)]


def _apart(report: Report, labels: list[str]) -> list[str]:
    """The wire contract's violations and the SHOULD warnings, each target's apart from the rules."""
    lines: list[str] = []
    for target, label in zip(report.targets, labels, strict=True):
        for v in target.wire_contract["violations"]:
            where = f" at {_code(v['field'])}" if v["field"] else ""
            count = len(v["scenarios"])
            lines.append(
                f"> **Wire contract broken** ({escape(label)}): {_code(v['operation'])}{where}: "
                f"{escape(v['message'])} ({count} {'scenario' if count == 1 else 'scenarios'}, errored)"
            )
    warnings = [(label, w) for t, label in zip(report.targets, labels, strict=True) for w in t.warnings]
    if warnings:
        lines += ["", "## Warnings (SHOULD)", ""]
        lines += [
            f"- {escape(label)}: {w['rule']} {escape(w['scenario'].split('::', 1)[-1])}"
            + (f": {escape(str(w['message']).splitlines()[0])}" if w["message"] else "")
            for label, w in warnings
        ]
    return [*lines, ""] if lines else []


def _targets(report: Report, labels: list[str]) -> list[str]:
    lines = [
        "| Target | MUST rules that hold | Broken | Errored | Not applicable | Not run "
        "| Warnings (SHOULD) | Wire contract | Conformance | Verdict | Run |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for t, label in zip(report.targets, labels, strict=True):
        named = label if t.target in label else f"{label} ({t.target})"
        run = ", ".join(
            part for part in (t.started_at, f"kit {t.kit_version}" if t.kit_version else "") if part
        )
        lines.append(
            f"| {_cell(named)} | {t.must['holds']} of {t.must['rules']} | {t.must['broken']} | "
            f"{t.must['errored']} | {t.must['notApplicable']} | {t.must.get('notRun', 0)} | "
            f"{len(t.warnings)} | {t.wire_contract['verdict']} | {t.conformance} | {t.verdict} | "
            f"{_cell(run)} |"
        )
    lines.append("")
    for t, label in zip(report.targets, labels, strict=True):
        lines += [f"**{escape(label)}**: {escape(t.headline)}", ""]
        if t.verdict == "incomplete":
            lines += [
                "> **Incomplete run**: it did not finish, so it certifies nothing; what it did not "
                "reach is not run, never passed.",
                "",
            ]
        elif t.verdict == "partial":
            lines += ["> **Partial run**: only part of the catalog ran; nothing is said of the rest.", ""]
    return [
        *lines,
        "Conformance counts MUST rules only. A failed SHOULD scenario (the kit's own decision where "
        "the documents are silent) is a warning, never a breach.",
        "",
    ]


def _matrix(report: Report, labels: list[str]) -> list[str]:
    """Every rule with its verdict on each target and its statement, linked to the rule below."""
    heading = "Rules by target" if report.targets else "Rules"
    lines = [
        f"## {heading}",
        "",
        "| Rule | " + "".join(f"{_cell(label)} | " for label in labels) + "Statement |",
        "| --- |" + " --- |" * len(labels) + " --- |",
    ]
    for row in report.rules:
        flag = " (differs)" if row.differs else ""
        cells = "".join(
            _MARK[v] + (" (warning)" if w else "") + " | "
            for v, w in zip(row.verdicts, row.warned, strict=True)
        )
        statement = f"[{_cell(row.rule.statement)}](#{anchor(row.rule.id)})"
        lines.append(f"| {row.rule.id}{flag} | {cells}{statement} |")
    return [*lines, ""]


def render_markdown(
    catalog: Catalog,
    results: list[dict[str, Any]],
    evidence: Mapping[str, EvidenceRow] | None = None,
    explorations: Sequence[dict[str, Any]] = (),
) -> str:
    """The report as Markdown; with ``evidence``, each rule links to its row of the evidence table
    (a copy beside this file) and says its verdict; each of ``explorations`` (``explore.json``)
    gets its headline and counterexamples after the matrix."""
    report = build_report(catalog, results)
    labels = _labels(report, results)
    evidence = evidence or {}
    lines = ["# Billing rules: conformance", ""]
    if report.targets:
        lines += _targets(report, labels) + _apart(report, labels)
    else:
        lines += ["Documentation only: no results were given.", ""]
    lines += [f"> **Catalog problem:** {escape(problem)}" for problem in report.problems]
    lines += ["", *_matrix(report, labels)] if report.problems else _matrix(report, labels)
    lines += _explorations(exploration_views(explorations))
    if report.shared_decisions:
        lines += ["## Decisions for every rule", ""]
        lines += [f"- {escape(d)}" for d in report.shared_decisions]
        lines.append("")
    for block in report.features:
        feature = block.entry
        lines += [f"## {escape(feature.name or feature.path)}", "", f"_{escape(feature.path)}_", ""]
        lines += [f"{escape(paragraph)}\n" for paragraph in feature.description.split("\n\n") if paragraph]
        lines += [f"- {escape(d)}" for d in feature.decisions]
        if feature.background:
            lines += ["", *_fenced(["Background:", *(f"  {s}" for s in feature.background)], "gherkin")]
        lines.append("")
        for row in block.rules:
            lines += _rule(row, labels, evidence.get(row.rule.id))
    return "\n".join(lines) + "\n"


def _explorations(views: list[ExplorationView]) -> list[str]:
    """Each exploration: its headline, then each counterexample as the history that broke it."""
    if not views:
        return []
    lines = [
        "## Explored histories",
        "",
        "Random histories of business operations, the MUST rules judged after every step "
        '(`billing-conformance explore`); "nothing broke" speaks only of the histories tried.',
        "",
    ]
    for view in views:
        # What a target or its exploration wrote is shown as code, on one line: never as Markdown.
        lines += [
            f"### {_code(view.target)} ({view.verdict}, {_code(view.started)})",
            "",
            escape(view.headline),
            "",
        ]
        if view.errored:
            lines += [f"Errored: {_code(view.errored)}", ""]
        for finding in view.findings:
            rerun = ", ".join(f"{side} {verdict}" for side, verdict in finding.rerun) or "not run"
            said = _code(first_words(finding.message))
            lines += [
                f"- [{finding.rule}](#{anchor(finding.rule)}): {said} (re-run: {rerun})",
                "",
                *_fenced(list(finding.steps), "gherkin", "  "),
                "",
            ]
    return lines


def _rule(row: RuleRow, labels: list[str], evidence: EvidenceRow | None = None) -> list[str]:
    """A rule: statement, severity, source, Zuora's word, prose, decisions, Background, verdicts and
    scenarios."""
    lines: list[str] = [
        f'<a id="{anchor(row.rule.id)}"></a>',
        "",
        f"### {row.rule.id}: {escape(row.rule.statement)}",
        "",
        f"Severity: {row.rule.severity}",
        "",
        f"Source: {escape(row.rule.source)}",
        "",
    ]
    if evidence is not None:
        link = f"{EVIDENCE_NAME}#{anchor(evidence.key)}"
        lines += [f"Zuora's word: [{evidence.plain_verdict}]({link}) ({escape(evidence.support)})", ""]
    elif row.rule.origin == PROJECT:
        lines += ["The project's own rule.", ""]
    if row.rule.description:
        lines += [escape(row.rule.description), ""]
    lines += [f"Decision ({d.severity}): {escape(d.text)}" for d in row.rule.decisions]
    if row.rule.background:
        lines += ["", *_fenced(["Background:", *(f"  {s}" for s in row.rule.background)], "gherkin")]
    if row.verdicts:
        lines += [
            "",
            "Verdict: "
            + ", ".join(
                f"{_MARK[v]} on {escape(label)}" for label, v in zip(labels, row.verdicts, strict=True)
            ),
        ]
    seen: set[str] = set()
    for scenario in row.scenarios:
        entry = scenario.entry
        if entry.name not in seen:
            seen.add(entry.name)
            examples = _examples(entry.examples)
            lines += [
                "",
                *_fenced(
                    [f"{entry.keyword}: {entry.name}", *(f"  {s}" for s in entry.steps), *examples], "gherkin"
                ),
            ]
        if labels:
            lines += _outcomes(scenario, labels)
    lines.append("")
    return lines


def _examples(rows: tuple[dict[str, str], ...]) -> list[str]:
    """An outline's Examples as Gherkin writes them."""
    if not rows:
        return []
    keys = list(rows[0])
    width = {k: max(len(k), *(len(str(r.get(k, ""))) for r in rows)) for k in keys}
    table = [keys, *([str(r.get(k, "")) for k in keys] for r in rows)]
    return [
        "",
        "  Examples:",
        *(
            "    | " + " | ".join(c.ljust(width[k]) for k, c in zip(keys, cells, strict=True)) + " |"
            for cells in table
        ),
    ]


def _outcomes(scenario: ScenarioRow, labels: list[str]) -> list[str]:
    """A scenario's outcome on each target, by name, and how it failed where it did."""
    ran = next((r for r in scenario.results if r), None)
    title = str((ran or {}).get("title") or filled_name(scenario.entry.name, scenario.example))
    severity = " [SHOULD]" if scenario.severity == "SHOULD" else ""
    outcomes = "; ".join(
        _MARK[o] + (" (warning)" if warned else "") + f" on {escape(label)}"
        for label, o, warned in zip(labels, scenario.outcomes, scenario.warned, strict=True)
    )
    lines = [f"- {escape(title)}{severity}: {outcomes}"]
    for label, result in zip(labels, scenario.results, strict=True):
        if not result or result["outcome"] not in ("failed", "errored", "not applicable"):
            continue
        step = result.get("failedStep")
        at = f" at step {_code(step['keyword'] + ' ' + step['text'])} (line {step['line']})" if step else ""
        message = first_words(result.get("message")).splitlines() or ["(no message)"]
        if len(message) > MESSAGE_LINES:
            message = [
                *message[:MESSAGE_LINES],
                f"... ({len(message) - MESSAGE_LINES} more lines in conformance.json)",
            ]
        lines += [
            "",
            f"  {_MARK[result['outcome']]} on {escape(label)}{at}:",
            "",
            *_fenced(message, "text", "  "),
        ]
    return lines
