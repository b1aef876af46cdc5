"""``billing-conformance docs``: the living documentation from the features and any number of
results folders, side by side (``index.html`` and ``index.md``), with a copy of the evidence table
(``zuora-evidence.md``, Zuora's word behind each rule) that each rule links to. ``--features DIR``
adds a project's own rules (docs/extending.md), each shown as the project's own rule.

A ``--results`` folder holding ``conformance.json`` is taken as it is (a subset run too: it was
asked for by name). A folder of results folders (``--results results``) gives the latest full run
of each target in it (by label, else target; by ``startedAt``): a subset run, one that a
``--rule``, ``--scenario``, ``-k``, ``-m`` or ``--deselect`` narrowed, never stands for its target.
A folder holding ``explore.json`` (``billing-conformance explore``'s results) is an exploration:
its headline and counterexamples are shown under the summary; a folder of folders gives the latest
exploration of each target in it too."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from billing_conformance import FEATURES_DIR
from billing_conformance.catalog import load_catalog
from billing_conformance.exits import EXIT_USAGE
from billing_conformance.extension import project_catalog, with_project
from billing_conformance.folders import write_whole
from billing_conformance.report import render_html, render_markdown
from billing_conformance.report.evidence import EVIDENCE_FILE, EVIDENCE_NAME, read_evidence, rows_by_key
from billing_conformance.terminal import for_terminal
from schemas.contract import violations

__all__ = ["DOCS_FILES", "EXPLORE_FILE", "docs_command", "latest_explorations", "latest_full_runs"]

#: What ``billing-conformance explore`` writes in its results folder.
EXPLORE_FILE = "explore.json"

#: The files ``docs`` writes, each replacing what had its name (a symbolic link is not followed).
DOCS_FILES = ("index.html", "index.md", EVIDENCE_NAME)


def docs_command(folders: Sequence[Path], out: Path, features: Sequence[Path] = ()) -> int:
    """Render the page and the Markdown from the features (the kit's, and a project's own below
    ``features``: docs/extending.md) and the results ``folders`` into ``out``."""
    results = []
    explorations: list[dict[str, Any]] = []
    for folder in folders:
        if (folder / EXPLORE_FILE).is_file() and not (folder / "conformance.json").exists():
            exploration = _exploration(folder)
            if isinstance(exploration, str):
                print(for_terminal(exploration), file=sys.stderr)
                return EXIT_USAGE
            explorations.append(exploration)
            continue
        try:
            found = _read(folder)
        except (OSError, ValueError) as error:
            print(for_terminal(f"cannot read results from {folder}: {error}"), file=sys.stderr)
            return EXIT_USAGE
        if found is None:
            explored = latest_explorations(folder)
            try:
                results += latest_full_runs(folder, allow_none=bool(explored))
            except (OSError, ValueError) as error:
                print(for_terminal(f"cannot read results from {folder}: {error}"), file=sys.stderr)
                return EXIT_USAGE
            explorations += explored
            continue
        faults = violations("conformance-results", found)
        if faults:
            print(
                for_terminal(
                    f"cannot use results from {folder}: conformance.json is not a results file of "
                    f"this kit (schemas/conformance-results.schema.json, {faults[0]})"
                ),
                file=sys.stderr,
            )
            return EXIT_USAGE
        results.append(cast("dict[str, Any]", found))  # its schema was checked above
    unreadable = next((folder for folder in features if not folder.is_dir()), None)
    if unreadable is not None:
        print(
            for_terminal(f"refused: --features {unreadable} is not a folder; nothing was written"),
            file=sys.stderr,
        )
        return EXIT_USAGE
    catalog = load_catalog(FEATURES_DIR)
    if features:
        catalog = with_project(catalog, project_catalog(features, results))
    table = EVIDENCE_FILE.read_text(encoding="utf-8")
    evidence = rows_by_key(read_evidence(table))
    out.mkdir(parents=True, exist_ok=True)
    write_whole(out / "index.html", render_html(catalog, results, evidence, explorations))
    write_whole(out / "index.md", render_markdown(catalog, results, evidence, explorations))
    write_whole(out / EVIDENCE_NAME, table)
    print(f"wrote {out / 'index.html'}, {out / 'index.md'} and {out / EVIDENCE_NAME}")
    return 0


def _read(folder: Path) -> object:
    """The results in ``folder``; None for a folder without ``conformance.json`` (of folders, say)."""
    if folder.is_dir() and not (folder / "conformance.json").exists():
        return None
    return json.loads((folder / "conformance.json").read_text(encoding="utf-8"))


def _exploration(folder: Path) -> dict[str, Any] | str:
    """The ``explore.json`` of ``folder``, checked against its schema; else why it cannot be used."""
    try:
        found = json.loads((folder / EXPLORE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return f"cannot read the exploration in {folder}: {error}"
    faults = violations("explore-results", found)
    if faults:
        return (
            f"cannot use the exploration in {folder}: {EXPLORE_FILE} is not an exploration of this kit "
            f"(schemas/explore-results.schema.json, {faults[0]})"
        )
    return cast("dict[str, Any]", found)


def latest_explorations(parent: Path) -> list[dict[str, Any]]:
    """The latest exploration of each target among the folders in ``parent`` (by ``startedAt``),
    in the order of their folders' names; a file that is not this kit's exploration is passed by."""
    kept: list[tuple[str, str, dict[str, Any]]] = []
    for folder in sorted(p for p in parent.iterdir() if p.is_dir() and (p / EXPLORE_FILE).is_file()):
        found = _exploration(folder)
        if not isinstance(found, str):
            kept.append((str(found["target"]), folder.name, found))
    return _latest(kept)


def _latest(found: list[tuple[str, str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Of (name, folder, results) in folder order, the latest of each name by ``startedAt``, in
    the order of their folders' names."""
    latest: dict[str, tuple[datetime, str, dict[str, Any]]] = {}
    for name, folder, data in found:
        started = datetime.fromisoformat(data["startedAt"])
        if name not in latest or started >= latest[name][0]:
            latest[name] = (started, folder, data)
    return [data for _, _, data in sorted(latest.values(), key=lambda kept: kept[1])]


def latest_full_runs(parent: Path, *, allow_none: bool = False) -> list[dict[str, Any]]:
    """The latest full run of each target among the results folders in ``parent``, in the order
    of their folders' names: a subset run never stands for its target, nor a file that is not
    this kit's results. Refuses (ValueError) a ``parent`` with no full run in it, unless
    ``allow_none`` (it holds explorations)."""
    kept: list[tuple[str, str, dict[str, Any]]] = []
    for folder in sorted(p for p in parent.iterdir() if p.is_dir()):
        try:
            found = json.loads((folder / "conformance.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # not a results folder (the page's own folder, say)
        if violations("conformance-results", found) or found["summary"]["scope"]["selection"]:
            continue
        kept.append((str(found.get("label") or found["target"]), folder.name, found))
    if not kept and not allow_none:
        raise ValueError(f"no results folder of a full run in {parent}")
    return _latest(kept)
