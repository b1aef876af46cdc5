"""Living documentation: the rules, their scenarios and how each target fares, as HTML and Markdown."""

from __future__ import annotations

from billing_conformance.report.html import render_html
from billing_conformance.report.markdown import render_markdown
from billing_conformance.report.model import Report, build_report

__all__ = ["Report", "build_report", "render_html", "render_markdown"]
