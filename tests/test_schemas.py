"""The wire-payload JSON Schemas: well formed, self-contained, and right about every corpus example."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema.exceptions import SchemaError

from tests.schema_support import (
    EXAMPLES_DIR,
    SCHEMAS_DIR,
    CorpusCase,
    all_errors,
    best_match,
    corpus_cases,
    load_schemas,
    registry,
    schema_id,
    validator,
)

SCHEMAS = load_schemas()
CASES = corpus_cases()
ORDER_SCHEMAS = {
    "create-order-request",
    "create-order-async-request",
    "create-order-response",
    "async-job-response",
}
DOCUMENTED_REQUEST = "create-order-request/valid/docs-cancel-and-write-off"
DOCUMENTED_RESPONSE = "create-order-response/valid/docs-cancel-and-write-off"
# Subschemas that only state conditions; the properties they mention are declared elsewhere.
CONDITION_KEYWORDS = {"if", "then", "else", "not", "dependentSchemas"}


def _case(case_id: str) -> CorpusCase:
    return next(case for case in CASES if case.id == case_id)


def _messages(stem: str, instance: Any, anchor: str | None = None) -> list[str]:
    return [error.message for error in all_errors(list(validator(stem, anchor).iter_errors(instance)))]


def _names(error: Any, field: str) -> bool:
    """Whether a validation error points at ``field``: in its message or its location."""
    return field in error.message or field in error.json_path or field in [str(part) for part in error.path]


def _declared_properties(node: Any, where: str = "#") -> Iterator[tuple[str, Any]]:
    """Every (location, subschema) declared under a ``properties`` keyword, skipping pure conditions."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in CONDITION_KEYWORDS:
                continue
            if key == "properties" and isinstance(value, dict):
                # The keys here are property names, not keywords: walk each one's subschema.
                for name, sub in value.items():
                    yield f"{where}/properties/{name}", sub
                    yield from _declared_properties(sub, f"{where}/properties/{name}")
                continue
            yield from _declared_properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _declared_properties(item, f"{where}/{index}")


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


# --- the schemas themselves -------------------------------------------------------------------


def test_the_expected_schemas_are_all_there() -> None:
    """One schema per wire payload the kit describes."""
    assert set(SCHEMAS) == {
        "create-order-request",
        "create-order-async-request",
        "create-order-response",
        "async-job-response",
        "error-response",
        "bill-run-response",
        "cancel-bill-run-request",
        "create-bill-run-request",
        "post-bill-run-request",
        "create-account-request",
        "create-account-response",
        "account-response",
        "catalog-response",
        "subscription-response",
        "invoice-response",
        "credit-memo-response",
        "credit-memo-items-response",
        "create-payment-request",
        "payment-response",
        "object-query-response",
        "query-invoices-response",
        "query-credit-memos-response",
        "async-operation-response",
        "post-invoice-request",
        "product-rate-plans-response",
        "get-order-response",
        "control-info-response",
        "conformance-results",
        "shields-endpoint",  # badge.json of a results folder (billing_conformance.badge)
        "control-ok-response",
        "control-features",
        "control-features-response",
        "control-clock-request",
        "control-clock-advance-request",
        "control-clock-response",
        "control-pending-occurrence-response",
        "control-close-account-response",
        "control-tenant-request",
        "control-tenant-response",
        "control-bill-run-queue-request",
        "control-bill-run-hold-request",
        "explore-results",  # explore.json of an exploration (billing_conformance.explore)
    }


@pytest.mark.parametrize("stem", sorted(SCHEMAS))
def test_each_schema_is_a_documented_draft_2020_12_schema(stem: str) -> None:
    """Valid against the 2020-12 meta-schema, with a stable $id, a title and a description."""
    schema = SCHEMAS[stem]
    try:
        validator(stem).check_schema(schema)
    except SchemaError as error:  # pragma: no cover - the message is the useful part
        pytest.fail(f"{stem}: {error.message}")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == schema_id(stem)
    assert schema["title"].strip()
    assert schema["description"].strip()


@pytest.mark.parametrize("stem", sorted(SCHEMAS))
def test_every_declared_property_is_described(stem: str) -> None:
    """Each property a schema declares carries a short description of its own."""
    undescribed = [
        where
        for where, sub in _declared_properties(SCHEMAS[stem])
        if not (isinstance(sub, dict) and str(sub.get("description", "")).strip())
    ]
    assert undescribed == []


