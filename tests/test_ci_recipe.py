"""docs/ci.md, the CI recipe (issue 25, item 6): its YAML blocks parse, every
``billing-conformance`` command they run is one the kit's own parser takes, they upload what
the page says; and ``badge.json`` of a real run has the shape of a shields.io endpoint badge."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from billing_conformance import PROJECT_ROOT
from billing_conformance.arguments import parser
from billing_conformance.badge import badge
from schemas.contract import violations
from tests.suite_runner import run_cli

CI_PAGE = PROJECT_ROOT / "docs" / "ci.md"
_COMMAND = "billing-conformance"
#: What ends a command in a shell line (shlex with punctuation_chars splits these off).
_ENDS = frozenset({"&", "&&", "|", "||", ";", ">", ">>", "<", ">&", "(", ")"})


def _page() -> str:
    return CI_PAGE.read_text(encoding="utf-8")


def _yaml_blocks() -> list[Any]:
    return [yaml.safe_load(block) for block in re.findall(r"^```yaml\n(.*?)^```$", _page(), re.S | re.M)]


def _workflow() -> dict[str, Any]:
    found = [block for block in _yaml_blocks() if "jobs" in block]
    assert len(found) == 1
    return dict(found[0])


def _gitlab_job() -> dict[str, Any]:
    found = [block for block in _yaml_blocks() if "jobs" not in block]
    assert len(found) == 1
    [(_, job)] = found[0].items()
    return dict(job)


def _expand(text: str, env: dict[str, str]) -> str:
    return re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1), m.group(0)), text)


def _commands(shell: str, env: dict[str, str]) -> list[list[str]]:
    """Every ``billing-conformance`` command in the shell text ``shell`` (one quoted in
    ``sh -c '...'`` too), its variables expanded from ``env``, as argument lists."""
    shell = re.sub(r"(?<![\w-])\d+(?=>)", "", shell)  # the 2 of 2>&1 is the shell's, not an argument
    lexer = shlex.shlex(shell, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    tokens = list(lexer)
    found: list[list[str]] = []
    for index, token in enumerate(tokens):
        if token != _COMMAND and _COMMAND in token:  # a quoted script: its own commands
            found += _commands(token, env)
        if token != _COMMAND:
            continue
        args: list[str] = []
        for arg in tokens[index + 1 :]:
            if arg in _ENDS:
                break
            args.append(_expand(arg, env))
        found.append(args)
    return found


def _workflow_commands() -> list[list[str]]:
    job = _workflow()["jobs"]["conformance"]
    env = {key: str(value) for key, value in job.get("env", {}).items()}
    return [command for step in job["steps"] if "run" in step for command in _commands(step["run"], env)]


def _gitlab_commands() -> list[list[str]]:
    job = _gitlab_job()
    env = {key: str(value) for key, value in job.get("variables", {}).items()}
    lines = [*job["script"], *job.get("after_script", [])]
    return [command for line in lines for command in _commands(line, env)]


def _prose_commands() -> list[list[str]]:
    """The commands the page names in its prose (in backticks), outside the YAML blocks."""
    prose = re.sub(r"^```.*?^```$", "", _page(), flags=re.S | re.M)
    env = {"TARGET": "http://127.0.0.1:8080"}
    return [_commands(text, env)[0] for text in re.findall(rf"`({_COMMAND} [a-z][^`]*)`", prose)]


def test_both_recipes_are_there_and_parse_as_yaml() -> None:
    workflow, job = _workflow(), _gitlab_job()
    assert set(workflow["jobs"]) == {"conformance"}
    assert workflow["jobs"]["conformance"]["steps"]
    assert job["script"]


@pytest.mark.parametrize("where", ["github", "gitlab"])
def test_each_recipe_serves_waits_runs_and_renders_in_that_order(where: str) -> None:
    commands = _workflow_commands() if where == "github" else _gitlab_commands()
    assert [command[0] for command in commands] == ["serve", "smoke", "run", "docs"]


@pytest.mark.parametrize(
    "command",
    [*_workflow_commands(), *_gitlab_commands(), *_prose_commands()],
    ids=" ".join,
)
def test_every_command_of_the_recipes_is_a_real_command_with_real_options(command: list[str]) -> None:
    if "--help" in command:  # named in the prose: it must print the help and exit 0
        with pytest.raises(SystemExit) as done:
            parser().parse_args(command)
        assert done.value.code == 0
        return
    args = parser().parse_args(command)  # a mistake exits 2 (SystemExit): the test fails
    assert args.command in ("serve", "smoke", "run", "docs")
    assert getattr(args, "pytest_args", []) == []  # nothing taken for a pytest argument by mistake
    if "--target" in command:
        assert args.target == "http://127.0.0.1:8080"


def test_the_recipes_run_against_the_server_they_start() -> None:
    for commands in (_workflow_commands(), _gitlab_commands()):
        serve = parser().parse_args(commands[0])
        run = parser().parse_args(commands[2])
        assert run.target == f"http://{serve.host}:{serve.port}"
        docs = parser().parse_args(commands[3])
        assert docs.results == [run.results]


def test_the_workflow_uploads_the_results_junit_and_the_documentation_whatever_the_outcome() -> None:
    steps = _workflow()["jobs"]["conformance"]["steps"]
    uploads = [step for step in steps if str(step.get("uses", "")).startswith("actions/upload-artifact@")]
    assert {step["with"]["path"] for step in uploads} == {
        "results/reference/",
        "results/reference/junit.xml",
        "results/docs/",
    }
    rendering = [step for step in steps if "docs" in str(step.get("run", "")).split()]
    assert all(step.get("if") == "always()" for step in [*uploads, *rendering])


def test_the_gitlab_job_keeps_the_results_and_reports_junit_whatever_the_outcome() -> None:
    artifacts = _gitlab_job()["artifacts"]
    assert artifacts["when"] == "always"
    assert artifacts["paths"] == ["results/"]
    assert artifacts["reports"]["junit"] == "results/reference/junit.xml"


def test_the_badge_the_page_shows_has_the_endpoint_shape() -> None:
    shown = re.search(r"^```json\n(.*?)^```$", _page(), re.S | re.M)
    assert shown is not None
    assert violations("shields-endpoint", json.loads(shown.group(1))) == []


# --- badge.json ---------------------------------------------------------------------------------


def _shields_shape(found: Any) -> None:
    """shields.io's endpoint badge: schemaVersion 1, a label and a non-empty message (text), a colour."""
    assert violations("shields-endpoint", found) == []
    assert found["schemaVersion"] == 1
    assert isinstance(found["label"], str)
    assert isinstance(found["message"], str)
    assert found["message"]


