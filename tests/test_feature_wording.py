"""The features read as business documentation: no field or wire names, one spelling of
"canceled", each shared decision stated once, and every refusal saying why.

What is checked, and where (``Decision (...)`` paragraphs are exempt from the first two, since a
decision about Zuora's API may cite its names):

* field names (camelCase words, ``__c`` custom-field names): everywhere else in a feature, and in
  the patterns of the step definitions;
* wire words ("request", "response", "HTTP", "JSON", "API", "endpoint"): in feature, rule and
  scenario titles, steps and tables (a ``Source:`` line may cite "Zuora API reference" or the
  document's section "... using the REST API");
* spelling: "cancelled" only where Zuora's subscription status ``Cancelled`` is meant, which the
  text says by writing it right after "subscription" (``the subscription cancelled``, ``the
  "Basic Monthly" subscription of "Acme" is cancelled``); "canceled" everywhere else, and never
  "cancelling";
* a refusal step ("... is refused", "rejected", "turned down") says why, with "because";
* the same decision paragraph in two features (say it once, in ``features/shared.feature``).

Each check is shown to fail on a small bad sample.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from gherkin.parser import Parser

from billing_conformance import FEATURES_DIR

STEPS_DIR = Path(__file__).resolve().parent.parent / "steps"
FEATURES = sorted(FEATURES_DIR.rglob("*.feature"))

FIELD_NAME = re.compile(r"\b[a-z]+(?:[A-Z][a-z0-9]*)+\b|\b\w+__c\b")
WIRE_WORD = re.compile(r"\b(?:requests?|responses?|HTTP|JSON|APIs?|endpoints?)\b", re.IGNORECASE)
CANCELLED = re.compile(r"\bcancell(?:ed|ing)\b", re.IGNORECASE)
#: "cancelled" right after "subscription" (optionally: of "<customer>", is), in prose or in a rule ID.
SUBSCRIPTION_CANCELLED = re.compile(
    r'\bsubscription(?:[ -]of "[^"]*")?(?:[ -]is)?[ -]cancelled\b', re.IGNORECASE
)
REFUSAL = re.compile(r"\b(?:refused|rejected|turned down)\b", re.IGNORECASE)
DECISION = re.compile(r"^Decision\b")


@dataclass(frozen=True)
class Text:
    """One piece of a feature: ``kind`` is title, step, table, description or decision."""

    kind: str
    line: int
    text: str


def _paragraphs(description: str, line: int) -> Iterator[Text]:
    """A description's paragraphs (a ``Source:`` or ``Decision`` line starts a new one)."""
    current: list[str] = []
    start = line
    for offset, raw in enumerate([*description.splitlines(), ""]):
        stripped = raw.strip()
        if current and (not stripped or stripped.startswith(("Source:", "Decision"))):
            joined = " ".join(current)
            yield Text("decision" if DECISION.match(joined) else "description", start, joined)
            current = []
        if stripped:
            if not current:
                start = line + offset
            current.append(stripped)


def _table(rows: list[dict[str, Any]]) -> Iterator[Text]:
    for row in rows:
        cells = " | ".join(str(cell["value"]) for cell in row["cells"])
        yield Text("table", int(row["location"]["line"]), cells)


def _steps(node: dict[str, Any]) -> Iterator[Text]:
    for step in node.get("steps") or []:
        yield Text("step", step["location"]["line"], step["text"])
        if step.get("dataTable"):
            yield from _table(step["dataTable"]["rows"])
        if step.get("docString"):
            yield Text("table", step["location"]["line"], step["docString"]["content"])


def _node(node: dict[str, Any]) -> Iterator[Text]:
    """The titles, descriptions, steps and tables of a feature, rule, background or scenario."""
    location = node.get("location") or {}
    line = int(location.get("line", 1))
    if node.get("name"):
        yield Text("title", line, str(node["name"]))
    if node.get("description"):
        yield from _paragraphs(str(node["description"]), line + 1)
    yield from _steps(node)
    for examples in node.get("examples") or []:
        if examples.get("name"):
            yield Text("title", examples["location"]["line"], examples["name"])
        if examples.get("tableHeader"):
            yield from _table([examples["tableHeader"], *examples.get("tableBody", [])])
    for child in node.get("children") or []:
        for key in ("rule", "background", "scenario"):
            if key in child:
                yield from _node(child[key])


