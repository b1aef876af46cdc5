"""The report as one self-contained HTML page: no network, no CDN, filters and search inline."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from billing_conformance.catalog import Catalog
from billing_conformance.report.model import Report, RuleRow, ScenarioRow, build_report

__all__ = ["render_html"]

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d232a;background:#f7f8fa}
header,main,section.block{max-width:1100px;margin:0 auto;padding:0 20px}
header{padding-top:18px}h1{font-size:24px;margin:.2em 0}h2{margin-top:1.6em;border-bottom:2px solid #dde2e8}
h3{font-size:16px;margin:.2em 0}h4{font-size:14px;margin:.6em 0 .2em}
table{border-collapse:collapse;background:#fff;margin:.5em 0}td,th{border:1px solid #dde2e8;padding:4px 8px;text-align:left}
.rule{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:10px 14px;margin:12px 0}
.rule-id{font-family:ui-monospace,monospace;font-size:12px;background:#eef1f5;border-radius:4px;padding:1px 6px;margin-right:6px}
.source,.decision{color:#59636e;font-size:13px;margin:.2em 0}
pre{background:#f3f5f7;padding:8px;border-radius:4px;overflow:auto;font-size:12.5px;margin:.3em 0;white-space:pre-wrap;word-break:break-word}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;margin-right:4px;border:1px solid transparent}
.passed,.holds{background:#e3f5e8;color:#1a6b34}.failed,.broken{background:#fde4e4;color:#9b1c1c;font-weight:600}
.errored{background:#fff1d6;color:#8a5300}.not-applicable{background:#eceff3;color:#4b5563;border-color:#c9ced6}
.not-run{background:#fff;color:#8b949e;border-color:#dde2e8}
.warning,.warn{background:#fff4c2;color:#7a5b00;font-weight:600}.conforms{background:#e3f5e8;color:#1a6b34}
.does-not-conform{background:#fde4e4;color:#9b1c1c;font-weight:600}.inconclusive{background:#fff1d6;color:#8a5300}.nothing-checked{background:#eceff3;color:#3d4650;font-weight:600}
.MUST{background:#e8edf7;color:#1f3b73;border-color:#b9c6e4}.SHOULD{background:#f3eafc;color:#5b2a86;border-color:#d6c2ec}
.deliberate{color:#5b2a86;font-size:13px}.violation{background:#fde4e4;border:1px solid #f3b1b1;padding:6px;border-radius:6px}
tr.differs td{background:#fff7d6}.problem{background:#fde4e4;border:1px solid #f3b1b1;padding:8px;border-radius:6px}
#filters{position:sticky;top:0;background:#f7f8fa;padding:8px 20px;border-bottom:1px solid #dde2e8;z-index:1}
#filters label{margin-right:14px}.hidden{display:none}details{margin:.3em 0 .6em}button.copy{font-size:12px}
"""

_SCRIPT = """
(function(){
  const outcome=document.getElementById('outcome-filter'),tag=document.getElementById('tag-filter'),
        search=document.getElementById('search'),count=document.getElementById('visible-count');
  function apply(){
    const o=outcome.value,t=tag.value,q=search.value.trim().toLowerCase();let rules=0;
    document.querySelectorAll('article.rule').forEach(function(rule){
      const ruleText=rule.dataset.text;let shown=0;
      rule.querySelectorAll('.scenario').forEach(function(s){
        const ok=(!o||s.dataset.outcomes.split(' ').indexOf(o)>=0)&&(!t||s.dataset.tags.split(' ').indexOf(t)>=0)
          &&(!q||s.dataset.text.indexOf(q)>=0||ruleText.indexOf(q)>=0);
        s.classList.toggle('hidden',!ok);if(ok)shown++;});
      const bare=rule.querySelectorAll('.scenario').length===0&&!o&&!t&&(!q||ruleText.indexOf(q)>=0);
      rule.classList.toggle('hidden',shown===0&&!bare);if(shown||bare)rules++;});
    count.textContent=rules+' rules shown';}
  [outcome,tag].forEach(function(e){e.addEventListener('change',apply)});search.addEventListener('input',apply);
  document.querySelectorAll('button.copy').forEach(function(b){b.addEventListener('click',function(){
    const text=b.previousElementSibling.textContent;if(navigator.clipboard){navigator.clipboard.writeText(text);}
    b.textContent='copied';});});
  apply();
})();
"""


def _css(outcome: str) -> str:
    return outcome.replace(" ", "-")


def _badge(outcome: str, prefix: str = "") -> str:
    return f'<span class="badge {_css(outcome)}">{escape(prefix)}{escape(outcome)}</span>'


def _severity(severity: str) -> str:
    return f'<span class="badge severity {escape(severity)}">{escape(severity)}</span>'


