"""A project's own features beside the kit's (docs/extending.md): one catalog of both.

A project's feature files follow the kit's conventions (a ``Rule:`` with one ID tag, one
``Source:`` line naming the project's own document, ``@should`` for a SHOULD rule, and
decisions labelled with their severity); their rules are marked :data:`PROJECT` and need no row
in the kit's evidence table. A rule ID the kit already uses is a catalog problem.

Feature files are named as the records name them: the kit's relative to its features folder, a
project's relative to pytest's root directory (or to the file system's root when outside it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

from billing_conformance import FEATURES_DIR
from billing_conformance.catalog import PROJECT, Catalog, load_catalog

__all__ = ["feature_name", "project_catalog", "session_catalog", "with_project"]


def feature_name(rootpath: Path, path: Path) -> str:
    """How the results name the feature file at ``path``."""
    found = path.resolve()
    for root in (FEATURES_DIR, rootpath.resolve()):
        if found.is_relative_to(root):
            return found.relative_to(root).as_posix()
    return found.relative_to(found.anchor).as_posix()


def session_catalog(rootpath: Path, files: Iterable[Path]) -> Catalog:
    """The catalog of a session that ran scenarios of the feature ``files``: the kit's whole
    catalog when only the kit's features ran; only the project's rules when none of the kit's did;
    both, the project's after the kit's, when both did."""
    resolved = sorted({f.resolve() for f in files})
    own = [f for f in resolved if not f.is_relative_to(FEATURES_DIR)]
    if not own:
        return load_catalog(FEATURES_DIR)
    project = _named(rootpath, own)
    if len(own) == len(resolved):
        return project
    return with_project(load_catalog(FEATURES_DIR), project)


def _named(rootpath: Path, files: Sequence[Path], names: Sequence[str] | None = None) -> Catalog:
    """The catalog of a project's feature ``files``, each named ``names[i]`` (by default as the
    results name it), its rules marked as the project's."""
    parts = []
    for index, path in enumerate(files):
        name = names[index] if names is not None else feature_name(rootpath, path)
        base = Path(path.as_posix().removesuffix(name)) if path.as_posix().endswith(name) else path.parent
        parts.append(load_catalog(base, [path]))
    return Catalog(
        rules=tuple(replace(rule, origin=PROJECT) for part in parts for rule in part.rules),
        orphan_scenarios=tuple(s for part in parts for s in part.orphan_scenarios),
        problems=tuple(p for part in parts for p in part.problems),
        features=tuple(f for part in parts for f in part.features),
    )


def with_project(kit: Catalog, project: Catalog) -> Catalog:
    """The kit's catalog with a project's rules after its own; a rule ID both use is a problem."""
    ids = {rule.id for rule in kit.rules}
    clashes = [
        f"{rule.feature}:{rule.line}: rule ID {rule.id} is the kit's own; a project's rule needs its own ID"
        for rule in project.rules
        if rule.id in ids
    ]
    return Catalog(
        rules=(*kit.rules, *(rule for rule in project.rules if rule.id not in ids)),
        orphan_scenarios=(*kit.orphan_scenarios, *project.orphan_scenarios),
        problems=(*kit.problems, *project.problems, *clashes),
        features=(*kit.features, *project.features),
    )


def project_catalog(folders: Sequence[Path], results: Iterable[Mapping[str, Any]]) -> Catalog:
    """The project's features below ``folders`` (``docs --features DIR``), each named as the
    ``results`` name it (the longest end of its path that a record's feature is), else relative to
    its folder."""
    known = {
        str(scenario.get("feature", ""))
        for found in results
        for rule in found.get("rules", []) or []
        for scenario in rule.get("scenarios", [])
    }
    files: list[Path] = []
    names: list[str] = []
    for folder in folders:
        for path in sorted(folder.resolve().rglob("*.feature")):
            parts = PurePosixPath(path.as_posix()).parts
            ends = ["/".join(parts[i:]) for i in range(1, len(parts))]
            files.append(path)
            own = path.relative_to(folder.resolve()).as_posix()
            names.append(next((end for end in ends if end in known), own))
    return _named(Path.cwd(), files, names)
