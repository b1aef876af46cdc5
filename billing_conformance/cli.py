"""``billing-conformance``: the kit's command line.

``rules``  prints the rule catalog (``--format text`` or ``json``) with the scenarios of each rule.
``serve``  serves the reference implementation (or a variant) over HTTP, state in memory.
``smoke``  checks the basics of an HTTP target: reachable, authenticated, accounts, control API.
``run``    runs the conformance suite against a target and ends with conformance by rule; for an
           HTTP target it checks the target's safety and runs the smoke check first. It writes a
           results folder (``results/<target>/`` unless ``--results`` says otherwise).
``docs``   renders the living documentation (HTML and Markdown) from the features and any number
           of results folders, side by side.

Exit statuses: see ``billing_conformance.exits`` (``billing-conformance --help`` prints the table).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from billing_conformance import FEATURES_DIR, __version__
from billing_conformance.arguments import COMMANDS, HTTP_WORKERS, parser
from billing_conformance.catalog import Catalog, load_catalog, scenario_key
from billing_conformance.documentation import DOCS_FILES, docs_command
from billing_conformance.ending import Ended
from billing_conformance.exits import EXIT_INTERRUPTED, EXIT_OUTPUT_CLOSED, EXIT_REFUSED, from_pytest
from billing_conformance.folders import folder_problem, results_folder, subset_folder, target_label
from billing_conformance.kit import CACHE_FOLDER
from billing_conformance.kit import KIT_PLUGINS as KIT
from billing_conformance.results import results_refusal
from billing_conformance.serving import serve
from billing_conformance.smoke import smoke_command
from billing_conformance.terminal import for_terminal
from steps.targets import check_target_spec, load_implementation
from steps.targets.errors import TargetSpecError

__all__ = ["main"]

#: The pytest plugins ``run`` loads (the step library and the kit's own among them): no other
#: installed plugin is loaded automatically, and no conftest.py is needed where the kit is installed.
KIT_PLUGINS = (
    "pytest_bdd.plugin",
    "xdist.plugin",
    *KIT,
    "billing_conformance.live",
)
#: The kit's pytest settings (no ini file of the folder ``run`` runs in applies).
PYTEST_INI = Path(__file__).resolve().parent / "pytest.ini"
_NO_AUTOLOAD = "PYTEST_DISABLE_PLUGIN_AUTOLOAD"


def _print_rules(catalog: Catalog, fmt: str) -> None:
    if fmt == "json":
        print(json.dumps({"kitVersion": __version__, **catalog.as_json()}, indent=2))
        return
    for feature in catalog.features:
        for decision in feature.decisions:
            print(f"{feature.path}: decision ({decision.severity}) for every rule: {decision.text}")
    for rule in catalog.rules:
        print(f"{rule.id}  {rule.statement}")
        print(f"    severity: {rule.severity}")
        print(f"    source: {rule.source}")
        for decision in rule.decisions:
            print(f"    decision ({decision.severity}): {decision.text}")
        for scenario in rule.scenarios:
            suffix = f" ({len(scenario.examples)} examples)" if scenario.examples else ""
            severity = f" [{scenario.severity}]" if scenario.severity != rule.severity else ""
            print(f"    - {scenario.name}{suffix}{severity}   [{scenario.feature}:{scenario.line}]")
    for problem in catalog.problems:
        print(for_terminal(f"PROBLEM: {problem}"), file=sys.stderr)


def _smoke(args: argparse.Namespace) -> int:
    return smoke_command(args.target, args.profile, allow_production=args.allow_production)[0]


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    commands = COMMANDS
    if given and given[0].startswith("-") and given[0] not in ("-h", "--help", "--version"):
        print(
            for_terminal(
                f"billing-conformance: unknown option {given[0]}: name a command first "
                f"({', '.join(commands)}), e.g. billing-conformance run --help"
            ),
            file=sys.stderr,
        )
        return 2
    args = parser(__doc__.splitlines()[0]).parse_args(given)
    try:
        return _command(args)
    except BrokenPipeError:  # the reader went away (| head): quietly, as a command ended by SIGPIPE
        _stdout_to_nowhere()
        return EXIT_OUTPUT_CLOSED
    except (TargetSpecError, OSError) as error:  # a mistake in what was asked for, said in one line
        print(for_terminal(f"refused: {error}"), file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:  # before the suite took the signals over, or after it gave them back
        print("interrupted: nothing more was run", file=sys.stderr)
        return EXIT_INTERRUPTED


def _stdout_to_nowhere() -> None:
    """Point standard output at the null device, so that the interpreter's last flush of what
    was left unwritten finds no closed pipe to complain about ("Exception ignored ...")."""
    try:
        nowhere = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nowhere, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor to replace: nothing will be flushed there
        pass


def _command(args: argparse.Namespace) -> int:
    if args.command == "rules":
        catalog = load_catalog(FEATURES_DIR)
        _print_rules(catalog, args.format)
        return 2 if catalog.problems else 0
    if args.command == "serve":
        return serve(args)
    if args.command == "smoke":
        return _smoke(args)
    if args.command == "explore":
        from billing_conformance.explore.command import explore_command  # noqa: PLC0415

        return explore_command(args)
    if args.command == "docs":
        unusable = folder_problem(args.out, DOCS_FILES)
        if unusable:
            print(f"refused: --out {unusable}; nothing was written", file=sys.stderr)
            return EXIT_REFUSED
        return docs_command(args.results, args.out, args.features)
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    extra: list[str] = []
    workers = 0 if args.workers is None else args.workers
    chosen = _rule_ids(args.rule)
    if isinstance(chosen, str):
        print(for_terminal(f"refused: {chosen}"), file=sys.stderr)
        return EXIT_REFUSED
    unknown = _unknown_scenarios(args.scenario)
    if unknown:
        print(for_terminal(f"refused: {unknown}"), file=sys.stderr)
        return EXIT_REFUSED
    _import_from(args.import_path)
    check_target_spec(args.target)
    _check_implementation(args.target)
    results = args.results or subset_folder(
        results_folder(args.target, args.profile, args.label),
        [*chosen, *args.scenario, *_pytest_selection(args.pytest_args)],
    )
    refusal = results_refusal(results)
    if refusal:
        print(refusal, file=sys.stderr)
        return EXIT_REFUSED
    if args.target.startswith(("http://", "https://")):
        smoked, target = smoke_command(args.target, args.profile, allow_production=args.allow_production)
        if smoked or target is None:
            return smoked
        if args.workers is None and target.parallel_safe:
            workers = HTTP_WORKERS
        elif workers and not target.parallel_safe:
            print(
                "refused: the target resets one shared tenant between scenarios (control API "
                "version 1 only); run it with --workers 0",
                file=sys.stderr,
            )
            return EXIT_REFUSED
        # Isolation was decided by the smoke check, before any worker starts: the run takes it as is.
        extra.append(f"--control-plan={json.dumps(target.plan_as_wire())}")
        if args.profile:
            extra.append(f"--profile={args.profile}")
        if args.allow_production:
            extra.append("--allow-production")
    if workers and not _names_workers(args.pytest_args):
        print(f"scenarios run in {workers} parallel workers (--workers 0 runs them one by one)", flush=True)
    selection = [f"--rule={rule_id}" for rule_id in chosen] + [f"--scenario={name}" for name in args.scenario]
    shown = ["--tb=long", "-rfE"] if args.traceback else ["--tb=no", "-rN"]
    ended = Ended(strict=args.strict)
    with _only_the_kits_plugins():
        status = int(
            pytest.main(
                [
                    str(FEATURES_DIR),
                    f"--rootdir={FEATURES_DIR.parent}",
                    f"--config-file={PYTEST_INI}",
                    f"--target={args.target}",
                    "-q",
                    "--progress=names",
                    *shown,
                    f"--results={results}",
                    f"--override-ini=cache_dir={results.resolve() / CACHE_FOLDER}",
                    f"--label={target_label(args.target, args.profile, args.label)}",
                    *(f"-p{plugin}" for plugin in KIT_PLUGINS),
                    *extra,
                    *selection,
                    *(
                        [f"--numprocesses={workers}"]
                        if workers and not _names_workers(args.pytest_args)
                        else []
                    ),
                    *args.pytest_args,
                ],
                plugins=[ended],
            )
        )
    if (results / "report.html").exists():
        print(f"results: {results} (report.html, conformance.json, cucumber.json, junit.xml, badge.json)")
    # The kit's plugin sets the status from the verdict once the session ended; before that
    # (arguments pytest refused, a failure while starting), pytest's own is mapped onto the table.
    return status if ended.status is not None else from_pytest(status)


def _import_from(folders: Sequence[Path]) -> None:
    """Look for modules in ``folders`` first, in this process and in its workers (PYTHONPATH)."""
    if not folders:
        return
    absolute = [os.path.abspath(folder) for folder in folders]
    sys.path[:0] = [folder for folder in absolute if folder not in sys.path]
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join([*absolute, *([before] if before else [])])


def _pytest_selection(pytest_args: Sequence[str]) -> list[str]:
    """The ``-k`` and ``-m`` expressions among pytest's own arguments (they name a subset run too)."""
    found: list[str] = []
    for index, word in enumerate(pytest_args):
        for option in ("-k", "-m"):
            if word == option and index + 1 < len(pytest_args):
                found.append(f"{option[1]}-{pytest_args[index + 1]}")
            elif word.startswith(option) and len(word) > 2:
                found.append(f"{option[1]}-{word[2:].lstrip('=')}")
    return found


