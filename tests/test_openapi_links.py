"""The served document's links lead a client to every operation that needs another's answer.

Schemathesis's stateful phase follows OpenAPI links only; an operation no link points to is
fuzzed with made-up keys and never reaches the server's logic. These tests hold the document
to two things: every operation that takes a key (a path parameter) or data only another answer
gives (a payment needs an invoice) is the target of a link; and following the links from
creating a tenant, as a client would (the walkthrough's bodies as they are, the runtime
expressions evaluated on real answers), reaches each of those operations with a key that exists
(never 404) and without a server error.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Any

import pytest
import requests

from reference_impl.server.links import LINKS
from tests.servers import running_server

#: Operations that need something only another operation's answer gives, though they take no key.
NEEDS_ANOTHERS_ANSWER = frozenset({"post /v1/payments"})
#: The walk's bound: far more requests than following each link of each answer once needs.
_MOST_REQUESTS = 400
_EMBEDDED = re.compile(r"\{(\$[^}]+)\}")


class Unresolved(Exception):
    """A runtime expression found nothing in the answer it reads (a list that came back empty)."""


def _document(url: str) -> dict[str, Any]:
    answer: dict[str, Any] = requests.get(f"{url}/openapi.json", timeout=30).json()
    return answer


def _operations(document: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        operation["operationId"]: (method.upper(), path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }


def _links(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(source operationId, link name, link) for every link of every answer."""
    return [
        (operation["operationId"], name, link)
        for methods in document["paths"].values()
        for operation in methods.values()
        for answer in operation["responses"].values()
        for name, link in answer.get("links", {}).items()
    ]


def _pointer(document: object, pointer: str) -> object:
    found = document
    for part in pointer.lstrip("/").split("/") if pointer.strip("/") else []:
        if isinstance(found, list) and part.isdigit() and int(part) < len(found):
            found = found[int(part)]
        elif isinstance(found, dict) and part in found:
            found = found[part]
        else:
            raise Unresolved(pointer)
    return found


def _evaluate(expression: object, sent: dict[str, str], answer: object) -> object:
    """A link's runtime expression (OpenAPI 3.1, "Runtime Expressions") on the request sent (its
    headers) and the answer it got; dicts and lists are evaluated member by member."""
    if isinstance(expression, dict):
        return {key: _evaluate(value, sent, answer) for key, value in expression.items()}
    if isinstance(expression, list):
        return [_evaluate(value, sent, answer) for value in expression]
    if not isinstance(expression, str) or "$" not in expression:
        return expression
    if _EMBEDDED.search(expression):
        return _EMBEDDED.sub(lambda m: str(_evaluate(m.group(1), sent, answer)), expression)
    if expression.startswith("$response.body#"):
        return _pointer(answer, expression.removeprefix("$response.body#"))
    if expression.startswith("$request.header."):
        name = expression.removeprefix("$request.header.")
        if name not in sent:
            raise Unresolved(expression)
        return sent[name]
    msg = f"an expression the walk does not read: {expression}"
    raise AssertionError(msg)


def _request(link: dict[str, Any], sent: dict[str, str], answer: object) -> dict[str, Any]:
    path: dict[str, str] = {}
    query: dict[str, str] = {}
    headers: dict[str, str] = {}
    for name, expression in link.get("parameters", {}).items():
        where, _, parameter = name.partition(".")
        value = str(_evaluate(expression, sent, answer))
        {"path": path, "query": query, "header": headers}[where][parameter] = value
    body = _evaluate(link["requestBody"], sent, answer) if "requestBody" in link else None
    return {"path": path, "query": query, "headers": headers, "body": body}