def feature_texts(text: str) -> list[Text]:
    document = Parser().parse(text)
    feature: dict[str, Any] | None = document.get("feature")  # type: ignore[assignment]
    return list(_node(feature)) if feature else []


def wording_problems(text: str) -> list[str]:
    """What in one feature's text breaks the wording rules, one line each."""
    problems: list[str] = []
    for piece in feature_texts(text):
        where = f"line {piece.line} ({piece.kind})"
        if piece.kind != "decision":
            problems += [f"{where}: field name {m!r}" for m in FIELD_NAME.findall(piece.text)]
        if piece.kind in ("title", "step", "table"):
            problems += [f"{where}: wire word {m!r}" for m in WIRE_WORD.findall(piece.text)]
        if piece.kind == "step" and REFUSAL.search(piece.text) and "because" not in piece.text:
            problems.append(f"{where}: a refusal that does not say why: {piece.text!r}")
    problems += spelling_problems(text)
    return problems


def spelling_problems(text: str) -> list[str]:
    """The word "cancelled" (or "cancelling") anywhere but right after "subscription"."""
    allowed = {m.span() for m in SUBSCRIPTION_CANCELLED.finditer(text)}
    problems = []
    for match in CANCELLED.finditer(text):
        if not any(start <= match.start() < end for start, end in allowed) or match.group().lower() != (
            "cancelled"
        ):
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"line {line}: spelling {match.group()!r} (write 'canceled')")
    return problems


def decisions_of(text: str) -> list[str]:
    return [" ".join(p.text.split()) for p in feature_texts(text) if p.kind == "decision"]


def repeated_decisions(features: dict[str, str]) -> list[str]:
    """Decision paragraphs stated in more than one feature (or twice in one)."""
    seen: dict[str, list[str]] = {}
    for name, text in features.items():
        for decision in decisions_of(text):
            seen.setdefault(decision, []).append(name)
    return [f"{names}: {decision[:80]}..." for decision, names in seen.items() if len(names) > 1]


def step_patterns(source: str) -> list[str]:
    """The text of every step definition in a step module: the first string argument of a
    ``@given/@when/@then`` decorator, directly or through ``step(...)`` / ``parsers.re(...)``."""
    patterns: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            if not (isinstance(decorator, ast.Call) and getattr(decorator.func, "id", "") in _KEYWORDS):
                continue
            argument = decorator.args[0]
            if isinstance(argument, ast.Call):
                argument = argument.args[0]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                patterns.append(argument.value)
            elif isinstance(argument, ast.JoinedStr | ast.BinOp):
                patterns.append(ast.unparse(argument))
    return patterns


_KEYWORDS = {"given", "when", "then"}
STEP_MODULES = sorted(p for p in STEPS_DIR.glob("*.py") if p.name not in ("__init__.py", "support.py"))


def pattern_problems(pattern: str) -> list[str]:
    problems = [f"field name {m!r}" for m in FIELD_NAME.findall(pattern)]
    problems += [f"wire word {m!r}" for m in WIRE_WORD.findall(pattern)]
    problems += spelling_problems(pattern)
    if REFUSAL.search(pattern) and "because" not in pattern:
        problems.append("a refusal that does not say why")
    return problems


# -- The shipped features and steps --------------------------------------------------------------


@pytest.mark.parametrize("path", FEATURES, ids=lambda p: str(p.relative_to(FEATURES_DIR)))
def test_each_feature_reads_as_business_documentation(path: Path) -> None:
    assert wording_problems(path.read_text(encoding="utf-8")) == []


def test_no_decision_is_stated_in_two_features() -> None:
    features = {str(p.relative_to(FEATURES_DIR)): p.read_text(encoding="utf-8") for p in FEATURES}
    assert repeated_decisions(features) == []


def test_the_shared_feature_has_decisions_and_nothing_else() -> None:
    (shared,) = [p for p in FEATURES if "@shared" in p.read_text(encoding="utf-8").split("Feature:")[0]]
    text = shared.read_text(encoding="utf-8")
    assert decisions_of(text)
    assert not [p for p in feature_texts(text) if p.kind in ("step", "table")]


