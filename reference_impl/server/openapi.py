"""The served OpenAPI document, self-contained, so that tools can use it as it is.

It is made from the route table (:data:`~reference_impl.server.routes.ROUTES`), not from the
endpoint functions: every operation declares its path parameters, the tenant header, its
request body and a response schema for every status it can answer with. The JSON Schemas of
``schemas/`` are bundled under ``components/schemas`` by file stem, and every ``$ref`` to a
schema's ``$id`` (or to its own ``#/$defs``) is rewritten to point there, so nothing refers to
the ``https://billing-conformance.example`` ids, which are names and not addresses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from reference_impl.currency import ISO_4217
from reference_impl.server.links import links_of
from reference_impl.server.routes import Route
from reference_impl.server.tenants import TENANT_HEADER
from schemas.contract import SCHEMA_BASE_URI, load_schemas

__all__ = ["ERROR_STATUSES", "RULE_REFUSALS", "bundled_schemas", "openapi_document"]

_SUFFIX = ".schema.json"
_COMPONENTS = "#/components/schemas/"

#: The refusals any operation can answer with, and why.
ERROR_STATUSES: dict[int, str] = {
    400: "Refused: the request or the tenant's state does not allow it (Zuora's error envelope)",
    404: "Refused: the key, or the tenant named by the tenant header, does not exist",
}
_BODY_STATUSES: dict[int, str] = {
    413: "Refused: the body is larger than the server takes",
    415: "Refused: the body is not declared as JSON",
}
#: The operations that may refuse a request their schema calls valid, with 400 and Zuora's error
#: envelope, and why: a relation between fields or a rule of the tenant's state, which JSON Schema
#: cannot express. A client that fuzzes the document (tests/schemathesis.toml) expects 400 from
#: these for valid requests too, and from no other.
RULE_REFUSALS: dict[str, str] = {
    "post /v1/accounts": "an account with that number exists already",
    "post /v1/bill-runs": (
        "a relation between fields: a schedule whose repeatTo is before its repeatFrom, or an ad "
        "hoc run without a target date"
    ),
    "put /v1/bill-runs/{key}/cancel": "the bill run's status does not allow canceling it",
    "put /v1/bill-runs/{key}/post": "the bill run's status does not allow posting it",
    "delete /v1/bill-runs/{key}": "the bill run's status does not allow deleting it",
    "put /v1/invoices/{key}/post": "the invoice's status does not allow posting it",
    "put /v1/credit-memos/{key}/post": "the credit memo's status does not allow posting it",
    "post /v1/payments": "the amount or currency does not fit the invoice paid",
    "post /conformance/v1/bill-runs/{key}/pause": "the bill run is not a scheduled one that can pause",
    "post /conformance/v1/bill-runs/{key}/resume": "the bill run is not paused",
    "put /conformance/v1/bill-runs/{key}/hold": "the bill run's status does not allow holding it there",
    "post /conformance/v1/bill-runs/{key}/release": "the bill run is not held",
    "post /conformance/v1/accounts/{key}/close": "the account's state does not allow closing it",
}
_UNAUTHORIZED = "Authentication error: a bearer token is required and was missing or wrong"


def _anchors(schemas: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(stem, anchor) -> the JSON pointer of the ``$defs`` entry that carries the anchor."""
    return {
        (stem, definition["$anchor"]): f"/$defs/{name}"
        for stem, schema in schemas.items()
        for name, definition in schema.get("$defs", {}).items()
        if "$anchor" in definition
    }