def _walk(url: str, document: dict[str, Any]) -> dict[str, list[int]]:
    """Follow every link from creating a tenant, depth first and in the order the document lists
    them (a walkthrough: an invoice is paid before the order after it writes it off), every
    link of every answer once; deletions wait until
    nothing else is left (a deleted key would make the links after it lead nowhere), the last
    found first (the tenant goes last). The statuses each operation got."""
    operations = _operations(document)
    reached: dict[str, list[int]] = {}
    pending: deque[tuple[str, dict[str, Any]]] = deque(
        [("post /conformance/v2/tenants", {"path": {}, "query": {}, "headers": {}, "body": None})]
    )
    deletions: deque[tuple[str, dict[str, Any]]] = deque()
    while pending or deletions:
        assert sum(map(len, reached.values())) < _MOST_REQUESTS, "the links go round in circles"
        operation_id, request = pending.pop() if pending else deletions.pop()
        method, template, operation = operations[operation_id]
        path = template.format(**request["path"])
        answer = requests.request(
            method,
            f"{url}{path}",
            params=request["query"],
            headers=request["headers"],
            json=request["body"] if "requestBody" in operation else None,
            timeout=30,
        )
        reached.setdefault(operation_id, []).append(answer.status_code)
        links = operation["responses"].get(str(answer.status_code), {}).get("links", {})
        for link in reversed(links.values()):
            try:
                step = _request(link, request["headers"], answer.json())
            except Unresolved:
                continue  # a list that came back empty: another answer may have it
            target = link["operationId"]
            (deletions if operations[target][0] == "DELETE" else pending).append((target, step))
    return reached


@pytest.fixture(scope="module")
def document_and_walk() -> tuple[dict[str, Any], dict[str, list[int]]]:
    with running_server() as server:
        document = _document(server.url)
        return document, _walk(server.url, document)


def test_every_operation_that_needs_a_key_is_the_target_of_a_link(
    document_and_walk: tuple[dict[str, Any], dict[str, list[int]]],
) -> None:
    document, _ = document_and_walk
    operations = _operations(document)
    needing = {
        operation_id
        for operation_id, (_, path, _) in operations.items()
        if "{" in path or operation_id in NEEDS_ANOTHERS_ANSWER
    }
    targets = {link["operationId"] for _, _, link in _links(document)}
    assert needing, "the document has operations with keys"
    assert needing <= targets, sorted(needing - targets)
    assert targets <= set(operations), sorted(targets - set(operations))


def test_every_link_names_parameters_its_target_takes(
    document_and_walk: tuple[dict[str, Any], dict[str, list[int]]],
) -> None:
    document, _ = document_and_walk
    operations = _operations(document)
    for source, name, link in _links(document):
        target = operations[link["operationId"]][2]
        taken = {(p["in"], p["name"]) for p in target.get("parameters", [])}
        for parameter in link.get("parameters", {}):
            where, _, named = parameter.partition(".")
            assert (where, named) in taken, f"{source} -> {name}: {parameter}"
        assert ("requestBody" in link) <= ("requestBody" in target), f"{source} -> {name}"


def test_following_the_links_reaches_every_target_with_a_key_that_exists(
    document_and_walk: tuple[dict[str, Any], dict[str, list[int]]],
) -> None:
    document, reached = document_and_walk
    targets = {link["operationId"] for _, _, link in _links(document)}
    assert set(targets) - set(reached) == set(), "never reached"
    for operation_id in sorted(targets):
        statuses = reached[operation_id]
        assert all(status < 500 for status in statuses), (operation_id, statuses)
        assert any(status != 404 for status in statuses), (operation_id, statuses)


def test_the_walkthrough_makes_what_the_rules_are_about(
    document_and_walk: tuple[dict[str, Any], dict[str, list[int]]],
) -> None:
    """The walk is not only refusals: it orders, bills, pays and credits for real."""
    _, reached = document_and_walk
    for operation_id in (
        "post /v1/orders",
        "post /v1/bill-runs",
        "post /v1/payments",
        "get /v1/invoices/{key}",
        "get /v1/credit-memos/{key}",
        "get /v1/credit-memos/{key}/items",
        "put /v1/bill-runs/{key}/cancel",
        "get /v1/async-jobs/{key}",
    ):
        assert 200 in reached[operation_id], (operation_id, reached[operation_id])


def test_every_link_source_is_an_operation_and_status_the_document_has() -> None:
    with running_server() as server:
        document = _document(server.url)
    operations = _operations(document)
    for operation_id, status in LINKS:
        assert operation_id in operations, operation_id
        assert str(status) in operations[operation_id][2]["responses"], (operation_id, status)
