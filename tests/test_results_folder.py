"""A results folder (``run --results``, plain pytest's ``--results``, ``docs --out``) that cannot
be used is refused in one line, exit status 2, with nothing written; and the kit's files replace
a symbolic link of their name instead of writing through it."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from billing_conformance.documentation import DOCS_FILES
from billing_conformance.exits import EXIT_USAGE
from billing_conformance.results import RESULT_FILES
from tests.plain_pytest import plain_pytest
from tests.suite_runner import run_cli

RULE = "BR-CANCEL-PENDING"


def _a_file(place: Path) -> Path:
    (place / "a-file").write_text("mine\n", encoding="utf-8")
    return place / "a-file"


def _a_loop(place: Path) -> Path:
    (place / "loop").symlink_to("loop")
    return place / "loop"


def _under_a_file(place: Path) -> Path:
    return _a_file(place) / "results"


def _dangling(place: Path) -> Path:
    (place / "dangling").symlink_to(place / "nowhere")
    return place / "dangling"


def _writable(folder: Path) -> bool:
    try:
        with tempfile.NamedTemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def _unwritable(place: Path) -> Path:
    """A folder this process cannot write in: one it made read-only, or (as root, whom
    permissions do not stop) a folder of the kernel's that takes no files."""
    folder = place / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    if not _writable(folder):
        return folder
    folder.chmod(0o755)
    for system in (Path("/sys/kernel"), Path("/sys"), Path("/proc/self")):
        if system.is_dir() and not _writable(system):
            return system
    pytest.skip("no folder this process cannot write in")


CASES: dict[str, Callable[[Path], Path]] = {
    "a file": _a_file,
    "a symbolic link loop": _a_loop,
    "a path under a file": _under_a_file,
    "a folder it cannot write in": _unwritable,
    "a symbolic link to nothing": _dangling,
}


def _snapshot(place: Path) -> dict[str, str]:
    """Every name under ``place`` and what it is (a link's target, a file's text)."""
    found: dict[str, str] = {}
    for path in sorted(place.rglob("*")):
        if path.is_symlink():
            found[str(path)] = f"-> {os.readlink(path)}"
        elif path.is_file():
            found[str(path)] = path.read_text(encoding="utf-8")
        else:
            found[str(path)] = "folder"
    return found


def _refused_in_one_line(done: subprocess.CompletedProcess[str], flag: str) -> None:
    said = done.stderr.strip().splitlines()
    assert done.returncode == EXIT_USAGE, done.stdout + done.stderr
    assert len(said) == 1, done.stderr
    assert said[0].startswith(f"refused: {flag} "), done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "INTERNALERROR" not in done.stdout + done.stderr


@pytest.mark.parametrize("case", CASES)
def test_run_refuses_a_results_folder_it_cannot_use(case: str, tmp_path: Path) -> None:
    results = CASES[case](tmp_path)
    before = _snapshot(tmp_path)
    done = run_cli(tmp_path, "run", "--results", str(results), "--rule", RULE)
    _refused_in_one_line(done, "--results")
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("case", CASES)
def test_plain_pytest_refuses_a_results_folder_it_cannot_use(case: str, tmp_path: Path) -> None:
    results = CASES[case](tmp_path)
    before = _snapshot(tmp_path)
    done = plain_pytest(f"--results={results}", f"--rule={RULE}")
    _refused_in_one_line(done, "--results")
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("case", CASES)
def test_docs_refuses_an_out_folder_it_cannot_use(case: str, tmp_path: Path) -> None:
    out = CASES[case](tmp_path)
    before = _snapshot(tmp_path)
    done = run_cli(tmp_path, "docs", "--out", str(out))
    _refused_in_one_line(done, "--out")
    assert _snapshot(tmp_path) == before


def test_run_refuses_a_results_folder_with_a_folder_where_a_file_goes(tmp_path: Path) -> None:
    (tmp_path / "results" / "report.md").mkdir(parents=True)
    done = run_cli(tmp_path, "run", "--results", "results", "--rule", RULE)
    _refused_in_one_line(done, "--results")
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == ["report.md"]


def _links_to_outside(folder: Path, names: tuple[str, ...], outside: Path) -> dict[str, Path]:
    folder.mkdir()
    outside.mkdir()
    victims = {}
    for name in names:
        victim = outside / f"{name}.kept"
        victim.write_text(f"not the kit's: {name}\n", encoding="utf-8")
        (folder / name).symlink_to(victim)
        victims[name] = victim
    return victims


def _links_replaced(folder: Path, victims: dict[str, Path]) -> None:
    for name, victim in victims.items():
        assert victim.read_text(encoding="utf-8") == f"not the kit's: {name}\n", name
        assert not (folder / name).is_symlink(), name
        assert (folder / name).stat().st_size > 0, name


def test_run_replaces_symbolic_links_in_the_results_folder(tmp_path: Path) -> None:
    results = tmp_path / "results"
    victims = _links_to_outside(results, RESULT_FILES, tmp_path / "elsewhere")
    done = run_cli(tmp_path, "run", "--results", str(results), "--rule", RULE)
    assert done.returncode == 0, done.stdout + done.stderr
    _links_replaced(results, victims)


def test_docs_replaces_symbolic_links_in_its_out_folder(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    victims = _links_to_outside(out, DOCS_FILES, tmp_path / "elsewhere")
    done = run_cli(tmp_path, "docs", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    _links_replaced(out, victims)