def _check_implementation(spec: str) -> None:
    """Refuse an in-process variant that is not a subclass of the reference's ``Billing``, in
    one line, as ``serve`` does, before anything runs or is written."""
    if spec.startswith("inprocess:"):
        from reference_impl import Billing  # noqa: PLC0415 (only a variant needs it here)

        if not issubclass(load_implementation(spec.removeprefix("inprocess:")), Billing):
            raise TargetSpecError(spec, "it is not a subclass of reference_impl.Billing")


@contextmanager
def _only_the_kits_plugins() -> Iterator[None]:
    """pytest without the plugins installed beside the kit (they are not the kit's to run, and
    each costs every worker its start-up: hypothesis alone 0.8 s); ``-- -p NAME`` still loads one."""
    before = os.environ.get(_NO_AUTOLOAD)
    os.environ[_NO_AUTOLOAD] = "1"  # inherited by the xdist workers
    try:
        yield
    finally:
        if before is None:
            del os.environ[_NO_AUTOLOAD]
        else:
            os.environ[_NO_AUTOLOAD] = before


def _rule_ids(asked: Sequence[str]) -> list[str] | str:
    """The catalog's IDs of the rules ``asked`` for (in any case), or why some cannot be run."""
    known = {rule.id.upper(): rule.id for rule in load_catalog(FEATURES_DIR).rules}
    unknown = [rule_id for rule_id in asked if rule_id.upper() not in known]
    if unknown:
        return (
            f"no rule {', '.join(unknown)} in the catalog{_did_you_mean(unknown, known, str.upper)} "
            "(billing-conformance rules lists them); nothing was run"
        )
    return [known[rule_id.upper()] for rule_id in asked]


