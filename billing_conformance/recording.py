"""Recording each scenario as it runs: steps and their results, the failing step, the message,
and the HTTP exchanges as evidence.

A record travels inside the pytest report (``user_properties``) as JSON, so the process that
writes the results sees the same records whether the scenarios ran in it or in pytest-xdist
workers. Secrets (as ``***``) and tenant ids (as ``{tenant}``: a tenant of the control API's
version 2 is open to whoever knows its id) are redacted before a record leaves the scenario.
"""

from __future__ import annotations

import json
import os
import shlex
import site
import sys
import time
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import Scenario, Step
from pytest_bdd.scenario import scenario_wrapper_template_registry

from billing_conformance import FEATURES_DIR
from billing_conformance.catalog import example_suffix, filled_name
from billing_conformance.extension import feature_name
from billing_conformance.folders import SUBSET_MARK, selection_slug, subset_folder, target_label
from schemas.jsonio import dumps
from steps.targets.secrets import TENANT_SHOWN, known_secrets, known_tenants, redact, remember_tenant

__all__ = [
    "RECORD_KEY",
    "Recorder",
    "failed_step",
    "failed_step_type",
    "redact",
    "rerun_command",
    "scenario_title",
]

RECORD_KEY = "conformance_record"
_STEPS = pytest.StashKey[list[dict[str, Any]]]()
_FAILED = pytest.StashKey[dict[str, Any]]()
_FAILED_TYPE = pytest.StashKey[str]()
_EXCHANGES_FROM = pytest.StashKey[int]()
_TARGET = pytest.StashKey[object]()
_STEP_STARTED = pytest.StashKey[tuple[float, int]]()
MAX_MESSAGE = 2000


def _tenants_met(tenant: str | None, evidence: list[dict[str, Any]]) -> list[str]:
    """The scenario's tenant, and any other the exchanges made or deleted (control API version 2)."""
    met = [] if tenant is None else [tenant]
    for exchange in evidence:
        body = exchange.get("response_body")
        if exchange.get("operation") == "create tenant" and isinstance(body, dict):
            met += [str(body["tenantId"])] if isinstance(body.get("tenantId"), str) else []
        elif exchange.get("operation") == "delete tenant":
            met.append(str(exchange.get("url", "")).split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1])
    return met


def _step_text(step: Step) -> str:
    return f"{step.keyword.strip()} {step.name}"


