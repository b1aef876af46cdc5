"""The report as one self-contained HTML page, rendered from Jinja2 templates (``templates/``):
no network, no CDN; its style sheet and its filters are inline, so it works from ``file://``.

The HTTP exchanges travel once each in a JSON block (``<script type="application/json">``, the
runs naming them by position) and are drawn only when their disclosure is opened, so the page
stays small; JSON's own escaping keeps the forms :func:`billing_conformance.results.scrub` finds.

Autoescape is on. Every value is escaped with :func:`html.escape` (``&#x27;`` and ``&quot;``),
the forms :func:`billing_conformance.results.scrub` looks for when it removes secrets.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from billing_conformance.catalog import Catalog
from billing_conformance.report.evidence import EVIDENCE_NAME, EvidenceRow, anchor
from billing_conformance.report.explorations import exploration_views
from billing_conformance.report.model import build_report, feature_anchor
from billing_conformance.report.runs import ICONS, RunView, entry_anchor, entry_marks, run_views

__all__ = ["render_html"]

OUTCOMES = ("passed", "failed", "errored", "not applicable", "not run", "warning")
VERDICTS = ("holds", "broken", "errored", "not applicable", "not run", "warning")


def _escape(value: object) -> object:
    """Escape what a template prints, as :func:`html.escape` does; markup made by the templates
    (macros, ``|safe``) passes as it is."""
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape("" if value is None else str(value)))


def _css(outcome: str) -> str:
    return outcome.replace(" ", "-")


def _words(items: list[str]) -> str:
    """Space-separated words for a data attribute (``not applicable`` becomes ``not-applicable``)."""
    return " ".join(_css(item) for item in items)


def _pretty(body: object) -> str:
    return json.dumps(body, indent=1)


_BREAKS = re.compile(r"(://|[/.:_-])")


def _breakable(name: object) -> Markup:
    """A target's name that wraps at its separators (after ``://``, ``/``, ``.``, ``:``, ``-``,
    ``_``), never inside a word."""
    parts = _BREAKS.split(str(name))
    wbr = Markup("<wbr>")
    return Markup("").join(Markup(html.escape(p)) + (wbr if i % 2 else "") for i, p in enumerate(parts))


def _exchange_data(runs: Mapping[str, list[list[RunView]]]) -> Markup:
    """The JSON block of the exchanges of every folded run (an open run has its own drawn in
    the page): each exchange once (``x``), and per run and target (``runs[anchor][target
    index]``) the steps with the positions of their exchanges."""
    unique: dict[str, int] = {}
    by_run: dict[str, dict[str, list[list[Any]]]] = {}
    for entries in runs.values():
        for run in (r for entry in entries for r in entry if not r.attention):
            for target in run.exchanges:
                groups = []
                for step, found in target.steps:
                    texts = [json.dumps(e, separators=(",", ":")) for e in found]
                    refs = [unique.setdefault(t, len(unique)) for t in texts]
                    groups.append([step, refs])
                by_run.setdefault(run.anchor, {})[str(target.index)] = groups
    text = "[" + ",".join(unique) + "]"
    block = '{"x":' + text + ',"runs":' + json.dumps(by_run, separators=(",", ":")) + "}"
    return Markup(block.replace("</", "<\\/"))


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("billing_conformance.report", "templates"),
        autoescape=True,
        finalize=_escape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["css"] = _css
    environment.filters["breakable"] = _breakable
    environment.filters["pretty"] = _pretty
    environment.filters["words"] = _words
    environment.globals["icons"] = ICONS
    environment.globals["feature_anchor"] = feature_anchor
    environment.globals["entry_anchor"] = entry_anchor
    environment.globals["entry_marks"] = entry_marks
    return environment


def render_html(
    catalog: Catalog,
    results: list[dict[str, Any]],
    evidence: Mapping[str, EvidenceRow] | None = None,
    explorations: Sequence[dict[str, Any]] = (),
) -> str:
    """The whole page for ``results`` (several targets side by side; none: documentation only).
    With ``evidence`` (the evidence table's rows by key), each rule shows its row's verdict and
    links to the row in a copy of the table beside the page (:data:`EVIDENCE_NAME`). Each of
    ``explorations`` (``explore.json``) gets its headline and counterexamples under the summary."""
    report = build_report(catalog, results)
    runs = {row.rule.id: run_views(report, block, row) for block in report.features for row in block.rules}
    links = {key: f"{EVIDENCE_NAME}#{anchor(key)}" for key in evidence or {}}
    template = _environment().get_template("page.html.j2")
    return template.render(
        report=report,
        runs=runs,
        outcomes=OUTCOMES,
        verdicts=VERDICTS,
        zuora_rows=evidence or {},
        zuora_links=links,
        exchange_data=_exchange_data(runs),
        explorations=exploration_views(explorations),
    )
