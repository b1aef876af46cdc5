"""One fault, one verdict, whatever the transport (issue 21).

An implementation that raises where it should answer is judged the same whether it runs in this
process (the exception becomes ``TargetFailedError``) or behind ``billing-conformance serve``
(which answers HTTP 500, which the HTTP target turns into the same error): every scenario that
met the fault is *errored*, the same ones both ways, no rule is broken, and the run is
inconclusive.

The server runs as users start it, in a process of its own. (In this process, its thread would
format each exception's traceback while pytest formats the scenario's failure, and CPython
3.11.7's parser, which both call, is not safe for that: "AST constructor recursion depth
mismatch".)
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from billing_conformance import PROJECT_ROOT
from billing_conformance.exits import EXIT_INCONCLUSIVE
from tests.suite_runner import SuiteResult, run_suite


@contextmanager
def _served(implementation: str, folder: Path) -> Iterator[str]:
    """``billing-conformance serve --implementation ...`` on a free port; its base URL."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "billing_conformance.cli",
            "serve",
            "--port",
            "0",
            "--implementation",
            implementation,
        ],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert " on http://" in line, line
        yield line.split(" on ", 1)[1].split()[0].rstrip(":,")
    finally:
        server.terminate()
        server.wait(timeout=30)


def _verdicts(result: SuiteResult) -> dict[str, dict[str, str]]:
    """Each rule's scenarios by name (not by node id, which differs by where the features sit)."""
    return {
        rule: {node.split("::", 1)[-1]: outcome for node, outcome in scenarios.items()}
        for rule, scenarios in result.outcomes.items()
    }


#: Rules each variant's fault meets (as an arrangement, an operation expected to succeed, one
#: expected to be refused) and a rule it does not; a selection keeps the run over HTTP short.
_RULES = {
    "CancelingFails": ("BR-CANCEL-COMPLETED", "BR-CANCEL-POSTED-RUN", "BR-VIEW-CANCELED", "BR-DELETE"),
    "WritingOffFails": (
        "WO-UNPAID-INVOICES-CLEARED",
        "WO-NEEDS-INVOICE-SETTLEMENT",
        "WO-NO-PAYMENT-COLLECTION",
        "WO-ONLY-WHEN-ASKED",
    ),
}


@pytest.mark.parametrize("variant", sorted(_RULES))
def test_an_implementation_that_raises_gets_the_same_verdict_in_process_and_over_http(
    pytester: pytest.Pytester, tmp_path: Path, variant: str
) -> None:
    chosen = [f"--rule={rule}" for rule in _RULES[variant]]
    in_process = run_suite(pytester, f"inprocess:tests.failing_billing:{variant}", *chosen)
    with _served(f"tests.failing_billing:{variant}", tmp_path) as url:
        over_http = run_suite(pytester, url, *chosen)
    assert _verdicts(in_process) == _verdicts(over_http)
    for result in (in_process, over_http):
        assert result.ret == EXIT_INCONCLUSIVE
        assert result.broken == set(), "a rule was blamed for the target failing"
        assert result.rules_with("errored")
        assert result.rules_with("passed"), "the rules the fault does not meet are judged as usual"
    # The message names the operation and how the target failed, in either case.
    assert all("the target failed (" in message for message in in_process.messages.values())
    assert any("the target failed (HTTP 500)" in message for message in over_http.messages.values())
    assert any(
        "RuntimeError: database on fire" in m or "ValueError: ledger locked" in m
        for m in in_process.messages.values()
    )
