"""``billing-conformance``: the kit's command line.

``rules``  prints the rule catalog (``--format text`` or ``json``) with the scenarios of each rule.
``serve``  serves the reference implementation (or a variant) over HTTP, state in memory.
``smoke``  checks the basics of an HTTP target: reachable, authenticated, accounts, control API.
``run``    runs the conformance suite against a target and ends with conformance by rule; for an
           HTTP target it checks the target's safety and runs the smoke check first. It writes a
           results folder (``results/<target>/`` unless ``--results`` says otherwise).
``docs``   renders the living documentation (HTML and Markdown) from the features and any number
           of results folders, side by side.

Exit status: 0 the command succeeded (for ``run``: no selected MUST rule is broken or errored
and the wire contract holds, whatever the SHOULD warnings); 1 a MUST rule is broken or errored,
or a response broke Zuora's published shape (the wire contract); 2 a usage error, a catalog that
breaks the conventions, or a target refused for safety (not marked sandbox/test, or a Zuora
production host); 3 the smoke check failed (connection, credentials or adapter); 4 pytest
refused its arguments; 5 nothing was selected; 6 no rule was checked (every selected rule was not
applicable to the target, or not run): a run that proves nothing never passes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from billing_conformance import FEATURES_DIR, PROJECT_ROOT, __version__
from billing_conformance.catalog import Catalog, load_catalog
from steps.targets.errors import TargetSpecError

if TYPE_CHECKING:
    from steps.targets.http import HttpTarget

__all__ = ["main"]

EXIT_REFUSED, EXIT_SMOKE = 2, 3
#: Default workers against an HTTP target whose scenarios cannot meet: a remote run waits on the
#: network, not on this machine, and four requests in flight stay well inside what a sandbox
#: tenant allows at once (Zuora counts concurrent requests per tenant).
HTTP_WORKERS = 4
MAX_WORKERS = 64
#: The pytest plugins ``run`` loads; no other installed plugin is loaded automatically.
KIT_PLUGINS = ("pytest_bdd.plugin", "xdist.plugin")
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
        print(f"PROBLEM: {problem}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="billing-conformance", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    rules = commands.add_parser("rules", help="print the rule catalog")
    rules.add_argument("--format", choices=("text", "json"), default="text")

    serve = commands.add_parser("serve", help="serve the reference implementation over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument(
        "--implementation",
        default=None,
        metavar="MODULE:CLASS",
        help="a subclass of reference_impl.Billing to serve instead (a known-bad variant, say)",
    )
    serve.add_argument(
        "--token-env", default=None, metavar="VAR", help="require this bearer token (from VAR)"
    )
    serve.add_argument("--client-id-env", default=None, metavar="VAR", help="OAuth client id (from VAR)")
    serve.add_argument(
        "--client-secret-env", default=None, metavar="VAR", help="OAuth client secret (from VAR)"
    )
    serve.add_argument(
        "--zuora-strict",
        action="store_true",
        help="answer with only the fields Zuora's published API has (schemas/zuora-response-fields.json)",
    )

    for name, text in (("smoke", "check the basics of an HTTP target"), ("run", "run the conformance suite")):
        command = commands.add_parser(name, help=text)
        command.add_argument(
            "--target",
            default="inprocess" if name == "run" else None,
            required=name == "smoke",
            help="'inprocess', 'inprocess:MODULE:CLASS', or the base URL of an HTTP target",
        )
        command.add_argument("--profile", type=Path, default=None, help="TOML profile of an HTTP target")
        command.add_argument(
            "--allow-production",
            action="store_true",
            help="allow one of Zuora's production hosts (the suite cancels and writes off!)",
        )
    run = commands.choices["run"]
    run.add_argument(
        "--rule", action="append", default=[], metavar="ID", help="run only this rule (repeatable)"
    )
    run.add_argument(
        "--results",
        type=Path,
        default=None,
        metavar="DIR",
        help="where to write the results folder (default: results/<target>)",
    )
    run.add_argument(
        "--workers",
        type=_workers,
        default=None,
        metavar="N",
        help="scenarios run in N parallel processes (pytest-xdist); 0 runs them one by one. Default: "
        f"{HTTP_WORKERS} for an HTTP target that isolates scenarios (control API version 2) or has no "
        "control API, else 0",
    )
    run.add_argument("pytest_args", nargs="*", help="further arguments for pytest (after --)")
    docs = commands.add_parser("docs", help="render the living documentation")
    docs.add_argument(
        "--results",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="a results folder (repeatable: several targets side by side)",
    )
    docs.add_argument(
        "--out",
        type=Path,
        default=PROJECT_ROOT / "results" / "docs",
        metavar="DIR",
        help="where to write index.html and index.md",
    )
    return parser


def _serve(args: argparse.Namespace) -> int:
    import uvicorn  # noqa: PLC0415 - only this command needs the server stack

    from reference_impl import Billing  # noqa: PLC0415
    from reference_impl.server import AuthSettings, create_app  # noqa: PLC0415
    from steps.targets import open_target  # noqa: PLC0415

    implementation = None
    if args.implementation:
        target = open_target(f"inprocess:{args.implementation}")
        implementation = target._implementation  # type: ignore[attr-defined]
    try:
        auth = AuthSettings(
            token=_credential(args.token_env, "--token-env"),
            client_id=_credential(args.client_id_env, "--client-id-env"),
            client_secret=_credential(args.client_secret_env, "--client-secret-env"),
        )
    except ValueError as error:
        print(f"refused: {error}", file=sys.stderr)
        return EXIT_REFUSED
    if (auth.client_id is None) != (auth.client_secret is None):
        print("refused: --client-id-env and --client-secret-env go together", file=sys.stderr)
        return EXIT_REFUSED
    app = create_app(implementation or Billing, auth, zuora_strict=args.zuora_strict)
    print(
        f"serving the reference implementation on http://{args.host}:{args.port} "
        f"(OpenAPI at /openapi.json, control API at /conformance/v1)",
        flush=True,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _credential(variable: str | None, flag: str) -> str | None:
    """The secret held by ``variable`` (None when no variable is named). Authentication fails
    closed: a named variable that is unset or empty is an error, never an open server."""
    if variable is None:
        return None
    value = os.environ.get(variable)
    if not value:
        msg = f"{flag} names {variable}, which holds nothing; the server would run without authentication"
        raise ValueError(msg)
    return value


def _workers(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = -1
    if not 0 <= count <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"a number of workers from 0 to {MAX_WORKERS}, not {text!r}")
    return count


def _smoke(args: argparse.Namespace) -> int:
    return _smoked(args)[0]


def _smoked(args: argparse.Namespace) -> tuple[int, HttpTarget | None]:
    """The smoke check's exit status, and the target it checked (None if refused)."""
    from billing_conformance.smoke import smoke  # noqa: PLC0415
    from steps.targets.http import HttpTarget  # noqa: PLC0415
    from steps.targets.profile import load_profile  # noqa: PLC0415

    try:
        profile = load_profile(args.profile, args.target)
        profile.check_safety(allow_production=args.allow_production)
    except TargetSpecError as error:
        print(f"refused: {error}", file=sys.stderr)
        return EXIT_REFUSED, None
    target = HttpTarget(profile)
    checks = smoke(target)
    for check in checks:
        print(f"{'ok  ' if check.passed else 'FAIL'} {check.name}: {check.detail}")
    if all(check.passed for check in checks):
        return 0, target
    print(
        "the target does not pass the smoke check: this is a connection, credential or adapter problem, "
        "not a conformance result",
        file=sys.stderr,
    )
    return EXIT_SMOKE, target


