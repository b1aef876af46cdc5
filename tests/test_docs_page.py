"""The living documentation as a reviewer reads it: folded runs, one mark where targets agree,
true colours, the exchanges behind one disclosure, coverage by source, the table of contents."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from billing_conformance import FEATURES_DIR
from billing_conformance.catalog import load_catalog
from billing_conformance.report import html as html_module
from billing_conformance.report import render_html
from billing_conformance.report.evidence import (
    EVIDENCE_FILE,
    EVIDENCE_NAME,
    anchor,
    read_evidence,
    rows_by_key,
)
from billing_conformance.report.runs import ICONS
from tests.known_bad.bill_runs import CancelsPausedRuns
from tests.report_support import Element, http_results, parse_html, reviewed_targets

CATALOG = load_catalog(FEATURES_DIR)


@pytest.fixture(scope="module")
def over_http(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A rule broken over HTTP: each step's record says which exchanges it made."""
    return http_results(tmp_path_factory.mktemp("http"), CancelsPausedRuns, "--rule=BR-CANCEL-PAUSED")


def _rule(page: Element, rule_id: str) -> Element:
    return page.find("article", "rule", id=rule_id)


def _words(text: str) -> str:
    return " ".join(text.split())


def _failed_run(page: Element, rule_id: str) -> Element:
    return next(
        r
        for r in _rule(page, rule_id).find_all("details", "scenario")
        if "failed" in r.attrs["data-outcomes"]
    )


def test_a_failed_run_keeps_its_exchanges_behind_one_disclosure_by_step(over_http: dict[str, Any]) -> None:
    """One disclosure per run and target (never one line per step), its exchanges under the
    step that made them; drawn in the page, since a failed run is open (and prints)."""
    (rule,) = [r for r in over_http["rules"] if r["id"] == "BR-CANCEL-PAUSED"]
    (record,) = [s for s in rule["scenarios"] if s["outcome"] == "failed"]
    assert record["exchanges"]
    run = _failed_run(parse_html(render_html(CATALOG, [over_http])), "BR-CANCEL-PAUSED")
    assert "open" in run.attrs
    (box,) = run.find_all("details", "exchanges")
    assert _words(box.find("summary").text) == f"{len(record['exchanges'])} HTTP exchanges"
    steps = [_words(h.text) for h in box.find_all("h6")]
    assert steps == [f"{s['keyword']} {s['text']}" for s in record["steps"] if s.get("exchanges")]
    urls = [_words(d.find("summary").text) for d in box.find_all("details", "exchange")]
    assert urls == [
        _words(f"{e['method']} {e['url']} \u2192 {e['status']} ({e['operation']})")
        for e in record["exchanges"]
    ]
    assert not any(li.find_all("details") for li in run.find_all("li", "step"))
    assert not run.find("div", "scenario-evidence").find_all("details", "exchange")


def _exchange_data(page: Element) -> dict[str, Any]:
    block = page.find("script", id="exchange-data")
    assert block.attrs["type"] == "application/json"
    loaded = json.loads(block.text)
    assert isinstance(loaded, dict)
    return loaded


def test_a_folded_run_carries_its_exchanges_in_the_json_block_once_each(over_http: dict[str, Any]) -> None:
    """A passed run's exchanges are not drawn in the page: they come from the JSON block when
    the disclosure is opened."""
    (rule,) = [r for r in over_http["rules"] if r["id"] == "BR-CANCEL-PAUSED"]
    passed = [s for s in rule["scenarios"] if s["outcome"] == "passed" and s["exchanges"]]
    assert passed
    page = parse_html(render_html(CATALOG, [over_http]))
    data = _exchange_data(page)
    folded = [
        r for r in _rule(page, "BR-CANCEL-PAUSED").find_all("details", "scenario") if "open" not in r.attrs
    ]
    assert len(folded) == len(passed)
    for run, record in zip(folded, passed, strict=True):
        (box,) = run.find_all("details", "exchanges")
        assert not box.find_all("details", "exchange")
        groups = data["runs"][run.attrs["id"]][box.attrs["data-target-index"]]
        assert [g[0] for g in groups] == [
            f"{s['keyword']} {s['text']}" for s in record["steps"] if s.get("exchanges")
        ]
        assert [data["x"][i] for g in groups for i in g[1]] == record["exchanges"]


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """In-process and over HTTP (a broken rule, scheduled bill runs not applicable)."""
    return reviewed_targets(tmp_path_factory.mktemp("reviewed"))