def test_a_real_run_writes_a_badge_with_its_verdict_and_denominator(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "run", "--results", "out")
    assert done.returncode == 0, done.stdout[-2000:]
    results = json.loads((tmp_path / "out" / "conformance.json").read_text(encoding="utf-8"))
    found = json.loads((tmp_path / "out" / "badge.json").read_text(encoding="utf-8"))
    _shields_shape(found)
    rules = len(results["rules"])
    assert found == {
        "schemaVersion": 1,
        "label": "billing conformance",
        "message": f"conforms {rules}/{rules} rules",
        "color": "brightgreen",
    }


def test_a_failing_run_writes_a_red_badge_counting_what_holds(tmp_path: Path) -> None:
    variant = "inprocess:tests.known_bad:CancelsPausedRuns"
    done = run_cli(tmp_path, "run", "--target", variant, "--rule", "BR-CANCEL-PAUSED", "--results", "out")
    assert done.returncode == 1, done.stdout[-2000:]
    found = json.loads((tmp_path / "out" / "badge.json").read_text(encoding="utf-8"))
    _shields_shape(found)
    assert (found["message"], found["color"]) == ("does not conform 0/45 rules", "red")


def _results(verdict: str, verdicts: list[str], warnings: int = 0) -> dict[str, Any]:
    return {
        "summary": {"verdict": verdict, "warnings": warnings},
        "rules": [{"verdict": found} for found in verdicts],
    }


@pytest.mark.parametrize(
    ("results", "message", "color"),
    [
        (_results("conforms", ["holds", "holds", "not applicable"]), "conforms 2/3 rules", "brightgreen"),
        (_results("conforms", ["holds", "warning"], 1), "conforms 1/2 rules, 1 warning", "yellowgreen"),
        (_results("partial", ["holds", "not run"]), "partial 1/2 rules", "green"),
        (_results("inconclusive", ["errored", "holds"]), "inconclusive 1/2 rules", "orange"),
        (_results("nothing checked", ["not run"]), "nothing checked 0/1 rules", "lightgrey"),
        (_results("incomplete", ["holds", "not run"], 2), "incomplete 1/2 rules, 2 warnings", "lightgrey"),
    ],
)
def test_the_badge_says_the_verdict_and_its_colour(results: dict[str, Any], message: str, color: str) -> None:
    found = badge(results)
    _shields_shape(found)
    assert (found["message"], found["color"]) == (message, color)
