"""Re-runs as printed (issue 25, item 2): the ``again:`` command of a failure, run from another
folder without the console script on PATH and without PYTHONPATH, loads the checkout's variant,
reproduces the failure and writes beside the full run, whose folder it leaves byte for byte as
it was; a subset run's default folder is named by its selection; ``docs`` given a folder of
results folders takes the latest full run of each target, never a subset."""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from billing_conformance.cli import main
from billing_conformance.documentation import latest_full_runs
from billing_conformance.folders import selection_slug, subset_folder
from tests.suite_runner import run_cli

BAD = "inprocess:tests.known_bad:CancelsPausedRuns"
FULL = "results/inprocess-tests.known_bad-CancelsPausedRuns"


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _again_lines(out: str) -> list[str]:
    return [
        line.strip().removeprefix("again: ")
        for line in out.splitlines()
        if line.strip().startswith("again: ")
    ]


@pytest.fixture(scope="module")
def full_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A full (unselected) run of a known-bad variant, in a folder of its own."""
    folder = tmp_path_factory.mktemp("full")
    done = run_cli(folder, "run", "--target", BAD)
    assert done.returncode == 1, done.stdout[-2000:]
    return folder, done


def test_the_printed_rerun_reproduces_the_failure_from_elsewhere_and_keeps_the_full_run(
    full_run: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    folder, done = full_run
    full = folder / FULL
    before = _tree(full)
    assert "conformance.json" in before
    command = _again_lines(done.stdout)[0]
    words = shlex.split(command)
    assert words[:4] == [os.path.abspath(sys.executable), "-m", "billing_conformance", "run"]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    bare = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no .venv/bin, no PYTHONPATH
    again = subprocess.run(
        command, shell=True, cwd=elsewhere, env=bare, capture_output=True, text=True, timeout=300, check=False
    )
    assert again.returncode == 1, again.stdout[-2000:] + again.stderr[-2000:]
    assert "FAILED  BR-CANCEL-PAUSED               The schedule is paused" in again.stdout
    assert "1 failed, 113 deselected" in again.stdout
    assert _tree(full) == before  # the full run's folder byte for byte as it was
    subset = folder / f"{FULL}--BR-CANCEL-PAUSED--The-schedule-is-paused"
    results = json.loads((subset / "conformance.json").read_text(encoding="utf-8"))
    assert results["summary"]["scope"]["selection"] == [
        "--rule BR-CANCEL-PAUSED",
        "--scenario 'The schedule is paused'",
    ]
    assert list(elsewhere.iterdir()) == []  # nothing written where it was run from
    # A re-run of the re-run lands beside the full run too, not inside or beside the subset.
    assert shlex.split(_again_lines(again.stdout)[0]) == words


def test_a_selection_without_results_writes_beside_the_default_folder(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "run", "--rule", "BR-DELETE", "--", "-k", "canceled")
    assert done.returncode == 0, done.stdout[-2000:]
    assert [p.name for p in (tmp_path / "results").iterdir()] == ["inprocess--BR-DELETE--k-canceled"]


def test_a_long_selection_is_cut_and_kept_apart_by_a_hash() -> None:
    long = ["BR-DELETE", "A scenario name " * 10]
    other = ["BR-DELETE", "A scenario name " * 11]
    assert len(selection_slug(long)) <= 80
    assert selection_slug(long) != selection_slug(other)
    assert subset_folder(Path("results/inprocess"), []) == Path("results/inprocess")
    assert subset_folder(Path("r/x"), ["BR-DELETE"]) == Path("r/x--BR-DELETE")


def test_docs_takes_the_latest_full_run_of_each_target_never_a_subset(
    full_run: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    folder, _ = full_run
    parent = tmp_path / "results"
    runs = {  # folder: label, started, selection
        "a-old": ("vendor", "2026-01-01T00:00:00+00:00", []),
        "b-new": ("vendor", "2026-02-01T00:00:00+00:00", []),
        "c-subset": ("vendor", "2026-03-01T00:00:00+00:00", ["--rule BR-DELETE"]),  # latest, not taken
        "d-other": ("other", "2025-01-01T00:00:00+00:00", []),
    }
    for name, (label, started, selection) in runs.items():
        results = json.loads((folder / FULL / "conformance.json").read_text(encoding="utf-8"))
        results.update(label=label, startedAt=started)
        results["summary"]["scope"]["selection"] = selection
        (parent / name).mkdir(parents=True)
        (parent / name / "conformance.json").write_text(json.dumps(results), encoding="utf-8")
    (parent / "docs").mkdir()  # the page's own folder: no results in it
    taken = latest_full_runs(parent)
    assert [(r["label"], r["startedAt"]) for r in taken] == [
        ("vendor", "2026-02-01T00:00:00+00:00"),
        ("other", "2025-01-01T00:00:00+00:00"),
    ]
    out = tmp_path / "out"
    assert main(["docs", "--results", str(parent), "--out", str(out)]) == 0
    page = (out / "index.md").read_text(encoding="utf-8")
    assert "vendor" in page
    assert "other" in page
    # Named by its own folder, a subset is taken: it was asked for.
    assert main(["docs", "--results", str(parent / "c-subset"), "--out", str(out)]) == 0
    # A folder with no full run in it is refused, nothing written.
    assert main(["docs", "--results", str(parent / "docs"), "--out", str(tmp_path / "none")]) == 2
    assert not (tmp_path / "none").exists()