def results_folder(target: str) -> Path:
    """The default results folder of a target: ``results/inprocess``, ``results/127.0.0.1-8080``..."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", target.split("://", 1)[-1]).strip("-")
    return PROJECT_ROOT / "results" / (slug or "target")


def _docs(args: argparse.Namespace) -> int:
    from billing_conformance.report import render_html, render_markdown  # noqa: PLC0415

    catalog = load_catalog(FEATURES_DIR)
    from schemas.contract import violations  # noqa: PLC0415

    results = []
    for folder in args.results:
        try:
            found = json.loads((folder / "conformance.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            print(f"cannot read results from {folder}: {error}", file=sys.stderr)
            return 2
        faults = violations("conformance-results", found)
        if faults:
            print(
                f"cannot use results from {folder}: conformance.json is not a results file of this kit "
                f"(schemas/conformance-results.schema.json, {faults[0]})",
                file=sys.stderr,
            )
            return 2
        results.append(found)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "index.html").write_text(render_html(catalog, results), encoding="utf-8")
    (args.out / "index.md").write_text(render_markdown(catalog, results), encoding="utf-8")
    print(f"wrote {args.out / 'index.html'} and {args.out / 'index.md'}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "rules":
        catalog = load_catalog(FEATURES_DIR)
        _print_rules(catalog, args.format)
        return 2 if catalog.problems else 0
    if args.command == "serve":
        return _serve(args)
    if args.command == "smoke":
        return _smoke(args)
    if args.command == "docs":
        return _docs(args)
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    extra: list[str] = []
    workers = 0 if args.workers is None else args.workers
    if args.target.startswith(("http://", "https://")):
        smoked, target = _smoked(args)
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
        if args.profile:
            extra.append(f"--profile={args.profile}")
        if args.allow_production:
            extra.append("--allow-production")
    if workers and not _names_workers(args.pytest_args):
        print(f"scenarios run in {workers} parallel workers (--workers 0 runs them one by one)", flush=True)
    chosen = _rule_ids(args.rule)
    if isinstance(chosen, str):
        print(f"refused: {chosen}", file=sys.stderr)
        return EXIT_REFUSED
    selection = [f"--rule={rule_id}" for rule_id in chosen]
    results = args.results or results_folder(args.target)
    with _only_the_kits_plugins():
        status = int(
            pytest.main(
                [
                    str(FEATURES_DIR),
                    f"--rootdir={PROJECT_ROOT}",
                    f"--target={args.target}",
                    "-q",
                    f"--results={results}",
                    *(f"-p{plugin}" for plugin in KIT_PLUGINS),
                    *extra,
                    *selection,
                    *(
                        [f"--numprocesses={workers}"]
                        if workers and not _names_workers(args.pytest_args)
                        else []
                    ),
                    *args.pytest_args,
                ]
            )
        )
    if (results / "report.html").exists():
        print(f"results: {results} (report.html, conformance.json, cucumber.json, junit.xml)")
    return status


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
            f"no rule {', '.join(unknown)} in the catalog (billing-conformance rules lists them); "
            "nothing was run"
        )
    return [known[rule_id.upper()] for rule_id in asked]


def _names_workers(pytest_args: Sequence[str]) -> bool:
    """Whether pytest's own arguments already choose the workers (``-n``, ``--numprocesses``)."""
    return any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in pytest_args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
