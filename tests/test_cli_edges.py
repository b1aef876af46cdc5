"""The command line's rough edges (issue 25, item 7): output into a closed pipe, "did you mean",
defaults and exit statuses in ``--help``, ``smoke`` only offering what it takes and warning on an
empty catalog, ``run`` refusing a class that is not a ``Billing`` in one line, and the README's
failure example as a real run prints it."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from billing_conformance import PROJECT_ROOT
from billing_conformance.cli import main
from billing_conformance.exits import EXIT_OUTPUT_CLOSED, EXIT_USAGE
from reference_impl import Billing
from reference_impl.catalog import Catalog
from reference_impl.clock import Clock
from tests.servers import running_server
from tests.suite_runner import run_cli

_CLI = [sys.executable, "-m", "billing_conformance.cli"]


# --- output into a closed pipe --------------------------------------------------------------------


def test_rules_into_a_pipe_closed_before_it_writes_exits_quietly() -> None:
    """The reader went away before the first write: no "Broken pipe", no traceback, exit 141."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [*_CLI, "rules"], stdout=write, stderr=subprocess.PIPE, text=True, timeout=60, check=False
        )
    finally:
        os.close(write)
    assert done.stderr == ""
    assert done.returncode == EXIT_OUTPUT_CLOSED == 141


def test_rules_piped_into_head_prints_two_lines_and_nothing_else(tmp_path: Path) -> None:
    command = f'{shlex.join(_CLI)} rules | head -2; echo "status=${{PIPESTATUS[0]}}" >&2'
    done = subprocess.run(
        ["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert len(done.stdout.splitlines()) == 2
    assert done.stderr.strip() in ("status=0", f"status={EXIT_OUTPUT_CLOSED}")


# --- did you mean ---------------------------------------------------------------------------------


def test_an_unknown_rule_id_suggests_the_closest(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "run", "--rule", "BR-CANCEL-PAUSE")
    assert done.returncode == EXIT_USAGE
    [line] = done.stderr.splitlines()
    assert line.startswith("refused: no rule BR-CANCEL-PAUSE in the catalog; did you mean BR-CANCEL-PAUSED")
    assert line.endswith("(billing-conformance rules lists them); nothing was run")
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_scenario_suggests_the_closest(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "run", "--scenario", "The schedule is pausd")
    assert done.returncode == EXIT_USAGE
    assert done.stderr.splitlines() == [
        "refused: no scenario 'The schedule is pausd' in the catalog; did you mean 'The schedule is "
        "paused'? (billing-conformance rules lists them); nothing was run"
    ]


def test_nothing_is_suggested_when_nothing_is_close(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "run", "--rule", "XYZZY")
    assert "did you mean" not in done.stderr
    assert done.returncode == EXIT_USAGE


# --- --help ---------------------------------------------------------------------------------------


def _help(capsys: pytest.CaptureFixture[str], *command: str) -> str:
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    return " ".join(capsys.readouterr().out.split())  # argparse wraps lines where it likes


@pytest.mark.parametrize("command", ["rules", "serve", "smoke", "run", "docs"])
def test_each_command_s_help_shows_its_exit_statuses(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    shown = _help(capsys, command)
    assert "exit status: 0 " in shown
    assert " 2 " in shown.split("exit status:", 1)[1]


@pytest.mark.parametrize(
    ("command", "default"),
    [
        ("serve", "(default: 127.0.0.1)"),
        ("serve", "(default: 8080)"),
        ("docs", "(default: results/docs)"),
        ("rules", "(default: text)"),
        ("run", "(default: inprocess)"),
    ],
)
def test_help_shows_the_defaults(capsys: pytest.CaptureFixture[str], command: str, default: str) -> None:
    assert default in _help(capsys, command)


def test_help_shows_no_empty_default(capsys: pytest.CaptureFixture[str]) -> None:
    shown = "".join(_help(capsys, command) for command in ("serve", "run", "docs"))
    assert not re.search(r"\(default: (None|False|\[\])\)", shown)


def test_smoke_help_offers_only_what_smoke_takes(capsys: pytest.CaptureFixture[str]) -> None:
    assert "inprocess" not in _help(capsys, "smoke")
    assert main(["smoke", "--target", "inprocess"]) == EXIT_USAGE


# --- smoke on an empty catalog --------------------------------------------------------------------


class SellsNothing(Billing):
    """The reference with nothing on sale."""

    def __init__(self, clock: Clock, catalog: Catalog | None = None, **kwargs: object) -> None:
        super().__init__(clock, Catalog(plans={}), **kwargs)  # type: ignore[arg-type]


def test_smoke_warns_on_a_catalog_without_rate_plans(capsys: pytest.CaptureFixture[str]) -> None:
    with running_server(SellsNothing) as server:
        status = main(["smoke", "--target", server.url])
    shown = capsys.readouterr().out.splitlines()
    assert status == 0
    assert shown[0].startswith(
        "WARN reachable and authenticated: HTTP 200, 0 products and 0 rate plans in the catalog: "
        "no scenario can subscribe an account"
    )
    assert not any(line.startswith("FAIL") for line in shown)


def test_smoke_says_ok_with_the_rate_plans_of_the_reference(capsys: pytest.CaptureFixture[str]) -> None:
    with running_server() as server:
        status = main(["smoke", "--target", server.url])
    first = capsys.readouterr().out.splitlines()[0]
    assert status == 0
    assert re.fullmatch(
        r"ok   reachable and authenticated: HTTP 200, \d+ products and \d+ rate plans in the catalog", first
    )
    assert " 0 rate plans" not in first


# --- run of a class that is not a Billing ---------------------------------------------------------


def test_run_refuses_a_class_that_is_not_a_billing_in_one_line_writing_nothing(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "run", "--target", "inprocess:reference_impl.account:Account")
    assert done.returncode == EXIT_USAGE
    assert done.stderr.splitlines() == [
        "refused: cannot use target 'inprocess:reference_impl.account:Account': it is not a subclass of "
        "reference_impl.Billing"
    ]
    assert done.stdout == ""
    assert list(tmp_path.iterdir()) == []  # no results folder


# --- the README's failure example -----------------------------------------------------------------


def _readme_failure_example() -> list[str]:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```\n(FAILED  .*?)^```$", readme, re.S | re.M)
    assert len(blocks) == 1
    return [line.rstrip() for line in blocks[0].splitlines()]


def test_the_readme_failure_example_is_what_a_real_run_prints(tmp_path: Path) -> None:
    example = _readme_failure_example()
    again = shlex.split(example[-1].strip().removeprefix("again:"))
    target = again[again.index("--target") + 1]
    done = run_cli(tmp_path, "run", "--target", target)
    assert done.returncode == 1, done.stdout[-2000:]
    # Printed with absolute paths, which the README shortens to the checkout's.
    shortened = (
        done.stdout.replace(os.path.abspath(sys.executable), ".venv/bin/python")
        .replace(str(PROJECT_ROOT), ".")
        .replace(f"{tmp_path}{os.sep}", "")
    )
    printed = [line.rstrip() for line in shortened.splitlines()]
    start = printed.index(example[0])
    assert printed[start : start + len(example)] == example
