"""Each exit status means one thing (issue 21): the table is the one the README and ``--help``
show, and pytest's own statuses are mapped onto it, never passed through with another meaning."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from billing_conformance import PROJECT_ROOT, exits
from billing_conformance.cli import main
from billing_conformance.verdicts import (
    CONFORMS,
    DOES_NOT_CONFORM,
    INCOMPLETE,
    INCONCLUSIVE,
    NOTHING_CHECKED,
    PARTIAL,
)
from tests.suite_runner import run_cli

_STATUSES = {
    name: value for name, value in vars(exits).items() if name.startswith("EXIT_") and name != "EXIT_REFUSED"
}


def test_no_two_meanings_share_a_status() -> None:
    assert len(set(_STATUSES.values())) == len(_STATUSES)


def test_pytest_statuses_are_mapped_not_leaked() -> None:
    assert exits.from_pytest(int(pytest.ExitCode.INTERRUPTED)) == exits.EXIT_INTERRUPTED
    assert exits.from_pytest(int(pytest.ExitCode.INTERNAL_ERROR)) == exits.EXIT_KIT_FAILED
    assert exits.from_pytest(int(pytest.ExitCode.USAGE_ERROR)) == exits.EXIT_USAGE
    assert exits.from_pytest(int(pytest.ExitCode.NO_TESTS_COLLECTED)) == exits.EXIT_NOTHING_SELECTED
    assert int(pytest.ExitCode.INTERRUPTED) != exits.EXIT_USAGE or exits.from_pytest(2) != exits.EXIT_USAGE
    assert exits.EXIT_SMOKE != exits.EXIT_KIT_FAILED


def test_each_verdict_has_its_status() -> None:
    assert {verdict: exits.of_verdict(verdict) for verdict in (CONFORMS, PARTIAL, DOES_NOT_CONFORM)} == {
        CONFORMS: 0,
        PARTIAL: 0,
        DOES_NOT_CONFORM: 1,
    }
    assert exits.of_verdict(INCONCLUSIVE) == exits.EXIT_INCONCLUSIVE
    assert exits.of_verdict(NOTHING_CHECKED) == exits.EXIT_NOTHING_CHECKED
    assert exits.of_verdict(INCOMPLETE) == exits.EXIT_INTERRUPTED


def test_help_and_readme_show_the_same_table(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    shown = capsys.readouterr().out
    assert exits.TABLE in shown
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    documented = {int(n) for n in re.findall(r"^\| (\d+) \| ", readme, flags=re.MULTILINE)}
    assert documented == set(_STATUSES.values())
    in_help = {int(n) for n in re.findall(r"^  (\d+) ", exits.TABLE, flags=re.MULTILINE)}
    assert in_help == set(_STATUSES.values())


def test_arguments_pytest_refuses_are_a_usage_error_of_the_kit(tmp_path: Path) -> None:
    """pytest says 4 for arguments it refuses; ``run`` says 2, the kit's usage error."""
    done = run_cli(tmp_path, "run", "--", "--no-such-pytest-option")
    assert done.returncode == exits.EXIT_USAGE, done.stdout + done.stderr