def _rewrite(node: Any, stem: str, anchors: dict[tuple[str, str], str]) -> Any:  # noqa: ANN401 - JSON Schema
    """``node`` with every ``$ref`` pointing into ``components/schemas`` and no ``$id``."""
    if isinstance(node, list):
        return [_rewrite(item, stem, anchors) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("$id", "$schema"):
            continue
        if key == "$ref" and isinstance(value, str):
            out[key] = _pointer(value, stem, anchors)
        else:
            out[key] = _rewrite(value, stem, anchors)
    return out


def _pointer(ref: str, stem: str, anchors: dict[tuple[str, str], str]) -> str:
    target, _, fragment = ref.partition("#")
    if target:
        if not target.startswith(SCHEMA_BASE_URI) or not target.endswith(_SUFFIX):
            msg = f"schema {stem} refers outside schemas/: {ref}"
            raise ValueError(msg)
        stem = target.removeprefix(SCHEMA_BASE_URI).removesuffix(_SUFFIX)
    if fragment and not fragment.startswith("/"):
        fragment = anchors[(stem, fragment)]
    return _COMPONENTS + stem + fragment


#: Where the reference takes less than Zuora's published request shape (``schemas/``), the
#: served document says so, so that a request the document calls valid is never refused for
#: its shape: (stem, property) -> keywords added to that property's schema; a property of a
#: ``$defs`` entry is named ``$defs/<entry>/<property>``.
REFERENCE_NARROWING: dict[tuple[str, str], dict[str, Any]] = {
    # The reference applies a payment to exactly one invoice.
    ("create-payment-request", "invoices"): {"minItems": 1, "maxItems": 1},
    # An account's name must say something: blank names are refused.
    ("create-account-request", "name"): {"pattern": r"\S"},
    # The reference filters a bill run by account only.
    ("create-bill-run-request", "$defs/billRunFilter/filterType"): {"enum": ["Account"]},
}
#: The properties the reference requires beyond Zuora's shape: stem (or ``stem/$defs/<entry>``) -> names.
_REFERENCE_REQUIRED: dict[str, tuple[str, ...]] = {
    "create-payment-request": ("invoices",),
    "create-bill-run-request/$defs/billRunFilter": ("accountId",),
}


def _at(schemas: dict[str, Any], path: str) -> dict[str, Any]:
    """The object schema at ``stem`` or ``stem/$defs/<entry>``."""
    stem, *parts = path.split("/")
    found: dict[str, Any] = schemas[stem]
    for part in parts:
        found = found[part]
    return found


def bundled_schemas() -> dict[str, Any]:
    """Every request and response schema of ``schemas/``, keyed by stem, refs rewritten, with
    the reference's narrowing (:data:`REFERENCE_NARROWING`) applied."""
    schemas = load_schemas()
    anchors = _anchors(schemas)
    bundled = {
        stem: _rewrite(schema, stem, anchors)
        for stem, schema in schemas.items()
        if stem != "conformance-results"
    }
    for (stem, name), keywords in REFERENCE_NARROWING.items():
        where, _, prop = f"{stem}/{name}".rpartition("/")
        _at(bundled, where)["properties"][prop] |= keywords
    for path, names in _REFERENCE_REQUIRED.items():
        owner = _at(bundled, path)
        owner["required"] = sorted({*owner.get("required", ()), *names})
    for stem, schema in bundled.items():
        if stem.endswith("-request"):
            _currencies_by_code(schema)
    return bundled


def _currencies_by_code(node: Any) -> None:  # noqa: ANN401 - JSON Schema
    """Every ``currency`` property of a request narrowed to ISO 4217's codes, as the reference
    checks them (Zuora's shape says only: three characters)."""
    if isinstance(node, list):
        for item in node:
            _currencies_by_code(item)
    elif isinstance(node, dict):
        found = node.get("properties", {}).get("currency")
        if isinstance(found, dict) and found.get("type") == "string":
            found["enum"] = sorted(ISO_4217)
        for value in node.values():
            _currencies_by_code(value)


def _schema_ref(answer: str, components: dict[str, Any]) -> dict[str, str]:
    """A reference to ``stem`` or ``stem#anchor`` (the ``$defs`` entry with that anchor)."""
    stem, _, anchor = answer.partition("#")
    if not anchor:
        return {"$ref": _COMPONENTS + stem}
    for name, definition in components[stem].get("$defs", {}).items():
        if definition.get("$anchor") == anchor:
            return {"$ref": f"{_COMPONENTS}{stem}/$defs/{name}"}
    msg = f"schema {stem} has no $anchor {anchor!r}"
    raise ValueError(msg)


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _linked(answer: dict[str, Any], operation_id: str, status: int) -> dict[str, Any]:
    """``answer`` with the links (:mod:`.links`) that lead on from it, if any."""
    links = links_of(operation_id, status)
    return answer | {"links": links} if links else answer


def _parameters(route: Route) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
        for name in re.findall(r"{(\w+)}", route.path)
    ]
    if route.path.startswith("/object-query/"):
        found += [
            {
                "name": "filter[]",
                "in": "query",
                "style": "form",
                "explode": True,
                "schema": {"type": "array", "items": {"type": "string", "pattern": r"^[^.]+\.EQ:.+$"}},
                "description": "field.EQ:value, for instance accountId.EQ:8a8082c4...",
            },
            {"name": "pageSize", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 50}},
            {
                "name": "cursor",
                "in": "query",
                "schema": {"type": "string", "pattern": "^[0-9]+$"},
                "description": "The previous page's nextPage, as it was given",
            },
        ]
    if route.idempotent:
        found.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                "description": "A retry with the same key and body gets the first answer back for 24 hours.",
            }
        )
    found.append(_tenant_header())
    return found


def _tenant_header() -> dict[str, Any]:
    return {
        "name": TENANT_HEADER,
        "in": "header",
        "required": False,
        "schema": {"type": "string"},
        "description": "The isolated tenant addressed (control API v2); the default tenant when absent.",
    }


