"""Zuora-strict answers: every public response reduced to the fields Zuora's published API has.

What those fields are is ``schemas/zuora-response-fields.json``, generated from the official
``zuora-sdk`` response models by ``tests/zuora_fields.py`` (the server never imports the SDK):
each public operation's answer model, and each model's fields with the model their value is
made of. :func:`strip` walks an answer along its model and drops every field the model lacks,
recursively, through nested objects and lists of objects. A value the file keeps whole (a
scalar, a list of scalars, a free-form map such as ``customFields``) stays as it is, and so do
custom fields (names ending in ``__c``). A refusal (``success: false``) keeps only Zuora's
``CommonResponse``: ``success``, ``processId``, ``requestId`` and ``reasons[{code, message}]``.
Anything that is not a public operation (the control API, ``/oauth/token``) is left alone.

Strict queries: an object query (``GET /object-query/...``) is refused, as Zuora would refuse
it, when it names a query parameter the operation does not take or filters on a field Zuora does
not list for the object (:func:`query_refusal`; the lists are :mod:`reference_impl.wire.queries`).
The refusal is Zuora's envelope with the category "Invalid query parameter" (27) of Zuora's
"Error codes" page, *Error Category Codes*, under the resource code of a request without a body
(500000, the same page, *REST API Resource Codes*), HTTP 400.

``billing-conformance serve --zuora-strict`` answers this way, so that a test can prove the kit
needs nothing Zuora does not return, and asks for nothing Zuora does not offer.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from reference_impl.wire.api import Reply, refusal
from reference_impl.wire.queries import strict_fault
from schemas.contract import SCHEMAS_DIR

__all__ = ["FIELDS_FILE", "ZuoraFields", "model_of", "query_refusal", "strip", "zuora_fields"]

OBJECT_QUERY = "GET /object-query/"

FIELDS_FILE: Path = SCHEMAS_DIR / "zuora-response-fields.json"

CUSTOM_FIELD_SUFFIX = "__c"


@dataclass(frozen=True)
class ZuoraFields:
    """The generated field knowledge: each operation's answer model and each model's field tree."""

    operations: Mapping[str, str]  # "GET /v1/invoices/{key}" -> "InvoiceResponse"
    envelope: str  # the model of a refusal
    models: Mapping[str, Mapping[str, str | None]]  # model -> wire name -> model of its value, or None

    def fields(self, model: str | None) -> Mapping[str, str | None] | None:
        """The fields of ``model`` (wire name -> the model of the value, None when kept whole)."""
        return None if model is None else self.models[model]


@cache
def zuora_fields() -> ZuoraFields:
    """The knowledge in :data:`FIELDS_FILE`, read once."""
    data = json.loads(FIELDS_FILE.read_text(encoding="utf-8"))
    return ZuoraFields(data["operations"], data["envelope"], data["models"])


def model_of(operation: str, body: object) -> str | None:
    """The model of the answer ``body`` to ``operation`` ("GET /v1/invoices/{key}"), if public:
    the envelope for a refusal, else the operation's answer model."""
    known = zuora_fields()
    if operation not in known.operations:
        return None
    if isinstance(body, dict) and body.get("success") is False:
        return known.envelope
    return known.operations[operation]


def _reduce(value: Any, model: str | None, known: ZuoraFields) -> Any:  # noqa: ANN401 - decoded JSON
    fields = known.fields(model)
    if fields is None:
        return value
    if isinstance(value, list):
        return [_reduce(item, model, known) for item in value]
    if not isinstance(value, dict):
        return value
    return {
        name: _reduce(item, fields.get(name), known)
        for name, item in value.items()
        if name in fields or name.endswith(CUSTOM_FIELD_SUFFIX)
    }


def strip(operation: str, body: Any) -> Any:  # noqa: ANN401 - decoded JSON
    """``body`` with only the fields Zuora's answer to ``operation`` has (itself if not public)."""
    model = model_of(operation, body)
    if model is None:
        return body
    return _reduce(body, model, zuora_fields())


def query_refusal(operation: str, query: Mapping[str, list[str]]) -> Reply | None:
    """Zuora's refusal of an object query (``operation`` "GET /object-query/invoices") that asks
    for what the operation does not offer; None for an acceptable query or another operation."""
    if not operation.startswith(OBJECT_QUERY):
        return None
    fault = strict_fault(operation.removeprefix(OBJECT_QUERY), query)
    return None if fault is None else refusal(fault, 400)