def _unknown_scenarios(asked: Sequence[str]) -> str | None:
    """Why some of the scenarios ``asked`` for cannot be run (None when all are known): each is
    a scenario's name, or one example of it as the results name it."""
    catalog = load_catalog(FEATURES_DIR)
    known = {
        scenario_key(name): name
        for rule in catalog.rules
        for entry in rule.scenarios
        for name in (entry.name, *(i.split("::", 1)[1] for i in entry.example_ids()))
    }
    unknown = [name for name in asked if scenario_key(name) not in known]
    if not unknown:
        return None
    return (
        f"no scenario {', '.join(repr(n) for n in unknown)} in the catalog"
        f"{_did_you_mean(unknown, known, scenario_key)} (billing-conformance rules lists them); "
        "nothing was run"
    )


def _did_you_mean(unknown: Sequence[str], known: dict[str, str], key: Callable[[str], str]) -> str:
    """``; did you mean BR-CANCEL-PAUSED?``: the known names closest to the ``unknown`` ones
    (``known`` maps each name's ``key`` to the name), or nothing when none is close."""
    matches = (difflib.get_close_matches(key(name), known, n=2, cutoff=0.75) for name in unknown)
    close = dict.fromkeys(known[match] for found in matches for match in found)
    if not close:
        return ""
    return f"; did you mean {' or '.join(repr(n) if ' ' in n else n for n in close)}?"


def _names_workers(pytest_args: Sequence[str]) -> bool:
    """Whether pytest's own arguments already choose the workers (``-n``, ``--numprocesses``)."""
    return any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in pytest_args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
