"""Every mistake on the command line gets one line that says what is wrong, a documented exit
status, no traceback, and nothing written."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from billing_conformance import PROJECT_ROOT
from billing_conformance.cli import main


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (
            ["smoke", "--target", "inprocess"],
            "smoke checks an HTTP target (http:// or https://), not 'inprocess'",
        ),
        (["smoke", "--target", "example.com"], "smoke checks an HTTP target"),
        (
            ["run", "--target", "example.com"],
            "not a target: use 'inprocess', 'inprocess:MODULE:CLASS' or a URL",
        ),
        (["run", "--target", "ftp://example.com"], "over http:// or https://, not ftp://"),
        (["run", "--target", "inprocess:nowhere:Billing"], "cannot load nowhere"),
        (["run", "--target", "inprocess:reference_impl:Nothing"], "reference_impl has no Nothing"),
        (["run", "--scenario", "No such scenario"], "no scenario 'No such scenario' in the catalog"),
        (["serve", "--implementation", "nowhere:Billing"], "cannot load nowhere"),
        (
            ["serve", "--implementation", "reference_impl.catalog:Catalog"],
            "not a subclass of reference_impl.Billing",
        ),
        (
            ["serve", "--implementation", "no-class"],
            "name the implementation as MODULE:CLASS or FILE.py:CLASS",
        ),
        (["--bogus"], "unknown option --bogus: name a command first"),
    ],
)
def test_a_mistake_is_one_line_with_exit_two_and_writes_nothing(
    argv: list[str],
    says: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    out, err = capsys.readouterr()
    (line,) = err.strip().splitlines()
    assert says in line
    assert "Traceback" not in out + err
    assert "serving" not in out
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_option_of_a_command_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["run", "--bogus"])
    assert stopped.value.code == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line == "billing-conformance: unrecognized arguments: --bogus (see billing-conformance --help)"


def test_serve_on_a_busy_port_says_so_and_never_claims_to_serve(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.strip().splitlines()
    assert line.startswith(f"refused: cannot serve on 127.0.0.1:{port}: ")


@pytest.mark.parametrize(
    "implementation", ["tests.known_bad:CancelsPausedRuns", "tests/known_bad/bill_runs.py:CancelsPausedRuns"]
)
def test_serve_loads_a_variant_by_module_or_file_without_pythonpath_and_says_what_it_serves(
    implementation: str,
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "billing_conformance.cli",
            "serve",
            "--port",
            "0",
            "--implementation",
            implementation,
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert line.startswith(
        f"serving {implementation} (a variant of the reference implementation) on http://"
    ), err
    assert "Traceback" not in err
