"""How a scenario is judged: which rule it encodes, and what its failure means.

Only a step's own check (an ``AssertionError`` in a ``When`` or ``Then``, in the feature's words)
observes a rule broken: the scenario *failed*. Anything else that stops a scenario is *errored*,
so that no rule is blamed for what its statement does not name: a ``Given`` (Background
included) that fails in any way ("could not arrange the scenario: Given ..."); a
:class:`steps.targets.HarnessError` (the transport, credentials, the protocol, the target failing
with HTTP 5xx or an exception inside an in-process implementation, a step that cannot observe
its rule); an undefined step; a response out of Zuora's published shape; or any other exception,
a fault of the kit itself.
"""

from __future__ import annotations

from typing import Any

import pytest
from pytest_bdd.exceptions import StepDefinitionNotFoundError
from pytest_bdd.scenario import scenario_wrapper_template_registry

from billing_conformance.catalog import MUST, SHOULD, SHOULD_TAG
from billing_conformance.recording import failed_step, failed_step_type
from billing_conformance.terminal import first_words
from billing_conformance.verdicts import ERRORED, FAILED
from steps.targets import ArrangementError, ContractViolationError, HarnessError

__all__ = ["ARRANGING", "judged", "rule_of", "violation_of"]

ARRANGING = "could not arrange the scenario"


def rule_of(item: pytest.Item) -> tuple[str, str, str] | None:
    """The rule ID, statement and severity of ``item``'s rule (None for anything else)."""
    marker = item.get_closest_marker("rule")
    if marker is None:
        return None
    template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))  # type: ignore[arg-type]
    statement, severity = "", MUST
    if template is not None and template.rule is not None:
        statement = template.rule.name
        if SHOULD_TAG in template.rule.tags or SHOULD_TAG in template.feature.tags:
            severity = SHOULD
    return str(marker.args[0]), statement, severity


def violation_of(error: BaseException) -> dict[str, Any] | None:
    if not isinstance(error, ContractViolationError):
        return None
    return {
        "operation": error.operation,
        "field": error.field,
        "message": error.message,
        "schema": error.schema,
    }


def judged(
    item: pytest.Item, report: pytest.TestReport, excinfo: pytest.ExceptionInfo[BaseException]
) -> tuple[str, str]:
    """The outcome of a failed scenario and its message."""
    error = excinfo.value
    if isinstance(error, ContractViolationError):
        detail = f"the target broke the wire contract: {error}"
    elif isinstance(error, ArrangementError):
        detail = f"{error.operation} was refused: {error.message}"
    elif isinstance(error, AssertionError):  # a step's own account, in the feature's words
        detail = first_words(str(error)) or "a check of the step failed"
    elif isinstance(error, HarnessError):  # says what failed, in its own words
        detail = str(error)
    elif excinfo.errisinstance(StepDefinitionNotFoundError):
        detail = excinfo.exconly()
    else:  # a fault of the kit itself, never of the target's behaviour
        detail = f"the kit could not carry the step out: {excinfo.exconly()}"
    step = failed_step(item)
    if step is not None and failed_step_type(item) == "given":
        return ERRORED, f"{ARRANGING}: Given {step['text']}: {detail}"
    # Only a step's own check, in a When or Then, observes the rule broken; anything else that
    # went wrong (the harness, the connection, the protocol, the target failing) is errored.
    if not isinstance(error, AssertionError) or report.when != "call":
        return ERRORED, detail
    return FAILED, detail
