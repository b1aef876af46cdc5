"""``billing-conformance explore``: random histories against a target, judged by the rules.

It writes to its results folder ``explore.json`` (``schemas/explore-results.schema.json``) and,
when a rule broke, the counterexamples as a project of the kit's kind (``counterexamples/``),
re-run at once through the kit's plugins against the target (where each must fail) and against
the in-process reference (where each must hold). Exit statuses are ``run``'s: 0 nothing broke,
1 a MUST rule broke, 4 the exploration hit a fault of the harness or the target and found nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from billing_conformance import FEATURES_DIR, __version__
from billing_conformance.catalog import load_catalog
from billing_conformance.exits import EXIT_CONFORMS, EXIT_DOES_NOT_CONFORM, EXIT_INCONCLUSIVE, EXIT_USAGE
from billing_conformance.explore.gherkin import feature_text
from billing_conformance.explore.parallel import Plan, explore_in_parallel
from billing_conformance.explore.rerun import FEATURE, rerun, rerun_command, write_project
from billing_conformance.explore.runner import Exploration, close_target, explore
from billing_conformance.folders import folder_problem, results_folder, write_whole
from billing_conformance.terminal import for_terminal
from billing_conformance.workers import worker_count
from steps.judge import rules_checked
from steps.targets import Target, open_target

__all__ = ["RESULTS_FILE", "add_arguments", "explore_command", "results_json"]

RESULTS_FILE = "explore.json"
REFERENCE = "inprocess"


def add_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--target",
        default="inprocess",
        help="'inprocess', 'inprocess:MODULE:CLASS' (a subclass of reference_impl.Billing), or the base "
        "URL of an HTTP target with the control API",
    )
    command.add_argument("--profile", type=Path, default=None, help="TOML profile of an HTTP target")
    command.add_argument(
        "--allow-production", action="store_true", help="allow one of Zuora's production hosts"
    )
    command.add_argument(
        "--budget",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="stop starting histories after this long",
    )
    command.add_argument(
        "--histories",
        type=int,
        default=None,
        metavar="N",
        help="try at most N histories (with --seed: the same histories every time)",
    )
    command.add_argument("--steps", type=int, default=14, metavar="N", help="operations per history at most")
    command.add_argument("--seed", type=int, default=0, help="the seed the histories are drawn from")
    command.add_argument(
        "--rule", action="append", default=[], metavar="ID", help="judge only this rule (repeatable)"
    )
    command.add_argument(
        "--workers",
        type=worker_count,
        default=0,
        metavar="N",
        help="play the rounds of histories in N parallel processes, each history on a tenant of its "
        "own (an HTTP target with control API version 2, or in process); 0 plays them here",
    )
    command.add_argument(
        "--results",
        type=Path,
        default=None,
        metavar="DIR",
        help="where to write explore.json and the counterexamples (default: results/explore-<target>)",
    )


def _chosen_rules(asked: list[str]) -> set[str] | str | None:
    known = {rule.upper(): rule for rule in rules_checked()}
    unknown = [rule for rule in asked if rule.upper() not in known]
    if unknown:
        return (
            f"explore judges no rule {', '.join(unknown)} (it judges {', '.join(sorted(known.values()))}); "
            "nothing was run"
        )
    return {known[rule.upper()] for rule in asked} or None


def explore_command(args: argparse.Namespace) -> int:
    only = _chosen_rules(args.rule)
    if isinstance(only, str):
        print(for_terminal(f"refused: {only}"), file=sys.stderr)
        return EXIT_USAGE
    if (args.histories is not None and args.histories < 1) or args.steps < 1 or args.budget <= 0:
        print("refused: --histories, --steps and --budget must be positive", file=sys.stderr)
        return EXIT_USAGE
    results: Path = args.results or _default_folder(args.target, args.profile)
    unusable = folder_problem(results, (RESULTS_FILE,))
    if unusable is not None:
        print(for_terminal(f"refused: --results {unusable}; nothing was explored"), file=sys.stderr)
        return EXIT_USAGE
    target = open_target(args.target, args.profile, allow_production=args.allow_production)
    started = datetime.now(UTC)
    try:
        done = _explore(target, args, only)
    finally:
        close_target(target)  # every tenant it made is deleted, whatever happened
    if isinstance(done, str):
        print(for_terminal(f"refused: {done}"), file=sys.stderr)
        return EXIT_USAGE
    results.mkdir(parents=True, exist_ok=True)
    confirmed: dict[str, dict[str, str]] = {}
    if done.findings:
        statements = {rule.id: rule.statement for rule in load_catalog(FEATURES_DIR).rules}
        project = write_project(results, feature_text(done.findings, args.target, args.seed, statements))
        confirmed["target"] = rerun(
            project,
            args.target,
            results / "rerun-target",
            args.profile,
            allow_production=args.allow_production,
        )
        if args.target != REFERENCE:
            confirmed["reference"] = rerun(project, REFERENCE, results / "rerun-reference")
    data = results_json(done, args, started, confirmed, results)
    write_whole(results / RESULTS_FILE, json.dumps(data, indent=2) + "\n")
    _report(done, data, results)
    if done.findings:
        return EXIT_DOES_NOT_CONFORM
    return EXIT_INCONCLUSIVE if done.errored else EXIT_CONFORMS


def _default_folder(target: str, profile: Path | None) -> Path:
    """``results/explore-<target>``, named as ``run``'s folders are (``explore-127.0.0.1-8080``)."""
    folder = results_folder(target, profile)
    return folder.with_name(f"explore-{folder.name}")


