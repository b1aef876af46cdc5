"""Boundaries the kit promises: a pure domain, steps that only see the target interface."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from billing_conformance import PROJECT_ROOT
from steps.targets import Target, open_target
from steps.targets.in_process import InProcessTarget

PY_DIRS = ("reference_impl", "steps", "billing_conformance", "tests", "features", "bench")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _sources(folder: str) -> list[Path]:
    return sorted((PROJECT_ROOT / folder).rglob("*.py"))


DOMAIN = sorted((PROJECT_ROOT / "reference_impl").glob("*.py"))


@pytest.mark.parametrize("path", DOMAIN, ids=lambda p: p.name)
def test_the_domain_does_no_io(path: Path) -> None:
    """The domain (reference_impl's top-level modules) imports no HTTP, JSON, pydantic or test
    library, nor its own adapters (``wire``), and never reads the system clock."""
    forbidden = {"json", "http", "requests", "pytest", "socket", "fastapi", "urllib", "pydantic"}
    imported = _imports(path)
    assert not {name.split(".")[0] for name in imported} & forbidden
    assert not any(name.startswith("reference_impl.wire") for name in imported)
    text = path.read_text(encoding="utf-8")
    assert "date.today(" not in text
    assert "datetime.now(" not in text


@pytest.mark.parametrize("path", _sources("steps"), ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_steps_reach_the_reference_only_through_the_in_process_target(path: Path) -> None:
    if path.name == "in_process.py":
        return
    assert not any(name.split(".")[0] == "reference_impl" for name in _imports(path))


@pytest.mark.parametrize(
    "path",
    [p for d in PY_DIRS for p in _sources(d)] + [PROJECT_ROOT / "conftest.py"],
    ids=lambda p: str(p.relative_to(PROJECT_ROOT)),
)
def test_every_module_uses_postponed_annotations_and_stays_small(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "from __future__ import annotations" in text
    assert len(text.splitlines()) <= 400


def test_the_in_process_target_satisfies_the_target_protocol() -> None:
    """Checked by mypy here (the annotation) and at run time (the runtime-checkable protocol)."""
    target: Target = InProcessTarget()
    assert isinstance(target, Target)
    assert isinstance(open_target("inprocess:tests.known_bad:CancelsPostedRuns"), Target)


def test_an_object_missing_operations_is_not_a_target() -> None:
    """Negative control for the check above."""

    class Half:
        name = "half"

        def reset(self) -> None: ...

    assert not isinstance(Half(), Target)