@pytest.mark.parametrize("stem", sorted(SCHEMAS))
def test_every_reference_resolves_inside_the_registry(stem: str) -> None:
    """No $ref points outside the kit's own schemas, and each one resolves."""
    resolver = registry().resolver(base_uri=schema_id(stem))
    for target in _refs(SCHEMAS[stem]):
        assert target.startswith(("#", "https://billing-conformance.example/schemas/")), target
        resolver.lookup(target)


@pytest.mark.parametrize("stem", sorted(SCHEMAS))
def test_schema_files_are_formatted_with_two_space_indentation(stem: str) -> None:
    """The files stay in one canonical layout, so diffs stay readable."""
    text = (SCHEMAS_DIR / f"{stem}.schema.json").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("stem", sorted(SCHEMAS))
def test_each_schema_has_a_corpus_of_valid_and_invalid_examples(stem: str) -> None:
    """Order schemas have at least 5 valid and 8 invalid examples; the small ones at least 2 and 2."""
    cases = corpus_cases(stem)
    min_valid, min_invalid = (5, 8) if stem in ORDER_SCHEMAS else (2, 2)
    assert sum(1 for case in cases if case.valid) >= min_valid
    assert sum(1 for case in cases if not case.valid) >= min_invalid


def test_every_corpus_folder_belongs_to_a_schema() -> None:
    """A corpus folder named after no schema would never be checked against anything."""
    assert {p.name for p in EXAMPLES_DIR.iterdir() if p.is_dir()} <= set(SCHEMAS)


# --- the corpus -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_corpus_example(case: CorpusCase) -> None:
    """A valid example raises no error; an invalid one fails, and the error names the field at fault."""
    errors = list(validator(case.stem).iter_errors(case.instance))
    if case.valid:
        assert [f"{e.json_path}: {e.message}" for e in errors] == []
        return
    assert errors, f"accepted, but should fail because {case.why}"
    assert case.field is not None
    best = best_match(errors)
    if not _names(best, case.field):
        found = [e for e in all_errors(errors) if _names(e, case.field)]
        assert found, f"no error names {case.field!r}; best was {best.json_path}: {best.message}"


# --- behaviours worth naming ------------------------------------------------------------------


def test_the_documented_cancel_and_write_off_request_validates() -> None:
    """The request of the published cancel + write-off tutorial is a valid create-order body."""
    request = _case(DOCUMENTED_REQUEST).instance
    assert request["processingOptions"]["writeOff"] is True
    assert _messages("create-order-request", request) == []


def test_the_documented_cancel_and_write_off_response_validates() -> None:
    """The response published with that tutorial is a valid create-order response."""
    response = _case(DOCUMENTED_RESPONSE).instance
    assert response["writeOff"][0]["status"] == "Success"
    assert _messages("create-order-response", response) == []


def test_the_async_request_rejects_write_off() -> None:
    """Canceling with a write-off is only possible synchronously: the async body refuses writeOff."""
    request = copy.deepcopy(_case(DOCUMENTED_REQUEST).instance)
    messages = _messages("create-order-async-request", request)
    assert any("writeOff" in message for message in messages), messages
    del request["processingOptions"]["writeOff"]
    assert _messages("create-order-async-request", request) == []


@pytest.mark.parametrize("code", [53100320, "53100320"], ids=["number", "string"])
def test_reasons_code_is_accepted_as_a_number_and_as_a_string(code: int | str) -> None:
    """The published example sends a JSON number, the SDK a string: both are error codes."""
    body = {"success": False, "processId": "CBCFED6580B4E076", "reasons": [{"code": code, "message": "m"}]}
    assert _messages("error-response", body) == []
    assert _messages("create-order-response", body) == []


@pytest.mark.parametrize("code", ["INVALID_VALUE", "5310032", 5310032, "53100320 "])
def test_reasons_code_must_be_eight_digits(code: int | str) -> None:
    """Negative control for the test above: words, short codes and padding are refused."""
    assert _messages("error-response", {"success": False, "reasons": [{"code": code, "message": "m"}]})


def test_the_unauthorized_anchor_describes_the_bare_401_body() -> None:
    """A 401 from the authentication proxy is only a message; it is not an error envelope."""
    body = {"message": "Authentication error"}
    assert _messages("error-response", body, anchor="unauthorized") == []
    assert _messages("error-response", body)


