"""Zuora-strict answers: every public response reduced to the fields Zuora's published API has.

The response schemas in ``schemas/`` are generated from the official ``zuora-sdk`` models, so
their ``properties`` are exactly the fields Zuora's answer to each operation has. :func:`strip`
walks a body along its schema and drops every field the schema does not name, recursively;
objects the schema leaves open (free-form maps such as ``customFields``, or nested objects the
schema does not detail) stay whole, and so do custom fields (names ending in ``__c``). A refusal
keeps only Zuora's envelope (``success``, ``processId``, ``requestId``, ``reasons``).

``billing-conformance serve --zuora-strict`` answers this way, so that a test can prove the kit
needs nothing Zuora does not return.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from billing_conformance.contract import registry, schema_id

__all__ = ["RESPONSE_SCHEMAS", "shape_of", "strip"]

#: The response schema (stem and anchor) of each public operation, by "METHOD /path" as routed.
RESPONSE_SCHEMAS: dict[str, tuple[str, str | None]] = {
    "POST /v1/accounts": ("create-account-response", None),
    "GET /v1/accounts/{key}": ("account-response", None),
    "GET /v1/catalog/products": ("catalog-response", None),
    "POST /v1/orders": ("create-order-response", None),
    "POST /v1/async/orders": ("async-job-response", "submitted"),
    "GET /v1/async-jobs/{key}": ("async-job-response", "job"),
    "GET /v1/orders/{key}": ("get-order-response", None),
    "GET /v1/subscriptions/{key}": ("subscription-response", None),
    "POST /v1/bill-runs": ("bill-run-response", None),
    "GET /v1/bill-runs/{key}": ("bill-run-response", None),
    "PUT /v1/bill-runs/{key}/cancel": ("bill-run-response", "cancel"),
    "PUT /v1/bill-runs/{key}/post": ("bill-run-response", None),
    "DELETE /v1/bill-runs/{key}": ("bill-run-response", None),
    "GET /v1/invoices/{key}": ("invoice-response", None),
    "PUT /v1/invoices/{key}/post": ("async-operation-response", None),
    "GET /v1/credit-memos/{key}": ("credit-memo-response", None),
    "GET /v1/credit-memos/{key}/items": ("credit-memo-items-response", None),
    "PUT /v1/credit-memos/{key}/post": ("credit-memo-response", None),
    "POST /v1/payments": ("payment-response", None),
    "GET /object-query/invoices": ("query-invoices-response", None),
    "GET /object-query/credit-memos": ("query-credit-memos-response", None),
}
_ENVELOPE = ("error-response", None)


class _Shape:
    """A schema node, resolved, with what it says about an object's fields and a list's items."""

    def __init__(self, node: Any, resolver: Any) -> None:  # noqa: ANN401 - a schema node and its resolver
        self.node = node
        self.resolver = resolver

    def _branches(self) -> Iterator[_Shape]:
        """This node and every node it refers to or combines with (``$ref``, ``allOf``, ...)."""
        if not isinstance(self.node, dict):
            return
        yield self
        if "$ref" in self.node:
            found = self.resolver.lookup(self.node["$ref"])
            yield from _Shape(found.contents, found.resolver)._branches()
        for keyword in ("allOf", "anyOf", "oneOf"):
            for branch in self.node.get(keyword, []):
                yield from _Shape(branch, self.resolver)._branches()
        for keyword in ("then", "else"):
            if keyword in self.node:
                yield from _Shape(self.node[keyword], self.resolver)._branches()

    def properties(self) -> dict[str, _Shape] | None:
        """The fields an object may have, or None when the schema leaves the object open."""
        found: dict[str, _Shape] = {}
        named = False
        for branch in self._branches():
            if "properties" in branch.node:
                named = True
                for name, sub in branch.node["properties"].items():
                    found.setdefault(name, _Shape(sub, branch.resolver))
        return found if named else None

    def items(self) -> _Shape | None:
        for branch in self._branches():
            if isinstance(branch.node.get("items"), dict):
                return _Shape(branch.node["items"], branch.resolver)
        return None


def shape_of(operation: str, body: object) -> _Shape | None:
    """The schema of the answer ``body`` to ``operation`` ("GET /v1/invoices/{key}"), if public."""
    if operation not in RESPONSE_SCHEMAS:
        return None
    failed = isinstance(body, dict) and body.get("success") is False
    stem, anchor = _ENVELOPE if failed else RESPONSE_SCHEMAS[operation]
    resolver = registry().resolver(base_uri=schema_id(stem))
    found = resolver.lookup(schema_id(stem) + (f"#{anchor}" if anchor else ""))
    return _Shape(found.contents, found.resolver)


def _reduce(value: Any, shape: _Shape) -> Any:  # noqa: ANN401 - decoded JSON
    if isinstance(value, list):
        inner = shape.items()
        return value if inner is None else [_reduce(item, inner) for item in value]
    if not isinstance(value, dict):
        return value
    fields = shape.properties()
    if fields is None:
        return value
    return {
        name: (_reduce(item, fields[name]) if name in fields else item)
        for name, item in value.items()
        if name in fields or name.endswith("__c")
    }


def strip(operation: str, body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with only the fields Zuora's answer to ``operation`` has (unchanged if not public)."""
    shape = shape_of(operation, body)
    if shape is None:
        return body
    reduced: dict[str, Any] = _reduce(body, shape)
    return reduced
