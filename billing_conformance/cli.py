"""``billing-conformance``: the kit's command line.

``rules``  prints the rule catalog (``--format text`` or ``json``) with the scenarios of each rule.
``run``    runs the conformance suite against a target and ends with conformance by rule.

Exit status: 0 when the command succeeded and, for ``run``, every rule holds; 1 when a rule is
broken; 2 for a usage error or a catalog that breaks the kit's conventions; other values are
pytest's own (3 internal error, 4 usage error, 5 nothing collected).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

import pytest

from billing_conformance import FEATURES_DIR, PROJECT_ROOT, __version__
from billing_conformance.catalog import Catalog, load_catalog

__all__ = ["main"]


def _print_rules(catalog: Catalog, fmt: str) -> None:
    if fmt == "json":
        print(json.dumps({"kitVersion": __version__, **catalog.as_json()}, indent=2))
        return
    for rule in catalog.rules:
        print(f"{rule.id}  {rule.statement}")
        print(f"    source: {rule.source}")
        for decision in rule.decisions:
            print(f"    decision: {decision}")
        for scenario in rule.scenarios:
            suffix = f" ({len(scenario.examples)} examples)" if scenario.examples else ""
            print(f"    - {scenario.name}{suffix}   [{scenario.feature}:{scenario.line}]")
    for problem in catalog.problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="billing-conformance", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    rules = commands.add_parser("rules", help="print the rule catalog")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    run = commands.add_parser("run", help="run the conformance suite against a target")
    run.add_argument(
        "--target", default="inprocess", help="'inprocess' (default) or 'inprocess:MODULE:CLASS'"
    )
    run.add_argument(
        "--rule", action="append", default=[], metavar="ID", help="run only this rule (repeatable)"
    )
    run.add_argument("pytest_args", nargs="*", help="further arguments for pytest (after --)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "rules":
        catalog = load_catalog(FEATURES_DIR)
        _print_rules(catalog, args.format)
        return 2 if catalog.problems else 0
    selection = [f"--rule={rule_id}" for rule_id in args.rule]
    return int(
        pytest.main(
            [
                str(FEATURES_DIR),
                f"--rootdir={PROJECT_ROOT}",
                f"--target={args.target}",
                "-q",
                *selection,
                *args.pytest_args,
            ]
        )
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
