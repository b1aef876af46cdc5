"""The command line's arguments: one parser for every command, each ``--help`` showing the
defaults and the exit statuses of its command (see :mod:`billing_conformance.exits`).

The parser is also what ``docs/ci.md``'s test checks each command of the CI recipes against.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import NoReturn

from billing_conformance import __version__
from billing_conformance.exits import (
    EXIT_CONFORMS,
    EXIT_DOES_NOT_CONFORM,
    EXIT_INCONCLUSIVE,
    EXIT_OUTPUT_CLOSED,
    EXIT_SMOKE,
    EXIT_USAGE,
    EXIT_WARNINGS,
    TABLE,
    table,
)
from billing_conformance.workers import MAX_WORKERS, worker_count

__all__ = ["COMMANDS", "HTTP_WORKERS", "MAX_WORKERS", "parser"]

#: Default workers against an HTTP target whose scenarios cannot meet: a remote run waits on the
#: network, not on this machine, and four requests in flight stay well inside what a sandbox
#: tenant allows at once (Zuora counts concurrent requests per tenant).
HTTP_WORKERS = 4
COMMANDS = ("rules", "serve", "smoke", "run", "explore", "docs")

#: The exit statuses of each command but ``run`` (which has them all), in its own words.
_EPILOGS = {
    "explore": table(
        (EXIT_CONFORMS, EXIT_DOES_NOT_CONFORM, EXIT_USAGE, EXIT_INCONCLUSIVE),
        {
            EXIT_CONFORMS: "no history broke a rule it judges",
            EXIT_DOES_NOT_CONFORM: "a history broke a MUST rule (its counterexample is written)",
            EXIT_USAGE: "usage error: a target, a rule or a budget that cannot be used",
            EXIT_INCONCLUSIVE: "a fault of the harness or the target stopped the exploration",
        },
    ),
    "rules": table(
        (EXIT_CONFORMS, EXIT_USAGE, EXIT_OUTPUT_CLOSED),
        {
            EXIT_CONFORMS: "the catalog was printed",
            EXIT_USAGE: "usage error, or the catalog breaks its conventions (each PROBLEM is printed)",
        },
    ),
    "serve": table(
        (EXIT_CONFORMS, EXIT_USAGE),
        {
            EXIT_CONFORMS: "the server was stopped (Ctrl-C or SIGTERM)",
            EXIT_USAGE: "usage error: an implementation, a credential or an address that cannot be\n"
            "used; nothing was served",
        },
    ),
    "smoke": table(
        (EXIT_CONFORMS, EXIT_USAGE, EXIT_SMOKE),
        {EXIT_CONFORMS: "every check passed (a warning is said, and does not fail it)"},
    ),
    "run": TABLE,
    "docs": table(
        (EXIT_CONFORMS, EXIT_USAGE),
        {
            EXIT_CONFORMS: "the page and the Markdown were written",
            EXIT_USAGE: "usage error: a results folder that cannot be read, or an --out that cannot\n"
            "be written; nothing was written",
        },
    ),
}


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage mistake said in one line (and where to read more), exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


class _Help(argparse.RawDescriptionHelpFormatter):
    """The description and the epilog as written, and each option's default after its help
    (unless it has none, or its help already says it)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if (
            action.option_strings
            and default not in (None, False, [], argparse.SUPPRESS)
            and "default" not in text
        ):
            text += " (default: %(default)s)"
        return text


def _command(commands: argparse._SubParsersAction[_Parser], name: str, text: str) -> _Parser:
    return commands.add_parser(
        name, help=text, description=text, epilog=_EPILOGS[name], formatter_class=_Help
    )


