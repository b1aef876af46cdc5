"""A profile file is read only up to 1 MiB: a larger one (a 200 MB sparse file, which took 9 s
and 458 MB of memory before) is refused in one line, exit status 2, without being read whole."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest

from billing_conformance.cli import main
from billing_conformance.exits import EXIT_REFUSED
from steps.targets.errors import TargetSpecError
from steps.targets.profile import load_profile
from steps.targets.profile_file import MAX_PROFILE_BYTES

HUGE = 200 * 1024 * 1024
PROFILE = '[target]\nbase_url = "http://127.0.0.1:1"\nenvironment = "test"\n'


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as out:
        out.truncate(size)
    return path


def test_a_huge_profile_is_refused_without_being_read_whole(tmp_path: Path) -> None:
    huge = _sparse(tmp_path / "huge.toml", HUGE)
    tracemalloc.start()
    try:
        with pytest.raises(TargetSpecError, match=r"more than 1048576 bytes \(1 MiB\)"):
            load_profile(huge, "")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * MAX_PROFILE_BYTES, f"{peak} bytes held to refuse it"


@pytest.mark.parametrize("command", ["run", "smoke"])
def test_the_command_line_refuses_a_huge_profile_in_one_line(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = _sparse(tmp_path / "huge.toml", HUGE)
    assert main([command, "--target", "http://127.0.0.1:1", "--profile", str(huge)]) == EXIT_REFUSED
    said = capsys.readouterr().err.strip().splitlines()
    assert len(said) == 1
    assert said[0].startswith("refused: ")
    assert "1 MiB" in said[0]


def test_a_profile_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    padding = MAX_PROFILE_BYTES - len(PROFILE) - 2
    path = tmp_path / "padded.toml"
    path.write_bytes((PROFILE + "#" + "x" * padding + "\n").encode())
    assert os.path.getsize(path) == MAX_PROFILE_BYTES
    assert load_profile(path, "").base_url == "http://127.0.0.1:1"
    path.write_bytes((PROFILE + "#" + "x" * (padding + 1) + "\n").encode())
    with pytest.raises(TargetSpecError, match="1 MiB"):
        load_profile(path, "")


def test_a_profile_that_is_not_utf8_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(PROFILE.encode() + "# caf\xe9\n".encode("latin-1"))
    with pytest.raises(TargetSpecError, match="not UTF-8 text"):
        load_profile(path, "")