def _evidence_rows() -> dict[str, Any]:
    return dict(rows_by_key(read_evidence(EVIDENCE_FILE.read_text(encoding="utf-8"))))


def test_the_two_target_page_stays_under_a_megabyte_with_each_exchange_once(
    reviewed: list[dict[str, Any]],
) -> None:
    text = render_html(CATALOG, reviewed, _evidence_rows())
    assert len(text.encode("utf-8")) < 1_000_000
    made = sum(len(s.get("exchanges", [])) for t in reviewed for r in t["rules"] for s in r["scenarios"])
    assert made > 500  # the page would be two megabytes with every exchange drawn
    data = _exchange_data(parse_html(text))
    assert len(data["x"]) < made / 2
    assert text.count('class="exchange"') < 100  # only the open runs' exchanges are drawn


def test_passed_runs_are_folded_and_failed_ones_open(reviewed: list[dict[str, Any]]) -> None:
    page = parse_html(render_html(CATALOG, reviewed))
    runs = page.find_all("details", "scenario")
    assert len(runs) == sum(len(s.examples) or 1 for r in CATALOG.rules for s in r.scenarios)
    opened = [r for r in runs if "open" in r.attrs]
    assert [r.attrs["data-outcomes"] for r in opened] == ["passed failed"]
    assert all("open" not in r.attrs for r in runs if "failed" not in r.attrs["data-outcomes"])
    assert "open" in _rule(page, "BR-CANCEL-CREDIT-MEMOS").find("details", "scenario", open="").attrs
    folded = next(r for r in runs if r.attrs["data-outcomes"] == "passed passed")
    marks = folded.find("summary").find_all("span", "mark")
    assert [m.attrs["title"] for m in marks] == [f"{t.get('label') or t['target']}: passed" for t in reviewed]


def test_a_step_shows_one_mark_when_every_target_agrees_and_one_per_target_where_they_differ(
    reviewed: list[dict[str, Any]],
) -> None:
    run = _failed_run(parse_html(render_html(CATALOG, reviewed)), "BR-CANCEL-CREDIT-MEMOS")
    steps = run.find_all("li", "step")
    for li in steps:
        statuses = li.attrs["data-statuses"].split()
        shown = [_words(s.text) for s in li.find_all("span", "status")]
        if len(set(statuses)) == 1:
            assert shown == [f"{ICONS[statuses[0]]} {statuses[0]}"]
        else:
            assert len(shown) == len(reviewed)
            assert all(t["target"] in x for t, x in zip(reviewed, shown, strict=True))
    assert any(len(set(li.attrs["data-statuses"].split())) > 1 for li in steps)


def test_not_applicable_is_grey_with_its_reason_never_failed_and_offers_no_rerun(
    reviewed: list[dict[str, Any]],
) -> None:
    page = parse_html(render_html(CATALOG, reviewed))
    runs = [r for r in page.find_all("details", "scenario") if "not-applicable" in r.attrs["data-outcomes"]]
    assert runs
    for run in runs:
        assert "open" not in run.attrs
        assert not run.find_all(cls="failed-step")
        assert not run.find_all(cls="failed")
        assert not run.find_all("code", "rerun")
        assert "Step that failed" not in run.text
        (reason,) = run.find("summary").find_all("span", "reason")
        assert "not-applicable" in reason.classes
        assert "the target does not offer scheduled bill runs" in reason.text
        marks = run.find("summary").find_all("span", "mark")
        assert "not-applicable" in marks[1].classes
        assert "the target does not offer scheduled bill runs" in marks[1].attrs["title"]
        assert any("not-applicable" in s.classes for s in run.find_all("span", "status"))


def test_the_colours_and_the_legend_say_what_each_outcome_means() -> None:
    css = (Path(html_module.__file__).parent / "templates" / "page.css").read_text(encoding="utf-8")
    colours = {
        "passed": "#e3f5e8",  # green
        "failed": "#fde4e4",  # red
        "errored": "#fff1d6",  # amber
        "not-applicable": "#eceff3",  # grey
        "warning": "#fff4c2",  # yellow, apart from failed
    }
    for outcome, colour in colours.items():
        assert re.search(rf"\.{outcome}[,{{][^}}]*background:{colour}", css), outcome
    legend = parse_html(render_html(CATALOG, [])).find("p", id="legend")
    for outcome in ("passed", "failed", "errored", "warning", "not applicable", "not run"):
        assert legend.find("span", f"mark {outcome.replace(' ', '-')}".split()[1])
    assert "never counted as passed" in legend.text
    assert "SHOULD" in legend.text