class Recorder:
    """pytest and pytest-bdd hooks that build one record per scenario."""

    # pluggy passes a hook implementation only the arguments it names.

    @pytest.hookimpl
    def pytest_bdd_before_scenario(self, request: pytest.FixtureRequest, scenario: Scenario) -> None:
        node = request.node
        node.stash[_STEPS] = [
            {
                "keyword": s.keyword.strip(),
                "text": s.name,
                "line": s.line_number,
                "status": "skipped",
                "duration": 0.0,
            }
            for s in scenario.steps
        ]
        target = request.getfixturevalue("target")
        node.stash[_TARGET] = target
        node.stash[_EXCHANGES_FROM] = _exchanges_sent(node)

    @pytest.hookimpl
    def pytest_bdd_before_step(self, request: pytest.FixtureRequest) -> None:
        request.node.stash[_STEP_STARTED] = (time.perf_counter(), _exchanges_sent(request.node))

    @pytest.hookimpl
    def pytest_bdd_after_step(self, request: pytest.FixtureRequest, step: Step) -> None:
        self._mark(request.node, step, "passed")

    @pytest.hookimpl
    def pytest_bdd_step_error(self, request: pytest.FixtureRequest, step: Step) -> None:
        self._mark(request.node, step, "failed")
        self._failed(request.node, step)

    @pytest.hookimpl
    def pytest_bdd_step_func_lookup_error(self, request: pytest.FixtureRequest, step: Step) -> None:
        self._mark(request.node, step, "undefined")
        self._failed(request.node, step)

    @staticmethod
    def _failed(node: pytest.Item, step: Step) -> None:
        node.stash[_FAILED] = {"keyword": step.keyword.strip(), "text": step.name, "line": step.line_number}
        node.stash[_FAILED_TYPE] = step.type  # given, when or then: "And" takes the type before it

    @staticmethod
    def _mark(node: pytest.Item, step: Step, status: str) -> None:
        """Set the step's status, how long it took and the exchanges it made (their positions
        among the scenario's exchanges, from ``firstExchange`` on, ``exchanges`` of them)."""
        started, sent_before = node.stash.get(_STEP_STARTED, (time.perf_counter(), _exchanges_sent(node)))
        for entry in node.stash.get(_STEPS, []):
            if (
                entry["line"] == step.line_number
                and entry["text"] == step.name
                and entry["status"] == "skipped"
            ):
                entry["status"] = status
                entry["duration"] = round(time.perf_counter() - started, 6)
                first = node.stash.get(_EXCHANGES_FROM, 0)
                entry["firstExchange"] = sent_before - first
                entry["exchanges"] = _exchanges_sent(node) - sent_before
                return

    def record(
        self,
        item: pytest.Item,
        rule: str,
        outcome: str,
        message: str | None,
        *,
        severity: str = "MUST",
        violation: dict[str, Any] | None = None,
        duration: float = 0.0,
    ) -> dict[str, Any]:
        """The record of ``item``'s scenario, as JSON-ready data.

        ``severity`` is MUST or SHOULD; ``violation`` names the operation, field, message and
        schema of a response that broke Zuora's published shape (None if none did); ``duration``
        is how long the scenario took, in seconds.
        """
        template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))  # type: ignore[arg-type]
        example = _example_of(item)
        feature = ""
        name = item.name
        if template is not None:
            feature = feature_name(item.config.rootpath, Path(template.feature.filename))
            name = template.name
        evidence: list[dict[str, Any]] = []
        secrets: list[str] = []
        tenant: str | None = None
        if _TARGET in item.stash:
            target = item.stash[_TARGET]
            secrets = known_secrets()  # the target's credentials and tokens among them
            tenant = getattr(target, "tenant", None)
            client = getattr(target, "client", None)
            for exchange in getattr(client, "exchanges", [])[item.stash.get(_EXCHANGES_FROM, 0) :]:
                # Numbers stay numbers (Decimal as exact JSON text, read back as a JSON number):
                # evidence shows what went over the wire, not a string standing in for it.
                evidence.append(
                    json.loads(dumps({f.name: getattr(exchange, f.name) for f in fields(exchange)}))
                )
            for met in _tenants_met(tenant, evidence):
                remember_tenant(met)
        record = {
            "id": f"{feature}::{name}{example_suffix(example)}",
            "nodeId": item.nodeid,
            "rule": rule,
            "feature": feature,
            "scenario": name,
            "title": filled_name(name, example),
            "example": example,
            "outcome": outcome,
            "severity": severity,
            "steps": item.stash.get(_STEPS, []),
            "failedStep": item.stash.get(_FAILED, None),
            "message": None if message is None else message[:MAX_MESSAGE],
            # Whether the scenario had a tenant of its own; its id is left out, as a credential.
            "tenant": None if tenant is None else TENANT_SHOWN,
            "requests": len(evidence),
            "exchanges": evidence,
            "contractViolation": violation,
            "rerun": rerun_command(item.config, rule, f"{name}{example_suffix(example)}")
            if not _projects_own(item, template)
            else pytest_rerun(item, rule, f"{name}{example_suffix(example)}"),
            "duration": round(duration, 6),
        }
        return redact(record, secrets, known_tenants())  # type: ignore[return-value]


def rerun_command(config: pytest.Config, rule: str, scenario: str) -> str:
    """The command that runs one scenario again against the same target, from any folder and
    without the console script on PATH: this interpreter (by its absolute path, so its
    environment too) with ``-m billing_conformance run``, then

    * ``--import-path DIR`` for a checkout variant (``inprocess:tests.known_bad:X``): the folder
      its module was imported from, unless that is where Python finds installed packages;
    * the target (a ``FILE.py:CLASS`` by its absolute path), the profile by its absolute path,
      ``--allow-production`` if it was given, and ``--label`` if the run's label is not the one
      the re-run would have by default;
    * ``--results``: beside the run's folder (:func:`~billing_conformance.folders.subset_folder`),
      never over it; a re-run of a re-run lands beside the full run too;
    * the rule and the scenario (with its example values, for one example of an outline).
    """
    target = str(config.getoption("--target", default="inprocess"))
    words = [os.path.abspath(sys.executable), "-m", "billing_conformance", "run"]
    target, root = _portable_target(target)
    words += ["--import-path", root] if root else []
    words += ["--target", target]
    profile = config.getoption("--profile", default=None)
    if profile:
        words += ["--profile", os.path.abspath(profile)]
    if config.getoption("--allow-production", default=False):
        words.append("--allow-production")
    label = config.getoption("--label", default=None)
    if label and label != target_label(target, os.path.abspath(profile) if profile else None):
        words += ["--label", str(label)]
    results = config.getoption("--results", default=None)
    if results:
        words += ["--results", str(_rerun_folder(config, Path(os.path.abspath(results)), rule, scenario))]
    words += ["--rule", rule, "--scenario", scenario]
    return shlex.join(words)


