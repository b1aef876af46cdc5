"""The served OpenAPI document is usable by tools, and the server keeps to it under fuzzing.

The document must be valid OpenAPI 3.1 and self-contained (no reference leaves it). Schemathesis
then runs every check it has against a real reference server on loopback, in all its phases,
the stateful one included (it follows the document's links, tests/test_openapi_links.py): no
server errors, no answer outside its declared schema or status, no schema-valid request refused,
no invalid one accepted. Only the operations the document says may refuse a valid request by a
rule of state or a relation between fields (``RULE_REFUSALS``) may answer such a request with
400 (tests/schemathesis.toml). The run is bounded and repeatable (a fixed seed, a fixed number
of examples per operation, a fresh server; under a minute on two cores); set
``BC_FUZZ_EXAMPLES`` and ``BC_FUZZ_SEED`` to search longer or elsewhere.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import requests
from openapi_spec_validator import validate

from reference_impl.server.openapi import RULE_REFUSALS
from tests.servers import running_server

CONFIG = Path(__file__).with_name("schemathesis.toml")


def _document() -> dict[str, Any]:
    with running_server() as server:
        document: dict[str, Any] = requests.get(f"{server.url}/openapi.json", timeout=30).json()
    return document


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref" and isinstance(v, str)] + [
            ref for v in node.values() for ref in _refs(v)
        ]
    if isinstance(node, list):
        return [ref for v in node for ref in _refs(v)]
    return []


def test_the_document_is_valid_openapi_and_self_contained() -> None:
    document = _document()
    validate(document)
    refs = _refs(document)
    assert refs
    assert all(ref.startswith("#/components/schemas/") for ref in refs), {r for r in refs if r[0] != "#"}
    assert "billing-conformance.example" not in json.dumps(document)


def test_every_operation_declares_its_path_parameters_and_answers() -> None:
    for path, operations in _document()["paths"].items():
        declared_in_path = {part[1:-1] for part in path.split("/") if part.startswith("{")}
        for method, operation in operations.items():
            named = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert named == declared_in_path, f"{method} {path}"
            for status, answer in operation["responses"].items():
                schema = answer["content"]["application/json"]["schema"]
                assert schema, f"{method} {path} {status}"


def test_only_the_operations_the_document_names_may_refuse_valid_requests() -> None:
    """The fuzzer's allowance (400 for a valid request) and the document's word are one list."""
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    allowed = [
        operation_id
        for block in config["operations"]
        if "400" in block["checks"]["positive_data_acceptance"]["expected-statuses"]
        for operation_id in block["include-operation-id"]
    ]
    assert sorted(allowed) == sorted(RULE_REFUSALS)
    assert "400" not in config["checks"]["positive_data_acceptance"]["expected-statuses"]
    document = _document()
    operations = {op["operationId"]: op for methods in document["paths"].values() for op in methods.values()}
    for operation_id, why in RULE_REFUSALS.items():
        assert why in operations[operation_id]["responses"]["400"]["description"], operation_id


def test_every_operation_that_takes_a_body_declares_what_it_answers_to_a_bad_one() -> None:
    for path, operations in _document()["paths"].items():
        for method, operation in operations.items():
            if "requestBody" not in operation:
                continue
            declared = set(operation["responses"])
            assert "400" in declared, f"{method} {path}"
            if "application/json" in operation["requestBody"]["content"]:
                assert {"413", "415"} <= declared, f"{method} {path}"


def test_schemathesis_finds_no_fault(tmp_path: Path) -> None:
    st = shutil.which("st", path=str(Path(sys.executable).parent))
    assert st is not None, "schemathesis is a dev dependency"
    examples = os.environ.get("BC_FUZZ_EXAMPLES", "12")
    seed = os.environ.get("BC_FUZZ_SEED", "20261122")
    with running_server() as server:
        finished = subprocess.run(
            [
                st,
                "--config-file",
                str(CONFIG),
                "run",
                f"{server.url}/openapi.json",
                "--checks",
                "all",
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--max-examples",
                examples,
                "--seed",
                seed,
                "--workers",
                "1",
                "--no-color",
                "--report",
                "json",
                "--report-json-path",
                str(tmp_path / "run.json"),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            cwd=tmp_path,  # schemathesis keeps a cache folder where it runs
        )
    report = finished.stdout[-6000:]
    assert finished.returncode == 0, report
    assert " passed" in report or "No issues found" in report, report
    run = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert run["phases"]["stateful"]["status"] == "success", run["phases"]
    covered = re.search(r"API Links:\s+(\d+) covered", finished.stdout)
    assert covered is not None, report
    assert int(covered.group(1)) > 0, "the stateful phase followed no link"