def _explore(target: Target, args: argparse.Namespace, only: set[str] | None) -> Exploration | str:
    """The exploration, here or in ``--workers`` processes; a refusal's reason when workers
    would meet on one shared tenant."""
    budget = None if args.histories is not None else args.budget
    if not args.workers:
        return explore(
            target, seed=args.seed, histories=args.histories, budget=budget, only=only, max_steps=args.steps
        )
    plan_as_wire = getattr(target, "plan_as_wire", None)
    wire: dict[str, Any] | None = plan_as_wire() if callable(plan_as_wire) else None
    if wire is not None and "error" in wire:
        # The target could not say how histories are kept apart: its fault, not a usage mistake.
        return Exploration(args.seed, errored=f"the control API's plan could not be decided: {wire['error']}")
    if wire is not None and wire.get("isolation") != "tenants":
        # Histories played at once must not meet: each needs a tenant of its own.
        return (
            "--workers needs a target whose histories cannot meet: in process, or over HTTP with "
            "tenants of their own (control API version 2); explore it with --workers 0"
        )
    return explore_in_parallel(
        Plan(
            args.target,
            args.profile,
            args.allow_production,
            args.seed,
            args.histories,
            budget,
            frozenset(only) if only is not None else None,
            args.steps,
            args.workers,
            wire,
        )
    )


def results_json(
    done: Exploration,
    args: argparse.Namespace,
    started: datetime,
    confirmed: dict[str, dict[str, str]],
    results: Path,
) -> dict[str, Any]:
    seconds = max(done.seconds, 1e-9)
    project = results / "counterexamples"
    findings = [
        {
            "rule": finding.rule,
            "severity": "MUST",
            "message": finding.message,
            "steps": [step.op.text() for step in finding.history],
            "feature": str(project / "features" / FEATURE),
            "rerun": {side: verdicts.get(finding.rule, "not run") for side, verdicts in confirmed.items()},
        }
        for finding in done.findings
    ]
    return {
        "kitVersion": __version__,
        "target": args.target,
        "startedAt": started.isoformat(timespec="seconds"),
        "seed": done.seed,
        # --histories bounds the exploration instead of the time (the seconds then bound nothing).
        "budget": {
            "seconds": None if args.histories is not None else args.budget,
            "histories": args.histories,
            "stepsPerHistory": args.steps,
        },
        "properties": sorted(rules_checked() if args.rule == [] else {r.upper() for r in args.rule}),
        "histories": done.histories,
        "steps": done.steps,
        "workers": done.workers,
        "seconds": round(done.seconds, 3),
        "historiesPerSecond": round(done.histories / seconds, 1),
        "stepsPerSecond": round(done.steps / seconds, 1),
        "findings": findings,
        "errored": done.errored,
        "rerunCommand": (
            rerun_command(
                project,
                args.target,
                results / "rerun-target",
                args.profile,
                allow_production=args.allow_production,
            )
            if findings
            else None
        ),
    }


def _report(done: Exploration, data: dict[str, Any], results: Path) -> None:
    print(
        f"explored {done.histories} histories, {done.steps} steps in {done.seconds:.1f} s "
        f"({data['historiesPerSecond']} histories/s, {data['stepsPerSecond']} steps/s), seed {done.seed}"
        + (f", {done.workers} workers" if done.workers > 1 else "")
    )
    for finding in data["findings"]:
        seen = ", ".join(f"{side}: {verdict}" for side, verdict in finding["rerun"].items())
        print(for_terminal(f"BROKEN  {finding['rule']}  {finding['message']}  (re-run {seen})"))
    if done.errored:
        print(for_terminal(f"ERRORED  {done.errored}"))
    if not data["findings"] and not done.errored:
        print(f"nothing broke: {len(data['properties'])} rules held after every step")
    print(f"results: {results} ({RESULTS_FILE}{', counterexamples/' if data['findings'] else ''})")