def test_step_definitions_use_the_same_words() -> None:
    patterns = [p for module in STEP_MODULES for p in step_patterns(module.read_text(encoding="utf-8"))]
    assert len(patterns) > 50, "the step definitions were not found"
    assert {p: pattern_problems(p) for p in patterns if pattern_problems(p)} == {}


# -- Each check can fail --------------------------------------------------------------------------

_GOOD = """\
Feature: Good words
  Decision (MUST): Zuora's cancelOnce and CancelReason__c may be cited here, in a request.

  @AB-ONE
  Rule: The subscription cancelled as of a date stays canceled
    Source: "A document", Zuora API reference

    Example: Canceled
      When the bill run is canceled
      Then the cancellation is refused because a business rule forbids it
      And the "Basic Monthly" subscription of "Acme" is cancelled as of 2026-03-16
"""

BAD_SAMPLES = {
    "camelCase in a step": ('When the order sets writeOff to "yes"', "field name 'writeOff'"),
    "custom field in a step": ('Then it shows "x" in CancelReason__c', "field name 'CancelReason__c'"),
    "camelCase in a table": ("Given these options:\n      | processingOptions | yes |", "field name"),
    "wire word in a step": ("Then the response names the order", "wire word 'response'"),
    "wire word in a table": ("Given these options:\n      | JSON body | yes |", "wire word 'JSON'"),
    "British spelling of a bill run": ("Then the bill run is cancelled", "spelling 'cancelled'"),
    "cancelling": ("When cancelling the bill run", "spelling 'cancelling'"),
    "refusal without a reason": ("Then the order is refused", "does not say why"),
    "turned down without a reason": ("Then the order is turned down", "does not say why"),
}


def _sample(step: str) -> str:
    return f"Feature: Bad\n  @AB-ONE\n  Rule: A rule\n    Source: D\n    Example: One\n      {step}\n"


def test_the_good_sample_passes() -> None:
    assert wording_problems(_GOOD) == []
    assert pattern_problems('the "{plan}" subscription of "{name}" is cancelled as of {day:Date}') == []


@pytest.mark.parametrize(("step", "expected"), BAD_SAMPLES.values(), ids=BAD_SAMPLES.keys())
def test_each_check_fails_on_a_bad_sample(step: str, expected: str) -> None:
    problems = wording_problems(_sample(step))
    assert any(expected in p for p in problems), problems
    if "|" not in step:  # a step definition has no table
        assert any(expected in p for p in pattern_problems(step)), step


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Example: The request does not say", "wire word 'request'"), ("Rule: The API refuses", "wire word")],
)
def test_titles_are_checked_too(title: str, expected: str) -> None:
    keyword = title.partition(":")[0]
    text = _sample("Given x").replace("Example: One" if keyword == "Example" else "Rule: A rule", title)
    assert any(expected in p for p in wording_problems(text))


def test_a_field_name_outside_a_decision_is_caught_in_a_description() -> None:
    text = _sample("Given x").replace("    Source: D\n", "    Source: D (the writeOffBehavior field)\n")
    assert any("writeOffBehavior" in p for p in wording_problems(text))


def test_cancelled_of_a_bill_run_in_a_decision_is_caught() -> None:
    decision = "    Source: D\n    Decision (MUST): a bill run once cancelled.\n"
    text = _sample("Given x").replace("    Source: D\n", decision)
    assert any("spelling" in p for p in wording_problems(text))


def test_a_decision_in_two_features_is_caught() -> None:
    one = "Feature: A\n  Decision (MUST): a refusal changes\n  nothing.\n"
    two = "Feature: B\n  Decision (MUST): a refusal   changes nothing.\n"
    assert repeated_decisions({"a": one, "b": two})
    assert repeated_decisions({"a": one, "b": "Feature: B\n  Decision (MUST): another.\n"}) == []


def test_step_patterns_are_found_through_every_decorator_form() -> None:
    source = (
        "@then('the order is refused')\ndef _(): ...\n"
        "@when(step('a {x} request'), target_fixture='y')\ndef _(): ...\n"
        "@then(parsers.re(r'the invoice is (?:still )?cancelled'))\ndef _(): ...\n"
    )
    patterns = step_patterns(source)
    assert len(patterns) == 3
    assert all(pattern_problems(p) for p in patterns), patterns
