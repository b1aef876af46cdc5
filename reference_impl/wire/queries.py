"""Zuora's object queries (``GET /object-query/{object}``): what each accepts, and its filters.

What an object query accepts is Zuora's v1 API reference, in one place here:

* "List invoices" (``queryInvoices``), *query Parameters*, ``filter[]``: the filterable fields
  of an invoice (:data:`FILTERABLE` ``["invoices"]``);
* "List credit memos" (``queryCreditMemos``), *query Parameters*, ``filter[]``: those of a
  credit memo (:data:`FILTERABLE` ``["credit-memos"]``); it has no ``sourceid``;
* both pages, *query Parameters*: the parameters either operation takes (:data:`PARAMETERS`);
  an indexed custom field (``name__c``) may be filtered on too.

How a filter reads is the guide "Object Query - Expand, filter, fields, and sort", *Using
filter[] query parameter*: ``field.OPERATOR:value``; several filters all hold at once (AND);
``EQ`` matches exactly but without regard to case; ``field.EQ:null`` matches a field without a
value. Both reference pages call ``filter[]`` case-insensitive, so a field is named in any case
(``sourceid``, ``sourceId``). The reference implements ``EQ`` only and refuses the other
operators it does not implement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from reference_impl.rejection import Category, Rejection

__all__ = [
    "CUSTOM_FIELD_SUFFIX",
    "FILTERABLE",
    "PARAMETERS",
    "Filter",
    "matches",
    "parse_filters",
    "strict_fault",
]

#: The query parameters of "List invoices" and "List credit memos" (v1 API reference, each
#: page's *query Parameters*).
PARAMETERS: frozenset[str] = frozenset(
    {"pageSize", "cursor", "sort[]", "expand[]", "filter[]", "fields[]", "includeNullFields"}
)

#: The fields each object query filters on, lower case as Zuora lists them (v1 API reference,
#: "List invoices" and "List credit memos", *query Parameters*, ``filter[]``).
FILTERABLE: Mapping[str, frozenset[str]] = {
    "invoices": frozenset(
        {
            "id",
            "updateddate",
            "accountid",
            "amount",
            "balance",
            "duedate",
            "invoicedate",
            "invoicenumber",
            "reversed",
            "sourceid",
            "sourcetype",
            "status",
            "einvoicestatus",
        }
    ),
    "credit-memos": frozenset(
        {
            "id",
            "updateddate",
            "balance",
            "einvoicestatus",
            "memodate",
            "memonumber",
            "sourcetype",
            "status",
            "totalamount",
            "invoiceid",
            "accountid",
        }
    ),
}

CUSTOM_FIELD_SUFFIX = "__c"


@dataclass(frozen=True)
class Filter:
    """One ``filter[]`` expression: the field (lower case), and the value it must equal."""

    field: str
    value: str


def parse_filters(expressions: list[str]) -> list[Filter] | Rejection:
    """The filters of a query, each ``field.EQ:value``; every one of them must hold."""
    found: list[Filter] = []
    for expression in expressions:
        field, _, rest = expression.partition(".")
        operator, _, value = rest.partition(":")
        if operator.upper() != "EQ" or not field or not value:
            return Rejection(
                "query-filter-unsupported",
                Category.INVALID_VALUE,
                f"Unsupported filter {expression!r}; use field.EQ:value.",
            )
        found.append(Filter(field.lower(), value))
    return found


def _equal(value: object, wanted: str) -> bool:
    if value is None:
        return wanted.lower() == "null"
    if isinstance(value, bool):
        return str(value).lower() == wanted.lower()
    if isinstance(value, int | Decimal):
        try:
            return Decimal(value) == Decimal(wanted)
        except InvalidOperation:
            return False
    return str(value).lower() == wanted.lower()


def matches(record: Mapping[str, object], filters: list[Filter]) -> bool:
    """Whether every filter holds for ``record`` (its field names compared without case)."""
    by_name = {name.lower(): value for name, value in record.items()}
    return all(_equal(by_name.get(f.field), f.value) for f in filters)


def strict_fault(kind: str, query: Mapping[str, list[str]]) -> Rejection | None:
    """What Zuora would refuse in an object query of ``kind`` that the reference lets pass: a
    query parameter the operation does not take, a filter on a field it does not list."""
    unknown = sorted(name for name in query if name not in PARAMETERS)
    if unknown:
        return Rejection(
            "query-parameter-unknown",
            Category.INVALID_QUERY_PARAMETER,
            f"Unknown query parameter {unknown[0]!r}; the operation takes {', '.join(sorted(PARAMETERS))}.",
        )
    allowed = FILTERABLE.get(kind, frozenset())
    for expression in query.get("filter[]", []):
        field = expression.partition(".")[0].lower()
        if field not in allowed and not field.endswith(CUSTOM_FIELD_SUFFIX):
            return Rejection(
                "query-filter-field-unknown",
                Category.INVALID_QUERY_PARAMETER,
                f"Cannot filter {kind} on {field!r}; the filterable fields are {', '.join(sorted(allowed))}.",
            )
    return None
