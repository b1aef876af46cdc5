"""The Markdown version renders as written in a CommonMark renderer (markdown-it, as GitHub's is
CommonMark): no Gherkin placeholder or other text vanishes as an HTML tag, each target is named
by its label, a failure gives its message, and the matrix gives each rule's statement with a
link that lands on the rule."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from billing_conformance import FEATURES_DIR
from billing_conformance.catalog import load_catalog
from billing_conformance.cli import main
from billing_conformance.report import render_markdown
from billing_conformance.report.evidence import anchor
from billing_conformance.report.markdown import escape
from tests.report_support import run_results

CATALOG = load_catalog(FEATURES_DIR)
_PLACEHOLDER = re.compile(r"<([^<>]+)>")
#: The tags CommonMark makes of Markdown itself (and the rules' own anchors): any other tag in the
#: rendered page is text of the report that a renderer took for HTML.
_MARKDOWN_TAGS = {
    "h1", "h2", "h3", "p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "hr", "br",
}  # fmt: skip


class _Rendered(HTMLParser):
    """The text a reader sees of rendered HTML, its tags, its link targets and its ids."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: set[str] = set()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        found = dict(attrs)
        if found.get("href"):
            self.hrefs.append(str(found["href"]))
        if found.get("id"):
            self.ids.add(str(found["id"]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def words(self) -> str:
        return " ".join("".join(self.text).split())


def _render(markdown: str) -> _Rendered:
    return _Rendered(MarkdownIt("commonmark").render(markdown))


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The whole suite run against the reference and against a variant, each with a label."""
    base = tmp_path_factory.mktemp("labelled")
    run_results(base / "reference", "inprocess", "--label=reference build")
    run_results(base / "vendor", "inprocess:tests.known_bad:LeavesCreditMemosUncanceled", "--label=vendor")
    return [base / "reference", base / "vendor"]


@pytest.fixture(scope="module")
def labelled(folders: list[Path]) -> list[dict[str, Any]]:
    return [json.loads((f / "conformance.json").read_text(encoding="utf-8")) for f in folders]


@pytest.fixture(scope="module")
def index_md(folders: list[Path], tmp_path_factory: pytest.TempPathFactory) -> str:
    """index.md as ``billing-conformance docs`` writes it from the two results folders."""
    out = tmp_path_factory.mktemp("docs")
    assert main(["docs", "--results", str(folders[0]), "--results", str(folders[1]), "--out", str(out)]) == 0
    return (out / "index.md").read_text(encoding="utf-8")


def test_every_placeholder_of_the_features_reads_in_the_rendered_markdown(index_md: str) -> None:
    placeholders = {
        word
        for rule in CATALOG.rules
        for entry in rule.scenarios
        for text in (entry.name, *entry.steps)
        for word in _PLACEHOLDER.findall(text)
    }
    assert {"passage", "status", "repeat"} <= placeholders  # the outlines the issue names
    rendered = _render(index_md)
    for word in sorted(placeholders):
        assert f"<{word}>" in rendered.words, word
    for rule in CATALOG.rules:
        for entry in rule.scenarios:
            assert " ".join(entry.name.split()) in rendered.words, entry.name
    assert rendered.tags <= _MARKDOWN_TAGS | {"table", "thead", "tbody", "tr", "th", "td"}, rendered.tags


def test_the_documentation_alone_renders_every_placeholder_too() -> None:
    rendered = _render(render_markdown(CATALOG, []))
    assert "Scenario Outline: Canceling a bill run that is being <passage>" in rendered.words
    assert "| passage |" in rendered.words  # the outline's Examples, under its steps
    assert rendered.tags <= _MARKDOWN_TAGS | {"table", "thead", "tbody", "tr", "th", "td"}, rendered.tags


def test_outline_runs_are_named_with_their_values_by_target(index_md: str) -> None:
    rendered = _render(index_md).words
    assert "Canceling a bill run that is being processed: passed on reference build; passed on vendor" in (
        rendered
    )
    assert "A completed bill run" in rendered
    assert "[passage=processed]" not in rendered
    assert "(passage=processed)" not in rendered


def test_the_targets_are_named_by_their_labels(index_md: str, labelled: list[dict[str, Any]]) -> None:
    assert [r["label"] for r in labelled] == ["reference build", "vendor"]
    rendered = _render(index_md).words
    for label in ("reference build", "vendor"):
        assert f"**{label}**:" not in rendered  # emphasis rendered, not shown as asterisks
        assert f"{label}: " in rendered
    assert "Verdict: holds on reference build, **BROKEN** on vendor" not in rendered
    assert "Verdict: holds on reference build, BROKEN on vendor" in rendered
    assert "reference build (inprocess)" in rendered  # the summary gives the target beside the label
    assert f"kit {labelled[0]['kitVersion']}" in rendered
    assert labelled[0]["startedAt"] in rendered


def test_a_failure_gives_its_step_and_message_on_its_target(
    index_md: str, labelled: list[dict[str, Any]]
) -> None:
    failed = [s for rule in labelled[1]["rules"] for s in rule["scenarios"] if s["outcome"] == "failed"]
    assert failed
    rendered = _render(index_md).words
    for scenario in failed:
        first = " ".join(str(scenario["message"]).split("\nassert ", 1)[0].splitlines()[0].split())
        assert first in rendered, first
        step = scenario["failedStep"]
        assert f"FAILED on vendor at step {step['keyword']} {step['text']} (line {step['line']}):" in rendered


def test_the_matrix_gives_each_rules_statement_linked_to_the_rule(index_md: str) -> None:
    rendered = _render(index_md)
    for rule in CATALOG.rules:
        assert f"#{anchor(rule.id)}" in rendered.hrefs, rule.id
        assert anchor(rule.id) in rendered.ids, rule.id
    matrix = index_md.split("## Rules by target", 1)[1].split("\n\n", 2)[1]
    row = next(line for line in matrix.splitlines() if line.startswith("| BR-CANCEL-CREDIT-MEMOS "))
    statement = next(r.statement for r in CATALOG.rules if r.id == "BR-CANCEL-CREDIT-MEMOS")
    assert row.endswith(f"[{escape(statement)}](#br-cancel-credit-memos) |")


def test_the_tables_keep_their_columns_where_tables_are_rendered(index_md: str) -> None:
    """With tables on (as GitHub renders them), every row of every table has its header's cells:
    a ``|`` in a statement or a name is escaped, never a column of its own."""
    tokens = MarkdownIt("commonmark").enable("table").parse(index_md)
    widths: list[list[int]] = []
    for token in tokens:
        if token.type == "table_open":
            widths.append([])
        elif token.type == "tr_open":
            widths[-1].append(0)
        elif token.type in ("th_open", "td_open"):
            widths[-1][-1] += 1
    assert len(widths) >= 2  # the targets, and the rules by target
    for table in widths:
        assert len(set(table)) == 1, table
    assert widths[1][0] == 4  # rule, two targets, statement


@pytest.mark.parametrize(
    ("text", "seen"),
    [
        ("being <passage>", "being <passage>"),
        ("A & B <b>bold</b>", "A & B <b>bold</b>"),
        ("the `Idempotency-Key` header, `<x>` in code", "the Idempotency-Key header, <x> in code"),
        ("&amp; stays written", "&amp; stays written"),
        ("> not a quote", "> not a quote"),
    ],
)
def test_escape_keeps_text_as_written(text: str, seen: str) -> None:
    rendered = _render(escape(text))
    assert rendered.words == seen
    assert rendered.tags <= {"p", "code"}