def test_the_coverage_view_gives_each_source_section_its_rules_verdicts_and_evidence(
    reviewed: list[dict[str, Any]],
) -> None:
    rows = _evidence_rows()
    page = parse_html(render_html(CATALOG, reviewed, rows))
    view = page.find("section", id="view-coverage")
    documents = view.find_all("section", "coverage-document")
    assert [d.attrs["data-document"] for d in documents][:2] == [
        "Cancel bill runs",
        "Cancel subscriptions and write off all unpaid invoices",
    ]
    first = documents[0]
    sections = [h.text for h in first.find_all("h4", "coverage-section")]
    assert sections == ["introduction", "Cancel a scheduled bill run"]
    covered = {tr.attrs["data-rule"] for tr in view.find_all("tr") if "data-rule" in tr.attrs}
    assert covered == {r.id for r in CATALOG.rules}
    row = next(tr for tr in first.find_all("tr") if tr.attrs.get("data-rule") == "BR-CANCEL-CREDIT-MEMOS")
    cells = [_words(td.text) for td in row.find_all("td")]
    rule = next(r for r in CATALOG.rules if r.id == "BR-CANCEL-CREDIT-MEMOS")
    assert cells[:5] == ["BR-CANCEL-CREDIT-MEMOS", rule.statement, "MUST", "holds", "broken"]
    assert row.find("td", "zuora-evidence").find("a").attrs["href"] == f"{EVIDENCE_NAME}#{anchor(rule.id)}"
    paused = next(tr for tr in view.find_all("tr") if tr.attrs.get("data-rule") == "BR-CANCEL-PAUSED")
    assert [_words(td.text) for td in paused.find_all("td")][3:5] == ["holds", "not applicable"]


def test_the_table_of_contents_runs_document_feature_rule_with_a_mark_per_target(
    reviewed: list[dict[str, Any]],
) -> None:
    page = parse_html(render_html(CATALOG, reviewed))
    toc = page.find("nav", id="toc")
    titles = [s.text for s in toc.find_all("span", "toc-title")]
    assert titles[0] == "Cancel bill runs"
    listed = [li.attrs["data-rule"] for li in toc.find_all("li") if "data-rule" in li.attrs]
    assert sorted(listed) == sorted(r.id for r in CATALOG.rules)
    ids = {e.attrs["id"] for e in page.iter() if "id" in e.attrs}
    for link in toc.find_all("a"):
        assert link.attrs["href"].lstrip("#") in ids
    entry = next(li for li in toc.find_all("li") if li.attrs.get("data-rule") == "BR-CANCEL-CREDIT-MEMOS")
    assert [m.classes[1] for m in entry.find_all("span", "mark")] == ["holds", "broken"]
    features = [f.attrs["id"] for f in page.find_all("section", "feature")]
    assert "feature-bill_runs-canceling" in features


def test_every_run_has_a_stable_anchor_from_its_rule_and_title() -> None:
    first, again = parse_html(render_html(CATALOG, [])), parse_html(render_html(CATALOG, []))
    anchors = [r.attrs["id"] for r in first.find_all("details", "scenario")]
    assert anchors == [r.attrs["id"] for r in again.find_all("details", "scenario")]
    assert len(set(anchors)) == len(anchors)
    assert "BR-CANCEL-PENDING--a-bill-run-scheduled-repeat-has-not-run-yet--once" in anchors
    assert all(a.split("--")[0] in {r.id for r in CATALOG.rules} for a in anchors)


def test_older_records_keep_their_evidence_under_the_scenario(over_http: dict[str, Any]) -> None:
    older = json.loads(json.dumps(over_http))
    for rule in older["rules"]:
        for scenario in rule["scenarios"]:
            for step in scenario["steps"]:
                step.pop("firstExchange", None)
                step.pop("exchanges", None)
    run = _failed_run(parse_html(render_html(CATALOG, [older])), "BR-CANCEL-PAUSED")
    (record,) = [s for r in older["rules"] for s in r["scenarios"] if s["outcome"] == "failed"]
    (box,) = run.find_all("details", "exchanges")
    assert [h.text for h in box.find_all("h6")] == ["Not claimed by a step"]
    assert len(box.find_all("details", "exchange")) == len(record["exchanges"])