def parser(description: str = "the billing-rules conformance kit") -> argparse.ArgumentParser:
    """The parser of ``billing-conformance`` and its commands."""
    top = _Parser(prog="billing-conformance", description=description, epilog=TABLE, formatter_class=_Help)
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = top.add_subparsers(dest="command", required=True)
    rules = _command(commands, "rules", "print the rule catalog")
    rules.add_argument(
        "--format", choices=("text", "json"), default="text", help="readable text, or JSON for tools"
    )
    _serve_arguments(_command(commands, "serve", "serve the reference implementation over HTTP"))
    for name, text in (("smoke", "check the basics of an HTTP target"), ("run", "run the conformance suite")):
        command = _command(commands, name, text)
        if name == "run":
            command.add_argument(
                "--target",
                default="inprocess",
                help="'inprocess', 'inprocess:MODULE:CLASS' (a subclass of reference_impl.Billing), or "
                "the base URL of an HTTP target",
            )
        else:  # smoke checks an HTTP target only: it refuses anything else
            command.add_argument(
                "--target",
                required=True,
                metavar="URL",
                help="the base URL of an HTTP target (http(s)://...)",
            )
        command.add_argument("--profile", type=Path, default=None, help="TOML profile of an HTTP target")
        command.add_argument(
            "--allow-production",
            action="store_true",
            help="allow one of Zuora's production hosts (the suite cancels and writes off!)",
        )
    _run_arguments(commands.choices["run"])
    from billing_conformance.explore.command import add_arguments  # noqa: PLC0415 - imports the steps

    add_arguments(_command(commands, "explore", "explore random histories, the rules as properties"))
    docs = _command(commands, "docs", "render the living documentation")
    docs.add_argument(
        "--results",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="a results folder (repeatable: several targets side by side)",
    )
    docs.add_argument(
        "--features",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="a project's own feature files, shown beside the kit's rules (repeatable; docs/extending.md)",
    )
    docs.add_argument(
        "--out",
        type=Path,
        default=Path("results") / "docs",
        metavar="DIR",
        help="where to write index.html and index.md",
    )
    return top


def _serve_arguments(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    serve.add_argument("--port", type=int, default=8080, help="the port to listen on (0: any free port)")
    serve.add_argument(
        "--implementation",
        default=None,
        metavar="MODULE:CLASS",
        help="a subclass of reference_impl.Billing to serve instead (a known-bad variant, say), "
        "as MODULE:CLASS (looked for in the current folder first) or FILE.py:CLASS",
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


def _run_arguments(run: argparse.ArgumentParser) -> None:
    run.add_argument(
        "--rule", action="append", default=[], metavar="ID", help="run only this rule (repeatable)"
    )
    run.add_argument(
        "--scenario",
        action="append",
        default=[],
        metavar="NAME",
        help="run only this scenario (every example of an outline), or one example: 'NAME [key=value, ...]' "
        "(repeatable)",
    )
    run.add_argument(
        "--strict",
        action="store_true",
        help="SHOULD warnings fail the run too: exit status "
        f"{EXIT_WARNINGS} when what was checked holds but a SHOULD scenario failed (to certify a vendor)",
    )
    run.add_argument(
        "--results",
        type=Path,
        default=None,
        metavar="DIR",
        help="where to write the results folder (default, in the current folder: results/<label> for a "
        "--label, results/<profile>-<target> for a --profile, else results/<target>; a --rule, "
        "--scenario, -k or -m selection adds --<selection> to the name, beside the full run)",
    )
    run.add_argument(
        "--import-path",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="look for the module of --target inprocess:MODULE:CLASS in DIR too, after the current "
        "folder (repeatable; the re-run "
        "commands name the folder a checkout variant was imported from)",
    )
    run.add_argument(
        "--label",
        default=None,
        metavar="NAME",
        help="what the results, the page and the default results folder call the target "
        "(default: the profile's name and the target, or the target)",
    )
    run.add_argument(
        "--traceback",
        action="store_true",
        help="show pytest's tracebacks of failures (the kit's and the framework's frames), for debugging",
    )
    run.add_argument(
        "--workers",
        type=worker_count,
        default=None,
        metavar="N",
        help="scenarios run in N parallel processes (pytest-xdist); 0 runs them one by one. Default: "
        f"{HTTP_WORKERS} for an HTTP target that isolates scenarios (control API version 2) or has no "
        "control API, else 0",
    )
    run.add_argument("pytest_args", nargs="*", help="further arguments for pytest (after --)")