def _operation(route: Route, components: dict[str, Any]) -> dict[str, Any]:
    error = {"$ref": _COMPONENTS + "error-response"}
    answer: dict[str, Any] = _schema_ref(route.answer, components)
    if route.refused_as_answered:
        answer = {"anyOf": [answer, error]}
    operation_id = f"{route.method.lower()} {route.path}"
    done = _linked(_json("Done", answer), operation_id, route.status)
    responses: dict[str, Any] = {str(route.status): done}
    statuses = dict(ERROR_STATUSES)
    if route.body is not None:
        statuses |= _BODY_STATUSES
    if route.conflict is not None:
        statuses[409] = route.conflict
    if route.idempotent:
        statuses[422] = "Refused: the Idempotency-Key was kept for another request"
    if operation_id in RULE_REFUSALS:
        statuses[400] = f"{statuses[400]}; a valid request too, when {RULE_REFUSALS[operation_id]}"
    responses |= {str(status): _json(why, error) for status, why in sorted(statuses.items())}
    responses["401"] = _json(_UNAUTHORIZED, _schema_ref("error-response#unauthorized", components))
    operation: dict[str, Any] = {
        "summary": route.summary,
        "operationId": operation_id,
        "tags": ["control" if route.path.startswith("/conformance") else "zuora-v1"],
        "parameters": _parameters(route),
        "responses": dict(sorted(responses.items())),
    }
    if route.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": _COMPONENTS + route.body}}},
        }
    return operation


def _tenant_operations(components: dict[str, Any]) -> dict[str, Any]:
    error = {"$ref": _COMPONENTS + "error-response"}
    unauthorized = _json(_UNAUTHORIZED, _schema_ref("error-response#unauthorized", components))
    return {
        "/conformance/v2/tenants": {
            "post": {
                "summary": "Create an isolated tenant",
                "operationId": "post /conformance/v2/tenants",
                "tags": ["control"],
                "requestBody": {
                    "required": False,
                    "content": {
                        "application/json": {"schema": {"$ref": _COMPONENTS + "control-tenant-request"}}
                    },
                },
                "responses": {
                    "201": _linked(
                        _json("Created", {"$ref": _COMPONENTS + "control-tenant-response"}),
                        "post /conformance/v2/tenants",
                        201,
                    ),
                    "400": _json("Refused: the body is not a valid tenant request (nothing is made)", error),
                    "401": unauthorized,
                    "409": _json("Refused: as many tenants are alive as the server keeps", error),
                    **{str(status): _json(why, error) for status, why in _BODY_STATUSES.items()},
                },
            }
        },
        "/conformance/v2/tenants/{tenant_id}": {
            "delete": {
                "summary": "Delete an isolated tenant",
                "operationId": "delete /conformance/v2/tenants/{tenant_id}",
                "tags": ["control"],
                "parameters": [
                    {"name": "tenant_id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": _json("Deleted", {"$ref": _COMPONENTS + "control-ok-response"}),
                    "401": unauthorized,
                    "404": _json("Refused: no such tenant", error),
                },
            }
        },
    }


def _token_operation(components: dict[str, Any]) -> dict[str, Any]:
    form = {
        "type": "object",
        "required": ["grant_type", "client_id", "client_secret"],
        "properties": {
            "grant_type": {"const": "client_credentials"},
            "client_id": {"type": "string"},
            "client_secret": {"type": "string"},
        },
    }
    token = {
        "type": "object",
        "required": ["access_token", "token_type", "expires_in"],
        "properties": {
            "access_token": {"type": "string"},
            "token_type": {"type": "string"},
            "expires_in": {"type": "integer"},
        },
    }
    return {
        "post": {
            "summary": "OAuth 2.0 client credentials",
            "operationId": "post /oauth/token",
            "tags": ["auth"],
            "requestBody": {
                "required": True,
                "content": {"application/x-www-form-urlencoded": {"schema": form}},
            },
            "responses": {
                "200": _json("A bearer token", token),
                "400": _json("Refused: the form could not be read", {"$ref": _COMPONENTS + "error-response"}),
                "401": _json(
                    "Unknown client or wrong secret",
                    _schema_ref("error-response#unauthorized", components),
                ),
            },
        }
    }


def openapi_document(
    routes: Iterable[Route], *, title: str, version: str, description: str, isolated_tenants: bool
) -> dict[str, Any]:
    """The whole document (OpenAPI 3.1) for ``routes`` and the server's own endpoints."""
    components = bundled_schemas()
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, components)
    if isolated_tenants:
        paths |= _tenant_operations(components)
    paths["/oauth/token"] = _token_operation(components)
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version, "description": description},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
