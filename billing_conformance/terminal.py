"""What a run shows while it goes on: one line per scenario, by rule and name, and each failure in
the feature's own words (the rule, the scenario, the step, what was expected and observed) with
the command that runs that scenario again.

In a terminal that takes colour (or with ``--color=yes``) a line starts with a coloured mark;
otherwise it starts with a plain word, so that a CI log reads the same without escape codes.
pytest's own tracebacks are left out of ``billing-conformance run`` unless ``--traceback``
asks for them.

Whatever a target said (a refusal's message, an id, a field's value) reaches the terminal only
through :func:`for_terminal`, which replaces each character a terminal would act on by its
written escape (ESC becomes the four characters ``\\x1b``): control characters (C0, DEL and C1,
so ESC, CSI and OSC sequences are shown, not obeyed), format characters (bidi overrides and
isolates among them), line and paragraph separators, and lone surrogates. The smoke check,
``run``'s lines and every error line of the command line use it.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Generator, Mapping
from typing import Any

import pytest

from billing_conformance.catalog import SHOULD, filled_name
from billing_conformance.recording import RECORD_KEY
from billing_conformance.verdicts import ERRORED, FAILED, NOT_APPLICABLE, PASSED

__all__ = ["Live", "failure_lines", "first_words", "for_terminal", "scenario_line", "title", "verdict_word"]

_MARK = {PASSED: "✓", FAILED: "✗", ERRORED: "!", NOT_APPLICABLE: "-"}
_WORD = {PASSED: "passed", FAILED: "FAILED", ERRORED: "ERRORED", NOT_APPLICABLE: "n/a"}
_COLOUR: dict[str, dict[str, bool]] = {
    PASSED: {"green": True},
    FAILED: {"red": True, "bold": True},
    ERRORED: {"red": True},
    NOT_APPLICABLE: {"yellow": True},
    "warning": {"yellow": True, "bold": True},
}
#: The most lines of a failure's message shown under its scenario (the results keep it whole).
MESSAGE_LINES = 12
#: Where pytest's assertion rewriting appends its own account of a failed ``assert``: a step's
#: message already says what was expected and observed, in the feature's words.
_PYTEST_EXPLANATION = "\nassert "


#: Unicode categories a terminal acts on, or that reorder or hide what follows: controls, format
#: characters (bidi overrides U+202A-U+202E and isolates U+2066-U+2069 among them), surrogates,
#: line and paragraph separators.
_ACTED_ON = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def _shown(char: str) -> str:
    if unicodedata.category(char) not in _ACTED_ON:
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def for_terminal(text: object) -> str:
    """``text`` safe to print: each character a terminal would act on written as its escape."""
    return "".join(map(_shown, str(text)))


def title(record: Mapping[str, Any]) -> str:
    """A scenario's name as a reader sees it, an outline's placeholders filled in with its example's
    values (``A completed bill run``): the record's ``title``, or made from its name and example."""
    return str(record.get("title") or filled_name(str(record["scenario"]), record.get("example") or {}))


def verdict_word(record: Mapping[str, Any]) -> str:
    """``passed``, ``FAILED``, ``ERRORED``, ``n/a`` or ``WARNING`` (a SHOULD scenario that failed)."""
    state = _state(record)
    return "WARNING" if state == "warning" else _WORD[state]


def _state(record: Mapping[str, Any]) -> str:
    outcome = str(record["outcome"])
    if (
        outcome in (FAILED, ERRORED)
        and record.get("severity") == SHOULD
        and not record.get("contractViolation")
    ):
        return "warning"
    return outcome


def scenario_line(record: Mapping[str, Any], *, fancy: bool) -> tuple[str, dict[str, bool]]:
    """The progress line of one finished scenario and its colour; ``fancy``: a mark, else a word."""
    state = _state(record)
    if fancy:
        mark = "!" if state == "warning" else _MARK[state]
        head = f"{mark} "
    else:
        head = f"{verdict_word(record):<8}"
    return for_terminal(f"{head}{record['rule']:<30} {title(record)}"), _COLOUR[state]


def first_words(message: str | None) -> str:
    """A step's message without pytest's explanation of the ``assert`` behind it."""
    return (message or "").split(_PYTEST_EXPLANATION, 1)[0].strip()


def failure_lines(record: Mapping[str, Any]) -> list[str]:
    """How a failed or errored scenario failed: the step (with its place in the feature), the
    message in the step's words, and the command that runs the scenario again; why a scenario
    was not applicable."""
    if record["outcome"] == NOT_APPLICABLE:
        reason = " ".join(str(record.get("message") or "no reason was given").split())
        return [for_terminal(f"    {reason if reason.startswith('not applicable') else 'reason: ' + reason}")]
    if record["outcome"] not in (FAILED, ERRORED):
        return []
    lines: list[str] = []
    step = record.get("failedStep")
    if step:
        lines.append(f"    step: {step['keyword']} {step['text']}  ({record['feature']}:{step['line']})")
    message = first_words(record.get("message")).splitlines()
    lines += [f"    {line}" for line in message[:MESSAGE_LINES]]
    if len(message) > MESSAGE_LINES:
        lines.append(f"    ... ({len(message) - MESSAGE_LINES} more lines in conformance.json)")
    if record.get("rerun"):
        lines.append(f"    again: {record['rerun']}")
    return [for_terminal(line) for line in lines]


class Live:
    """One line per finished scenario instead of pytest's dots (``--progress names``)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    @pytest.hookimpl(wrapper=True)
    def pytest_report_teststatus(
        self, report: pytest.TestReport
    ) -> Generator[None, tuple[str, str, str], tuple[str, str, str]]:
        category, letter, word = yield
        if RECORD_KEY in dict(report.user_properties):
            return category, "", ""  # counted as before, but shown by pytest_runtest_logreport
        return category, letter, word

    @pytest.hookimpl(trylast=True)  # after the summary took the record: a line shown is a scenario counted
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props = dict(report.user_properties)
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if RECORD_KEY not in props or reporter is None:
            return
        record = json.loads(str(props[RECORD_KEY]))
        line, colour = scenario_line(record, fancy=bool(reporter.hasmarkup))
        reporter.write_line(line, **colour)
        for detail in failure_lines(record):
            reporter.write_line(detail)