@pytest.mark.parametrize("next_run", [None, {"id": "2c9", "status": "Pending", "targetDate": "2024-07-01"}])
def test_a_cancel_response_may_name_its_next_run(next_run: dict[str, str] | None) -> None:
    """The #cancel anchor is a bill-run body plus nextRun, an object or null."""
    body = {"success": True, "id": "2c8", "status": "CancelInProgress", "nextRun": next_run}
    assert _messages("bill-run-response", body, anchor="cancel") == []


def test_a_cancel_response_checks_the_next_run() -> None:
    """The next run is a bill run too: a status bill runs never have is refused."""
    body = {"success": True, "id": "2c8", "status": "Canceled", "nextRun": {"id": "2c9", "status": "Draft"}}
    assert any("Draft" in message for message in _messages("bill-run-response", body, anchor="cancel"))


def test_the_async_anchors_pick_one_body() -> None:
    """#submitted is the 202 answer, #job the polled status; each checks its own fields' types."""
    submitted = {"jobId": "8a90e0827c1b", "success": True}
    job = {"success": True, "status": "Processing"}
    assert _messages("async-job-response", submitted, anchor="submitted") == []
    assert _messages("async-job-response", job, anchor="job") == []
    assert _messages("async-job-response", {"jobId": 42}, anchor="submitted")
    assert _messages("async-job-response", {"status": "Done"}, anchor="job")


def test_the_async_root_reads_a_body_with_a_job_id_as_the_submission() -> None:
    """At the root a body with jobId is checked as #submitted and any other body as #job."""
    assert _messages("async-job-response", {"jobId": 42})
    assert _messages("async-job-response", {"status": "Done"})
    assert _messages("async-job-response", {"jobId": "8a90e0827c1b", "status": "Done"}) == []


def test_an_async_job_result_is_a_create_order_result() -> None:
    """The job's result is checked like a synchronous create-order answer (here a bad write-off status)."""
    body: dict[str, Any] = {
        "status": "Completed",
        "result": {"jobType": "AsyncCreateOrder", "orderNumber": "O-1", "writeOff": [{"status": "Error"}]},
    }
    assert _messages("async-job-response", body, anchor="job")
    body["result"]["writeOff"] = [{"status": "Failed"}]
    assert _messages("async-job-response", body, anchor="job") == []


def test_the_schemas_never_point_at_files_outside_the_repository() -> None:
    """The schemas are self-contained: no absolute paths or file URLs leak into them."""
    for stem in SCHEMAS:
        text = (SCHEMAS_DIR / f"{stem}.schema.json").read_text(encoding="utf-8")
        assert "file://" not in text
        assert "/work/" not in text


@pytest.mark.parametrize("day", [1, "1", "AllBillCycleDays"], ids=["number", "string", "word"])
def test_a_bill_run_gives_its_bill_cycle_day_as_a_number_or_a_string(day: int | str) -> None:
    """Every bill-run sample of Zuora's API reference sends the bill cycle day as a number, the SDK
    types it as a string: both are accepted, in a bill run and in the next run a cancellation names."""
    body = {"success": True, "id": "2c8", "status": "Completed", "billCycleDay": day}
    assert _messages("bill-run-response", body) == []
    canceled = {
        **body,
        "status": "Canceled",
        "nextRun": {"id": "2c9", "status": "Pending", "billCycleDay": day},
    }
    assert _messages("bill-run-response", canceled, anchor="cancel") == []


def test_a_bill_cycle_day_is_never_a_fraction() -> None:
    """Negative control for the test above: a number is accepted only as a whole day."""
    canceled = {"success": True, "id": "2c8", "nextRun": {"id": "2c9", "billCycleDay": 1.5}}
    assert any("1.5" in message for message in _messages("bill-run-response", canceled, anchor="cancel"))


def test_a_canceled_occurrence_shaped_like_zuoras_sample_is_a_cancel_answer() -> None:
    """Shaped like the sample of Zuora's "Cancel a bill run": a numeric bill cycle day, and for
    both occurrences no target date but an offset from the run's scheduled execution."""
    case = _case("bill-run-response/valid/zuora-sample-canceled-occurrence")
    assert case.instance["targetDate"] is None
    assert case.instance["nextRun"]["targetDateOffset"] == 0
    assert _messages("bill-run-response", case.instance, anchor="cancel") == []
