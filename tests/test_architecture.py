"""Boundaries the kit promises: a pure domain, steps that only see the target interface."""

from __future__ import annotations

import ast
from collections.abc import Mapping
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


# -- layers ------------------------------------------------------------------------------------

#: The packages in layers, lowest first: a module may import its own layer or lower ones, never
#: a higher one. A module belongs to the layer of the longest prefix that names it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("schemas",),  # the wire contract: JSON Schemas, their loader, exact JSON
    ("reference_impl",),  # the pure domain
    ("reference_impl.wire",),  # its adapter to Zuora's shapes
    ("reference_impl.server",),  # its HTTP server
    ("steps.targets",),  # the kit's drivers: in-process (over the reference) and HTTP
    ("steps",),  # the step definitions
    ("billing_conformance",),  # the rule catalog, verdicts, recording, the smoke check
    ("billing_conformance.report",),  # the living documentation
    (  # results, and the documentation drawn from them
        "billing_conformance.results",
        "billing_conformance.progress",
        "billing_conformance.summary",
        "billing_conformance.documentation",
    ),
    (
        "billing_conformance.pytest_plugin",
        "billing_conformance.cli",
        "billing_conformance.__main__",
    ),  # the entry points
)
LAYERED = ("schemas", "reference_impl", "steps", "billing_conformance")

Graph = Mapping[str, frozenset[str]]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, frozenset[str]]:
    """Each of our modules and the modules of ours it imports (anywhere in it, type-only too).
    ``from package import name`` points at the submodule ``name`` when there is one."""
    paths = {_module_name(path): path for folder in LAYERED for path in _sources(folder)}
    graph: dict[str, frozenset[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names if alias.name in paths}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                for alias in node.names:
                    if f"{base}.{alias.name}" in paths:
                        found.add(f"{base}.{alias.name}")
                    elif base in paths:
                        found.add(base)
        graph[name] = frozenset(found - {name})
    return graph


def layer_of(module: str, layers: tuple[tuple[str, ...], ...] = LAYERS) -> int:
    matches = [
        (len(prefix), index)
        for index, prefixes in enumerate(layers)
        for prefix in prefixes
        if module == prefix or module.startswith(prefix + ".")
    ]
    if not matches:
        msg = f"{module} is in no layer"
        raise LookupError(msg)
    return max(matches)[1]


def upward_imports(graph: Graph, layers: tuple[tuple[str, ...], ...] = LAYERS) -> list[str]:
    return sorted(
        f"{module} -> {imported}"
        for module, imports in graph.items()
        for imported in imports
        if layer_of(imported, layers) > layer_of(module, layers)
    )


def cycles(graph: Graph) -> list[list[str]]:
    """The import circles of ``graph``: its strongly connected components of two or more modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in sorted(graph.get(module, ())):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_every_module_is_in_a_layer() -> None:
    for module in import_graph():
        layer_of(module)


def test_no_package_imports_a_higher_layer() -> None:
    """schemas < reference_impl < its wire and server < steps.targets < steps < billing_conformance
    (catalog < report < results < plugin and command line): see :data:`LAYERS`."""
    assert upward_imports(import_graph()) == []


def test_no_import_circles() -> None:
    assert cycles(import_graph()) == []


def test_the_layer_checks_can_fail() -> None:
    """Negative controls: an import from the domain into the kit, and a circle, are both caught."""
    graph = {
        "reference_impl.billing": frozenset({"billing_conformance.results"}),
        "billing_conformance.results": frozenset({"billing_conformance.report.model"}),
        "billing_conformance.report.model": frozenset({"billing_conformance.results"}),
    }
    assert upward_imports(graph) == [
        "billing_conformance.report.model -> billing_conformance.results",
        "reference_impl.billing -> billing_conformance.results",
    ]
    assert cycles(graph) == [["billing_conformance.report.model", "billing_conformance.results"]]
    assert import_graph()["reference_impl.wire.api"] >= {"schemas.contract", "reference_impl.billing"}