def _summary(report: Report) -> str:
    if not report.targets:
        return '<p id="doc-only">Documentation only: no results were given, so no outcomes are shown.</p>'
    rows = "".join(
        f"<tr><td>{escape(t.name)}</td><td>{t.must['holds']} of {t.must['rules']}</td>"
        f"<td>{t.must['broken']}</td><td>{t.must['errored']}</td><td>{t.must['notApplicable']}</td>"
        f"<td>{t.must['notRun']}</td><td>{_badge('warning') if t.warnings else ''}{len(t.warnings)}</td>"
        f"<td>{_badge(t.wire_contract['verdict'])}</td><td><strong>{t.conformance}</strong></td>"
        f"<td>{_badge(t.verdict)}</td></tr>"
        for t in report.targets
    )
    return (
        '<table id="summary"><tr><th>Target</th><th>MUST rules that hold</th><th>Broken</th><th>Errored</th>'
        "<th>Not applicable</th><th>Not run</th><th>Warnings (SHOULD)</th><th>Wire contract</th>"
        f"<th>Conformance</th><th>Verdict</th></tr>{rows}</table>"
        "<p class=source>Conformance counts the MUST rules that hold among those that applied; rules that "
        "were not applicable are shown apart and never counted as passed. A failed SHOULD scenario (the "
        "kit's own decision where the documents are silent) is a warning, never a breach. A response that "
        "breaks Zuora's published shape breaks the wire contract, which is MUST.</p>"
    )


def _warnings(report: Report) -> str:
    items = [(t, w) for t in report.targets for w in t.warnings]
    if not items:
        return ""
    rows = "".join(
        f'<li>{_badge("warning")}<strong>{escape(t.name)}</strong>: <a href="#{escape(w["rule"])}">'
        f"{escape(w['rule'])}</a> {escape(w['scenario'].split('::', 1)[-1])}"
        f"{': ' + escape(str(w['message']).splitlines()[0]) if w['message'] else ''}</li>"
        for t, w in items
    )
    return (
        f'<section id="warnings"><h2>Warnings (SHOULD)</h2><p>{len(items)} SHOULD scenarios failed: '
        f"they check the kit's own decisions and never count against conformance.</p><ul>{rows}</ul></section>"
    )


def _contract(report: Report) -> str:
    broken = [t for t in report.targets if t.wire_contract["verdict"] == "broken"]
    if not broken:
        return ""
    parts = []
    for target in broken:
        rows = "".join(
            f"<li><code>{escape(v['operation'])}</code>"
            f"{' at <code>' + escape(v['field']) + '</code>' if v['field'] else ''}: {escape(v['message'])} "
            f"({len(v['scenarios'])} scenarios)</li>"
            for v in target.wire_contract["violations"]
        )
        parts.append(f"<h3>{escape(target.name)}: {_badge('broken')}</h3><ul>{rows}</ul>")
    return (
        '<section id="wire-contract" class="violation"><h2>Wire contract</h2><p>These responses broke '
        "Zuora's published shape. Their scenarios are errored (their rules are not blamed); the run does "
        f"not conform.</p>{''.join(parts)}</section>"
    )


def _matrix(report: Report) -> str:
    if len(report.targets) < 2:
        return ""
    head = "".join(f"<th>{escape(t.name)}</th>" for t in report.targets)
    rows = []
    for row in report.rules:
        cells = "".join(
            f"<td>{_badge(v)}{_badge('warning', 'SHOULD ') if warned else ''}</td>"
            for v, warned in zip(row.verdicts, row.warned, strict=True)
        )
        rows.append(
            f'<tr class="{"differs" if row.differs else "same"}" data-rule="{escape(row.rule.id)}">'
            f'<td><a href="#{escape(row.rule.id)}">{escape(row.rule.id)}</a></td>{cells}</tr>'
        )
    differing = sum(row.differs for row in report.rules)
    return (
        f"<h2>Rules by target</h2><p>{differing} of {len(report.rules)} rules differ between targets "
        f'(highlighted).</p><table id="matrix"><tr><th>Rule</th>{head}</tr>{"".join(rows)}</table>'
    )


def _evidence(result: dict[str, Any], target: str) -> str:
    parts = [f"<p><strong>{escape(target)}</strong>: {_badge(result['outcome'])}</p>"]
    step = result.get("failedStep")
    if step:
        parts.append(
            f"<p>Step that failed (line {step['line']}): <code>{escape(step['keyword'])} "
            f"{escape(step['text'])}</code></p>"
        )
    if result.get("message"):
        parts.append(f"<p>Expected and observed:</p><pre>{escape(result['message'])}</pre>")
    violation = result.get("contractViolation")
    if violation:
        where = f" at {violation['field']}" if violation.get("field") else ""
        parts.append(
            f'<p class="violation">Wire contract broken: {escape(violation["operation"])}{escape(where)}: '
            f"{escape(violation['message'])}</p>"
        )
    for exchange in result.get("exchanges", []):
        deliberate = exchange.get("deliberate")
        note = (
            f'<p class="deliberate">deliberately negative request: {escape(deliberate)}</p>'
            if deliberate
            else ""
        )
        parts.append(
            f"<details><summary>{escape(exchange['method'])} {escape(exchange['url'])} &rarr; "
            f"{exchange['status']} ({escape(exchange['operation'])})</summary>{note}<pre>request: "
            f"{escape(json.dumps(exchange['request_body'], indent=1))}\nresponse: "
            f"{escape(json.dumps(exchange['response_body'], indent=1))}</pre></details>"
        )
    parts.append(
        f'<p>Run it again: <code class="rerun">{escape(result["rerun"])}</code> '
        '<button class="copy" type="button">copy</button></p>'
    )
    return "".join(parts)