def _projects_own(item: pytest.Item, template: object) -> bool:
    """Whether ``item`` is a scenario of a project that extends the kit (docs/extending.md): its
    feature is not the kit's, and the session took the kit's plugins as a project does."""
    filename = getattr(getattr(template, "feature", None), "filename", None)
    if filename is None or Path(filename).resolve().is_relative_to(FEATURES_DIR):
        return False
    return item.config.pluginmanager.has_plugin("billing_conformance.kit")


def pytest_rerun(item: pytest.Item, rule: str, scenario: str) -> str:
    """The command that runs a project's own scenario again (docs/extending.md), which ``run``
    does not know: this interpreter with ``-m pytest``, the project's root directory, the test by
    its file's absolute path and its name, then the target, profile and results as
    :func:`rerun_command` gives them (``--import-path`` aside: a variant must be importable)."""
    config = item.config
    words = [os.path.abspath(sys.executable), "-m", "pytest", f"--rootdir={config.rootpath}"]
    words += [
        f"{item.path}::{item.name}",
        "--target",
        _portable_target(str(config.getoption("--target", default="inprocess")))[0],
    ]
    profile = config.getoption("--profile", default=None)
    words += ["--profile", os.path.abspath(profile)] if profile else []
    words += ["--allow-production"] if config.getoption("--allow-production", default=False) else []
    results = config.getoption("--results", default=None)
    if results:
        words += ["--results", str(_rerun_folder(config, Path(os.path.abspath(results)), rule, scenario))]
    return shlex.join(words)


def _rerun_folder(config: pytest.Config, results: Path, rule: str, scenario: str) -> Path:
    """Beside the full run written in ``results`` (or in the folder ``results`` is a subset of)."""
    current = selection_slug(
        [*(config.getoption("--rule", default=[]) or []), *(config.getoption("--scenario", default=[]) or [])]
    )
    if current and results.name.endswith(f"{SUBSET_MARK}{current}"):
        results = results.with_name(results.name.removesuffix(f"{SUBSET_MARK}{current}"))
    return subset_folder(results, [rule, scenario])


def _portable_target(target: str) -> tuple[str, str | None]:
    """``target`` as it reads from any folder (a variant's file by its absolute path), and the
    folder its module must be imported from (None when Python finds it anyway)."""
    if not target.startswith("inprocess:"):
        return target, None
    where, _, class_name = target.removeprefix("inprocess:").rpartition(":")
    if where.endswith(".py") or "/" in where or os.sep in where:
        return f"inprocess:{os.path.abspath(where)}:{class_name}", None
    module = sys.modules.get(where)
    found = getattr(module, "__file__", None)
    if not where or not found:
        return target, None
    path = Path(os.path.abspath(found))
    package = path.parent if path.name == "__init__.py" else path
    root = package.parents[where.count(".")]
    installed = {os.path.abspath(p) for p in (*site.getsitepackages(), site.getusersitepackages())}
    return target, None if str(root) in installed else str(root)


def scenario_title(item: pytest.Item) -> str | None:
    """The scenario's name, with its example values for one example of an outline (as the
    results name it); None for a test that is no scenario."""
    template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))  # type: ignore[arg-type]
    if template is None:
        return None
    return f"{template.name}{example_suffix(_example_of(item))}"


def _example_of(item: pytest.Item) -> dict[str, str]:
    callspec = getattr(item, "callspec", None)
    return dict(callspec.params.get("_pytest_bdd_example", {})) if callspec is not None else {}


def _exchanges_sent(node: pytest.Item) -> int:
    """How many exchanges the scenario's target has made so far (0 in-process)."""
    target = node.stash.get(_TARGET, None)
    return len(getattr(getattr(target, "client", None), "exchanges", []))


def failed_step_type(item: pytest.Item) -> str | None:
    """The type (``given``, ``when``, ``then``) of the step that failed in ``item``, if one did."""
    return item.stash.get(_FAILED_TYPE, None)


def failed_step(item: pytest.Item) -> dict[str, Any] | None:
    """The keyword, text and line of the step that failed in ``item``, if one did."""
    return item.stash.get(_FAILED, None)
