"""The report as one self-contained HTML page, rendered from Jinja2 templates (``templates/``):
no network, no CDN; its style sheet and its filters are inline, so it works from ``file://``.

Autoescape is on. Every value is escaped with :func:`html.escape` (``&#x27;`` and ``&quot;``),
the forms :func:`billing_conformance.results.scrub` looks for when it removes secrets.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from billing_conformance.catalog import Catalog
from billing_conformance.report.evidence import EVIDENCE_NAME, EvidenceRow, anchor
from billing_conformance.report.model import build_report
from billing_conformance.report.runs import ICONS, run_views

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
    environment.filters["pretty"] = _pretty
    environment.filters["words"] = _words
    environment.globals["icons"] = ICONS
    return environment


def render_html(
    catalog: Catalog, results: list[dict[str, Any]], evidence: Mapping[str, EvidenceRow] | None = None
) -> str:
    """The whole page for ``results`` (several targets side by side; none: documentation only).
    With ``evidence`` (the evidence table's rows by key), each rule shows its row's verdict and
    links to the row in a copy of the table beside the page (:data:`EVIDENCE_NAME`)."""
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
    )