def _scenario(scenario: ScenarioRow, report: Report, first_of_entry: bool) -> str:
    entry = scenario.entry
    outcomes = scenario.outcomes
    text = " ".join([entry.name, *entry.steps, *scenario.example.values()]).lower()
    gherkin = ""
    if first_of_entry:
        body = "\n".join(f"  {step}" for step in entry.steps)
        gherkin = f"<pre class=gherkin>{escape(entry.keyword)}: {escape(entry.name)}\n{escape(body)}</pre>"
    example = ", ".join(f"{k} = {v}" for k, v in scenario.example.items())
    title = escape(entry.name) + (f" <small>({escape(example)})</small>" if example else "")
    badges = _severity(scenario.severity) + "".join(
        _badge(o, f"{t.name}: " if len(report.targets) > 1 else "")
        + (_badge("warning", "SHOULD ") if warned else "")
        for o, t, warned in zip(outcomes, report.targets, scenario.warned, strict=True)
    )
    shown = [*outcomes, *(["warning"] if any(scenario.warned) else [])]
    details = "".join(
        f"<details open><summary>Evidence</summary>{_evidence(r, t.name)}</details>"
        for r, t in zip(scenario.results, report.targets, strict=True)
        if r and r["outcome"] != "passed"
    )
    return (
        f'<div class="scenario" data-severity="{scenario.severity}" data-outcomes="{escape(" ".join(shown))}" '
        f'data-tags="{escape(" ".join(entry.tags))}" data-text="{escape(text)}">{gherkin}'
        f"<h4>{title}</h4>{badges}{details}</div>"
    )


def _rule(row: RuleRow, report: Report) -> str:
    rule = row.rule
    decisions = "".join(
        f"<p class=decision>{_severity(d.severity)}Decision ({d.severity}): {escape(d.text)}</p>"
        for d in rule.decisions
    )
    verdicts = "".join(_badge(v, f"{t.name}: ") for v, t in zip(row.verdicts, report.targets, strict=True))
    seen: set[str] = set()
    scenarios = []
    for scenario in row.scenarios:
        scenarios.append(_scenario(scenario, report, scenario.entry.name not in seen))
        seen.add(scenario.entry.name)
    flag = '<p class="problem">This rule has no scenario.</p>' if not row.scenarios else ""
    text = f"{rule.id} {rule.statement}".lower()
    return (
        f'<article class="rule" id="{escape(rule.id)}" data-rule="{escape(rule.id)}" data-text="{escape(text)}">'
        f'<h3><span class="rule-id">{escape(rule.id)}</span>{_severity(rule.severity)}{escape(rule.statement)}</h3>'
        f"<p class=source>Source: {escape(rule.source)}</p>{decisions}<div>{verdicts}</div>{flag}"
        f"{''.join(scenarios)}</article>"
    )


def render_html(catalog: Catalog, results: list[dict[str, Any]]) -> str:
    """The whole page for ``results`` (several targets side by side; none: documentation only)."""
    report = build_report(catalog, results)
    problems = "".join(f'<p class="problem">Catalog problem: {escape(p)}</p>' for p in report.problems)
    outcomes = "".join(
        f'<option value="{o}">{o}</option>'
        for o in ("passed", "failed", "errored", "not applicable", "not run", "warning")
    )
    tags = "".join(f'<option value="{escape(t)}">{escape(t)}</option>' for t in report.tags)
    documents = "".join(
        f'<section class="document"><h2>{escape(title)}</h2>{"".join(_rule(row, report) for row in rows)}</section>'
        for title, rows in report.documents.items()
    )
    targets = ", ".join(t.name for t in report.targets) or "no target"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Billing rules: conformance</title><style>{_STYLE}</style></head>
<body><header><h1>Billing rules: conformance</h1><p>{len(report.rules)} documented rules; results for
{escape(targets)}.</p>{_summary(report)}{problems}{_contract(report)}{_warnings(report)}{_matrix(report)}</header>
<nav id="filters"><label>Outcome <select id="outcome-filter"><option value="">any</option>{outcomes}</select></label>
<label>Tag <select id="tag-filter"><option value="">any</option>{tags}</select></label>
<label>Search <input id="search" type="search" placeholder="rule, scenario or step"></label>
<span id="visible-count"></span></nav>
<main>{documents}</main><script>{_SCRIPT}</script></body></html>
"""
