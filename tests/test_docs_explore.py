"""Explorations in the living documentation: ``docs --results`` given an explore results folder
(or a folder of them) shows each exploration's headline, with what it tried, and each
counterexample as the history that broke its rule, linked to the rule."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from billing_conformance.cli import main
from schemas.contract import SCHEMAS_DIR
from tests.report_support import parse_html

EXAMPLES = SCHEMAS_DIR / "examples" / "explore-results" / "valid"


def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def _folder(parent: Path, name: str, data: dict[str, Any]) -> Path:
    folder = parent / name
    folder.mkdir(parents=True)
    (folder / "explore.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def test_a_counterexample_is_shown_with_its_history_and_a_clean_exploration_with_its_denominator(
    tmp_path: Path,
) -> None:
    broken = _folder(tmp_path, "explore-vendor", _example("a-posted-run-canceled"))
    clean = _folder(tmp_path, "explore-reference", _example("nothing-found-over-http"))
    out = tmp_path / "docs"
    assert main(["docs", "--results", str(broken), "--results", str(clean), "--out", str(out)]) == 0
    markdown = (out / "index.md").read_text(encoding="utf-8")
    assert "## Explored histories" in markdown
    assert (
        "530 histories, 5019 steps, 42 MUST rules judged after every step (seed 1): 1 of 42 rules broken"
        in markdown
    )
    assert (
        "100 histories, 1388 steps, 42 MUST rules judged after every step (seed 1): nothing broke" in markdown
    )
    assert '  bill run "R1" is posted' in markdown
    assert "(re-run: target broken, reference holds)" in markdown
    page = parse_html((out / "index.html").read_text(encoding="utf-8"))
    section = page.find("section", id="explorations")
    verdicts = [article.attrs["data-verdict"] for article in section.find_all("article", cls="exploration")]
    assert verdicts == ["broken", "holds"]
    finding = section.find("details", cls="finding")
    assert finding.find("a").attrs["href"] == "#BR-CANCEL-POSTED-RUN"
    assert page.find("article", id="BR-CANCEL-POSTED-RUN")  # the link lands on the rule
    history = [item.text for item in finding.find("ol", cls="history").find_all("li")]
    assert history == _example("a-posted-run-canceled")["findings"][0]["steps"]


def test_a_folder_of_folders_gives_the_latest_exploration_of_each_target(tmp_path: Path) -> None:
    older = _example("a-posted-run-canceled")
    newer = copy.deepcopy(_example("nothing-found-over-http"))
    newer["target"] = older["target"]
    newer["startedAt"] = "2027-01-01T00:00:00+00:00"
    _folder(tmp_path / "results", "a-older", older)
    _folder(tmp_path / "results", "b-newer", newer)
    out = tmp_path / "docs"
    assert main(["docs", "--results", str(tmp_path / "results"), "--out", str(out)]) == 0
    markdown = (out / "index.md").read_text(encoding="utf-8")
    assert markdown.count("MUST rules judged after every step (seed") == 1
    assert "nothing broke in the histories tried" in markdown


def test_what_a_target_wrote_is_shown_as_text(tmp_path: Path) -> None:
    hostile = _example("a-posted-run-canceled")
    hostile["findings"][0]["message"] = "<script>alert(1)</script>"
    hostile["findings"][0]["steps"] = ["<img src=x onerror=alert(1)>"]
    out = tmp_path / "docs"
    assert main(["docs", "--results", str(_folder(tmp_path, "explore", hostile)), "--out", str(out)]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_file_that_is_not_an_exploration_is_refused_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = _example("a-posted-run-canceled")
    del wrong["seed"]
    out = tmp_path / "docs"
    assert main(["docs", "--results", str(_folder(tmp_path, "explore", wrong)), "--out", str(out)]) == 2
    assert "is not an exploration of this kit" in capsys.readouterr().err
    assert not out.exists()


def test_markdown_shows_what_a_target_wrote_as_code_never_as_markdown(tmp_path: Path) -> None:
    hostile = _example("a-posted-run-canceled")
    hostile["findings"][0]["message"] = "refused\n\n## Injected\n![](http://evil.example/t.png)"
    errored = _example("errored-without-a-history-limit")
    errored["errored"] = "TargetFailedError: boom\n# Also injected"
    out = tmp_path / "docs"
    folders = [str(_folder(tmp_path, "a", hostile)), str(_folder(tmp_path, "b", errored))]
    assert main(["docs", "--results", folders[0], "--results", folders[1], "--out", str(out)]) == 0
    lines = (out / "index.md").read_text(encoding="utf-8").splitlines()
    assert not [line for line in lines if line.startswith(("## Injected", "# Also injected", "!["))]
    assert any("`refused ## Injected ![](http://evil.example/t.png)`" in line for line in lines)
    assert "Errored: `TargetFailedError: boom # Also injected`" in lines
