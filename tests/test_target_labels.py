"""Targets named by what they are: the ``--label`` given to ``run``, else the profile's name beside
the target, in the results (with the kit version and the run date) and in the default results
folder, so that two runs of one URL with different profiles never share a folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from billing_conformance import FEATURES_DIR
from billing_conformance.catalog import load_catalog
from billing_conformance.folders import results_folder, subset_folder, target_label
from billing_conformance.report import render_html
from reference_impl.server import RunningServer
from schemas.contract import violations
from tests.profile_support import profile_text
from tests.suite_runner import run_cli


@pytest.mark.parametrize(
    ("target", "profile", "label", "named", "folder"),
    [
        ("inprocess", None, None, "inprocess", "results/inprocess"),
        ("http://127.0.0.1:18081", None, None, "http://127.0.0.1:18081", "results/127.0.0.1-18081"),
        (
            "http://127.0.0.1:18081",
            "profiles/variant.toml",
            None,
            "variant at http://127.0.0.1:18081",
            "results/variant-127.0.0.1-18081",
        ),
        (
            "http://127.0.0.1:18081",
            "variant.toml",
            "  nightly   vendor ",
            "nightly vendor",
            "results/nightly-vendor",
        ),
        ("inprocess", None, "../../etc", "../../etc", "results/etc"),  # a label never leaves results/
        ("inprocess", None, "...", "...", "results/target"),
    ],
)
def test_the_label_and_the_folder_name_the_target(
    target: str, profile: str | None, label: str | None, named: str, folder: str
) -> None:
    assert target_label(target, profile, label) == named
    assert results_folder(target, profile, label) == Path(folder)


def test_two_profiles_of_one_url_never_share_a_folder() -> None:
    url = "http://127.0.0.1:18081"
    assert results_folder(url, "a.toml") != results_folder(url, "b.toml") != results_folder(url)


def test_run_writes_the_label_the_version_and_the_date_in_its_folder(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "run", "--rule", "BR-CANCEL-PAUSED", "--label", "baseline build")
    assert done.returncode == 0, done.stdout[-2000:]
    assert (
        "results: results/baseline-build--BR-CANCEL-PAUSED (" in done.stdout
    )  # a subset, beside the full run
    assert "target: baseline build (inprocess)" in done.stdout
    results = json.loads(
        (tmp_path / "results" / "baseline-build--BR-CANCEL-PAUSED" / "conformance.json").read_text("utf-8")
    )
    assert violations("conformance-results", results) == []
    assert (results["label"], results["target"], results["kitVersion"]) == (
        "baseline build",
        "inprocess",
        "0.1.0",
    )
    assert results["startedAt"][:2] == "20"
    assert "baseline build" in (
        tmp_path / "results" / "baseline-build--BR-CANCEL-PAUSED" / "report.md"
    ).read_text("utf-8")


def test_two_runs_of_one_url_with_different_profiles_go_to_two_folders(
    tmp_path: Path, reference_server: RunningServer
) -> None:
    labels = []
    for name in ("alpha", "beta"):
        profile = tmp_path / f"{name}.toml"
        profile.write_text(profile_text(reference_server.url), encoding="utf-8")
        done = run_cli(
            tmp_path,
            "run",
            "--target",
            reference_server.url,
            "--profile",
            str(profile),
            "--rule",
            "BR-CANCEL-PAUSED",
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        folder = subset_folder(results_folder(reference_server.url, profile), ["BR-CANCEL-PAUSED"])
        assert folder.name.startswith(f"{name}-127.0.0.1-")
        results = json.loads((tmp_path / folder / "conformance.json").read_text(encoding="utf-8"))
        assert violations("conformance-results", results) == []
        labels.append(results["label"])
    assert labels == [f"alpha at {reference_server.url}", f"beta at {reference_server.url}"]
    # The page names each target by its label, so the two runs of one URL read apart.
    folders = [
        tmp_path
        / subset_folder(results_folder(reference_server.url, tmp_path / f"{n}.toml"), ["BR-CANCEL-PAUSED"])
        for n in ("alpha", "beta")
    ]
    page = render_html(
        load_catalog(FEATURES_DIR),
        [json.loads((f / "conformance.json").read_text(encoding="utf-8")) for f in folders],
    )
    for label in labels:
        assert f'title="{label}"' in page
