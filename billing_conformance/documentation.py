"""``billing-conformance docs``: the living documentation from the features and any number of
results folders, side by side (``index.html`` and ``index.md``), with a copy of the evidence table
(``zuora-evidence.md``, Zuora's word behind each rule) that each rule links to."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from billing_conformance import FEATURES_DIR
from billing_conformance.catalog import load_catalog
from billing_conformance.exits import EXIT_USAGE
from billing_conformance.folders import write_whole
from billing_conformance.report import render_html, render_markdown
from billing_conformance.report.evidence import EVIDENCE_FILE, EVIDENCE_NAME, read_evidence, rows_by_key
from billing_conformance.terminal import for_terminal
from schemas.contract import violations

__all__ = ["DOCS_FILES", "docs_command"]

#: The files ``docs`` writes, each replacing what had its name (a symbolic link is not followed).
DOCS_FILES = ("index.html", "index.md", EVIDENCE_NAME)


def docs_command(folders: Sequence[Path], out: Path) -> int:
    """Render the page and the Markdown from the features and the results ``folders`` into ``out``."""
    catalog = load_catalog(FEATURES_DIR)
    results = []
    for folder in folders:
        try:
            found = json.loads((folder / "conformance.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            print(for_terminal(f"cannot read results from {folder}: {error}"), file=sys.stderr)
            return EXIT_USAGE
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
        results.append(found)
    table = EVIDENCE_FILE.read_text(encoding="utf-8")
    evidence = rows_by_key(read_evidence(table))
    out.mkdir(parents=True, exist_ok=True)
    write_whole(out / "index.html", render_html(catalog, results, evidence))
    write_whole(out / "index.md", render_markdown(catalog, results, evidence))
    write_whole(out / EVIDENCE_NAME, table)
    print(f"wrote {out / 'index.html'}, {out / 'index.md'} and {out / EVIDENCE_NAME}")
    return 0
