"""What each Zuora operation the kit calls accepts in its URL: the table the kit's requests are
checked against (``tests/test_kit_requests.py``).

The query parameters of an operation are the official ``zuora-sdk``'s: each API method of the
SDK builds its request in a serializer that names the method, the resource path and every query
parameter it may send (:func:`sdk_operations` reads them from the SDK's source). The fields an
object query filters on are the v1 API reference's ("List invoices", "List credit memos", *query
Parameters*, ``filter[]``), kept once, in :data:`reference_impl.wire.queries.FILTERABLE`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import zuora_sdk

from reference_impl.wire.queries import CUSTOM_FIELD_SUFFIX, FILTERABLE

__all__ = ["KIT_OPERATIONS", "Accepts", "faults", "operation_of", "sdk_operations"]

_SERIALIZER = re.compile(r"method='(\w+)',\s*resource_path='([^']+)'")
_QUERY_PARAMETER = re.compile(r"_query_params\.append\(\('([^']+)'")


@cache
def sdk_operations() -> Mapping[tuple[str, str], frozenset[str]]:
    """(method, the SDK's resource path) -> the query parameters the SDK may send with it."""
    found: dict[tuple[str, str], frozenset[str]] = {}
    for module in sorted((Path(zuora_sdk.__file__).parent / "api").glob("*_api.py")):
        for serializer in module.read_text(encoding="utf-8").split("\n    def _")[1:]:
            named = _SERIALIZER.search(serializer)
            if named is not None:
                key = (named.group(1), named.group(2))
                found[key] = found.get(key, frozenset()) | frozenset(_QUERY_PARAMETER.findall(serializer))
    return found


@dataclass(frozen=True)
class Accepts:
    """One operation: its method and resource path (as the SDK writes it), the query parameters
    it takes, and, for an object query, the fields ``filter[]`` may name (lower case)."""

    method: str
    path: str
    parameters: frozenset[str]
    filterable: frozenset[str] | None = None

    @classmethod
    def of(cls, method: str, path: str, filterable: frozenset[str] | None = None) -> Accepts:
        return cls(method, path, sdk_operations()[method, path], filterable)

    def matches(self, method: str, path: str) -> bool:
        pattern = re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(self.path))
        return method == self.method and re.fullmatch(pattern, path) is not None


#: Every Zuora operation the kit may call, with what it accepts.
KIT_OPERATIONS: tuple[Accepts, ...] = (
    Accepts.of("POST", "/oauth/token"),
    Accepts.of("POST", "/v1/accounts"),
    Accepts.of("GET", "/v1/accounts/{account-key}"),
    Accepts.of("GET", "/v1/catalog/products"),
    Accepts.of("POST", "/v1/orders"),
    Accepts.of("POST", "/v1/async/orders"),
    Accepts.of("GET", "/v1/async-jobs/{jobId}"),
    Accepts.of("GET", "/v1/orders/{orderNumber}"),
    Accepts.of("GET", "/v1/subscriptions/{subscription-key}"),
    Accepts.of("POST", "/v1/bill-runs"),
    Accepts.of("GET", "/v1/bill-runs/{billRunId}"),
    Accepts.of("PUT", "/v1/bill-runs/{billRunId}/cancel"),
    Accepts.of("PUT", "/v1/bill-runs/{billRunId}/post"),
    Accepts.of("DELETE", "/v1/bill-runs/{billRunId}"),
    Accepts.of("GET", "/v1/invoices/{invoiceKey}"),
    Accepts.of("PUT", "/v1/invoices/{invoiceKey}/post"),
    Accepts.of("GET", "/v1/credit-memos/{creditMemoKey}"),
    Accepts.of("GET", "/v1/credit-memos/{creditMemoKey}/items"),
    Accepts.of("PUT", "/v1/credit-memos/{creditMemoKey}/post"),
    Accepts.of("POST", "/v1/payments"),
    Accepts.of("GET", "/object-query/invoices", FILTERABLE["invoices"]),
    Accepts.of("GET", "/object-query/credit-memos", FILTERABLE["credit-memos"]),
)


def operation_of(method: str, path: str) -> Accepts | None:
    """The operation of the table a request is for (literal paths before templated ones)."""
    candidates = [accepts for accepts in KIT_OPERATIONS if accepts.matches(method, path)]
    return min(candidates, key=lambda accepts: accepts.path.count("{"), default=None)


def faults(method: str, url: str) -> list[str]:
    """What in a request the table does not allow: an operation it lacks, a query parameter the
    operation does not take, a filter on a field the object does not list (or not ``f.OP:v``)."""
    parts = urlsplit(url)
    operation = operation_of(method, parts.path)
    if operation is None:
        return [f"{method} {parts.path} is no operation of the table"]
    found: list[str] = []
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name not in operation.parameters:
            found.append(f"{method} {operation.path} takes no query parameter {name!r}")
        elif name == "filter[]":
            field, dot, rest = value.partition(".")
            allowed = operation.filterable or frozenset()
            if not dot or ":" not in rest:
                found.append(f"{method} {operation.path}: {value!r} is not field.OPERATOR:value")
            elif field.lower() not in allowed and not field.endswith(CUSTOM_FIELD_SUFFIX):
                found.append(f"{method} {operation.path} cannot filter on {field!r}")
    return found
