"""What a target says reaches the terminal inert: no control sequence, bidi override or lone
surrogate from an answer is printed raw by ``smoke``, ``run`` or an error line (issue 23, item 5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from billing_conformance.cli import main
from billing_conformance.terminal import failure_lines, for_terminal, scenario_line
from tests.fault_proxy import Fault, Seen, envelope, fault_proxy
from tests.profile_support import profile_text, write
from tests.servers import running_server
from tests.suite_runner import run_cli

CLEAR = "\x1b[2J"
TITLE = "\x1b]0;title\x07"
#: (No lone surrogate: the kit refuses an answer holding one before reading it.)
HOSTILE = f"no account{CLEAR} for you{TITLE}, \u202eevil\u202c \x9b31m"
#: What may never reach a terminal raw: ESC, BEL, the C1 CSI, a bidi override, a lone surrogate.
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\ud800")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (CLEAR, "\\x1b[2J"),
        (TITLE, "\\x1b]0;title\\x07"),
        ("\u202eabc\u2066", "\\u202eabc\\u2066"),
        ("\ud800", "\\ud800"),
        ("a\nb\tc\r\x00\x7f\x9b", "a\\x0ab\\x09c\\x0d\\x00\\x7f\\x9b"),
        ("line\u2028para\u2029", "line\\u2028para\\u2029"),
        ("plain text, 12.50 USD — ✓ é 😀", "plain text, 12.50 USD — ✓ é 😀"),
    ],
)
def test_for_terminal_writes_what_a_terminal_acts_on_as_escapes(text: str, shown: str) -> None:
    assert for_terminal(text) == shown


def _clean(text: str) -> None:
    found = [raw for raw in RAW if raw in text]
    assert not found, found


def test_run_lines_escape_a_targets_message() -> None:
    record: dict[str, Any] = {
        "outcome": "errored",
        "rule": "BR-X",
        "scenario": f"A scenario {CLEAR}",
        "feature": "f.feature",
        "message": f"could not arrange the scenario: {HOSTILE}\nsecond line {TITLE}",
        "failedStep": {"keyword": "Given", "text": f"a step {TITLE}", "line": 3},
        "rerun": "billing-conformance run",
    }
    line, _ = scenario_line(record, fancy=False)
    lines = [line, *failure_lines(record)]
    _clean("\n".join(lines))
    assert any("no account\\x1b[2J for you\\x1b]0;title\\x07" in shown for shown in lines), lines


def _hostile_account_refusal() -> Fault:
    """Every account the suite asks for (not the smoke check's) is refused with ``HOSTILE``."""

    def suite_account(seen: Seen) -> bool:
        body = seen.json()
        return isinstance(body, dict) and body.get("name") != "Smoke Test"

    return Fault("POST", "/v1/accounts", envelope(400, "53100020", HOSTILE), when=suite_account)


def test_smoke_prints_a_targets_message_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (
        running_server() as server,
        fault_proxy(server.url, Fault("POST", "/v1/accounts", envelope(400, "53100020", HOSTILE))) as proxy,
    ):
        status = main(
            ["smoke", "--target", proxy.url, "--profile", str(write(tmp_path, profile_text(proxy.url)))]
        )
    out = capsys.readouterr()
    assert status == 3, out
    _clean(out.out + out.err)
    assert "no account\\x1b[2J for you\\x1b]0;title\\x07" in out.out, out.out


def test_run_prints_a_targets_message_escaped(tmp_path: Path) -> None:
    """A real run over HTTP: the suite's accounts are refused with the hostile message, so its
    scenarios are errored and their lines quote it; nothing of it reaches the output raw."""
    with running_server() as server, fault_proxy(server.url, _hostile_account_refusal()) as proxy:
        profile = write(tmp_path, profile_text(proxy.url))
        done = run_cli(
            tmp_path,
            "run",
            "--target",
            proxy.url,
            "--profile",
            str(profile),
            "--workers",
            "0",
            "--rule",
            "BR-CANCEL-PAUSED",
        )
    _clean(done.stdout + done.stderr)
    assert "ERRORED" in done.stdout, done.stdout[-3000:]
    assert "no account\\x1b[2J for you\\x1b]0;title\\x07" in done.stdout, done.stdout[-3000:]
