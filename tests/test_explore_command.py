"""The explore command's edges: ``--workers N`` shares the rounds of histories among N
processes, each history on a tenant of its own, with the same finding as one process gives and
no tenant left behind; its results folder is checked before anything is explored, named as
``run``'s folders are, and never written through a symbolic link."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from hypothesis.errors import FlakyFailure

from billing_conformance.cli import main
from billing_conformance.explore.machine import broken_class
from billing_conformance.explore.parallel import Plan, explore_in_parallel
from billing_conformance.explore.rerun import rerun_command
from billing_conformance.explore.runner import Exploration, Round, explore, take
from reference_impl.server import RunningServer
from steps.properties import Violation
from steps.targets import TargetFailedError, open_target
from steps.targets.in_process import InProcessTarget
from tests.known_bad.bill_runs import CancelsPostedRuns
from tests.servers import running_server


def _live(server: RunningServer) -> int:
    """How many isolated tenants the server holds (its control API's info)."""
    count = requests.get(f"{server.url}/conformance/v1", timeout=10).json()["liveTenants"]
    assert isinstance(count, int)
    return count


def _steps(found: Exploration) -> list[tuple[str, list[str]]]:
    return [(f.rule, [step.op.text() for step in f.history]) for f in found.findings]


def test_two_workers_find_what_one_process_finds() -> None:
    """The answer is the first round in number order that breaks a rule, whoever played it."""
    spec = f"inprocess:tests.known_bad:{CancelsPostedRuns.__name__}"
    plan = Plan(spec, None, False, seed=1, histories=300, budget=None, only=None, max_steps=14, workers=2)
    parallel = explore_in_parallel(plan)
    alone = explore(InProcessTarget(CancelsPostedRuns, "CancelsPostedRuns"), seed=1, histories=300)
    assert parallel.workers == 2
    assert parallel.errored is None
    assert _steps(parallel) == _steps(alone) != []


def test_nothing_broken_in_two_workers_over_http_and_no_tenant_left(tmp_path: Path) -> None:
    with running_server() as server:
        results = tmp_path / "explore"
        argv = ["explore", "--target", server.url, "--histories", "50", "--seed", "3"]
        assert main([*argv, "--workers", "2", "--results", str(results)]) == 0
        data = json.loads((results / "explore.json").read_text(encoding="utf-8"))
        assert (data["workers"], data["histories"], data["findings"]) == (2, 50, [])
        assert data["steps"] > data["histories"]
        assert _live(server) == 0
        assert main([*argv, "--histories", "10", "--results", str(tmp_path / "serial")]) == 0
        assert _live(server) == 0


def test_workers_are_refused_where_histories_would_share_one_tenant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with running_server(isolated_tenants=False) as server:
        argv = ["explore", "--target", server.url, "--histories", "5", "--workers", "2"]
        assert main([*argv, "--results", str(tmp_path)]) == 2
    assert "--workers needs a target whose histories cannot meet" in capsys.readouterr().err
    assert not (tmp_path / "explore.json").exists()


def test_each_history_deletes_its_tenant_as_it_ends() -> None:
    """Not only at the end of the exploration: a long one never piles tenants up on the target."""
    with running_server() as server:
        target = open_target(server.url)
        found = explore(target, seed=2, histories=5)
        assert (found.errored, found.histories) == (None, 5)
        assert _live(server) == 0


def test_an_unusable_results_folder_is_refused_before_anything_is_explored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "a-file"
    taken.write_text("not a folder", encoding="utf-8")
    assert main(["explore", "--histories", "1", "--results", str(taken)]) == 2
    said = capsys.readouterr()
    assert "refused: --results" in said.err
    assert "explored" not in said.out
    assert taken.read_text(encoding="utf-8") == "not a folder"


def test_no_result_file_is_written_through_a_symbolic_link(tmp_path: Path) -> None:
    """explore.json and the counterexamples replace what has their name; the file a link points
    to, outside the results folder, is left as it was."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.json").write_text("keep", encoding="utf-8")
    results = tmp_path / "results"
    results.mkdir()
    (results / "explore.json").symlink_to(outside / "precious.json")
    (results / "counterexamples").symlink_to(outside, target_is_directory=True)
    spec = f"inprocess:tests.known_bad:{CancelsPostedRuns.__name__}"
    assert (
        main(["explore", "--target", spec, "--histories", "300", "--seed", "1", "--results", str(results)])
        == 1
    )
    assert (outside / "precious.json").read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in outside.iterdir()) == ["precious.json"]
    assert not (results / "explore.json").is_symlink()
    assert (results / "counterexamples" / "features" / "explore.feature").is_file()


def test_the_default_folder_of_an_http_target_is_named_as_runs_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with running_server() as server:
        assert main(["explore", "--target", server.url, "--histories", "2"]) == 0
    port = server.url.rsplit(":", 1)[1]
    assert [p.name for p in (tmp_path / "results").iterdir()] == [f"explore-127.0.0.1-{port}"]


def test_the_rerun_on_the_target_takes_its_profile_and_permission_as_run_does() -> None:
    """A counterexample re-run against an HTTP target sees the same configuration the exploration
    saw: its profile (credentials, capabilities) and, if given, --allow-production."""
    said = rerun_command(
        Path("ce"), "https://billing.example", Path("out"), Path("vendor.toml"), allow_production=True
    )
    assert "--profile=vendor.toml" in said
    assert "--allow-production" in said
    assert "--profile" not in rerun_command(Path("ce"), "inprocess", Path("out"))


def test_a_failure_hypothesis_could_not_reproduce_errors_the_round_and_is_no_finding() -> None:
    """Seen once, not again when the same history was played: errored, never a broken rule."""
    violation = Violation("BR-CANCEL-POSTED-RUN", "canceled once")
    flaky = FlakyFailure("Inconsistent results", [broken_class(violation.rule)(violation, [])])
    played = Round(0)
    take(flaky, played)
    assert played.findings == []
    assert played.errored is not None
    assert "broke BR-CANCEL-POSTED-RUN once and not when played again" in played.errored
    take(broken_class(violation.rule)(violation, []), played)  # a plain failure is a finding
    assert [f.rule for f in played.findings] == ["BR-CANCEL-POSTED-RUN"]


class _FailsOnTheThirdHistory(InProcessTarget):
    resets = 0

    def reset(self) -> None:
        _FailsOnTheThirdHistory.resets += 1
        if _FailsOnTheThirdHistory.resets == 3:
            raise TargetFailedError("create tenant", "HTTP 503")
        super().reset()


def test_an_errored_round_counts_the_histories_it_played_not_its_size() -> None:
    found = explore(_FailsOnTheThirdHistory(), seed=1, histories=100)
    assert found.errored is not None
    assert "HTTP 503" in found.errored
    assert found.findings == []
    assert found.histories == 3  # two played whole, the third stopped: not the round's 25


def test_workers_against_a_target_that_cannot_say_how_histories_are_kept_apart_is_errored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its fault, not a usage mistake: exit 4 with the reason, never the refusal of exit 2."""
    with running_server() as server:
        gone = server.url
    argv = ["explore", "--target", gone, "--workers", "2", "--histories", "1", "--results", str(tmp_path)]
    assert main(argv) == 4
    said = capsys.readouterr().out
    assert "ERRORED  the control API's plan could not be decided" in said
