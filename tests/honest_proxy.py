"""A loopback proxy that answers the way other honest implementations of Zuora's API may answer.

It stands in front of a reference server and rewrites the public API's answers, one variation at
a time or all together, without changing what they mean:

* ``numbers``: JSON numbers re-encoded, exactly (``30.00`` becomes ``30.0``, ``30.50`` ``30.5``;
  with ``all``, an integral value becomes ``30``);
* ``reversed``: every list in reverse order;
* ``paged``: object-query listings one record per page, led on by an opaque ``nextPage`` cursor
  that the client sends back as ``cursor``;
* ``nulls``: every field Zuora's answer has but the upstream left out, sent as ``null``;
* ``omitted``: every ``null`` field left out;
* ``zuora_only``: string fields Zuora has that the upstream did not send (audit fields, ids of
  the request, comments), with plausible values, and in every object a field no Zuora has yet;
* ``codes``: refusals re-coded within what the kit's documented decisions accept (a rule
  restriction, code ending 30, as an invalid value, ending 20, under another resource), and a
  refused create-order (HTTP 400) answered with HTTP 200 and ``success: false``, as Zuora
  documents; not found stays not found;
* ``memos_listed``: a create-order answer that lists the write-off credit memos among its credit
  memos too;
* ``samples``: answers shaped like the samples of Zuora's API reference: a bill run's bill cycle
  day a number, an occurrence of a schedule with no target date but its offset from the
  scheduled execution, a canceled occurrence without the schedule its next run carries, and
  credit memo items without finance information carrying their charge's own accounting codes.

``all`` is every variation at once; where ``nulls`` and ``omitted`` meet, each field is sent as
``null`` or left out by its name. Which fields Zuora's answers have is
``schemas/zuora-response-fields.json``; the rewrites are :mod:`tests.honest_rewrites`. The
control API and ``/oauth/token`` pass through unchanged. Every loop is bounded;
:func:`running_proxy` stops the proxy on leaving its block.
"""

from __future__ import annotations

import secrets
import socket
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from schemas.jsonio import dumps, loads
from tests.honest_rewrites import (
    ALL,
    FUTURE_FIELD,
    VARIATIONS,
    ZUORA_ONLY_VALUES,
    left_out,
    operation_of,
    rewrite,
)

__all__ = [
    "ALL",
    "FUTURE_FIELD",
    "VARIATIONS",
    "ZUORA_ONLY_VALUES",
    "RunningProxy",
    "bill_customer",
    "left_out",
    "operation_of",
    "rewrite",
    "running_proxy",
]

#: Request headers passed upstream: credentials, content, version, the scenario's tenant, retries.
_FORWARDED = (
    "authorization",
    "content-type",
    "accept",
    "zuora-version",
    "x-conformance-tenant",
    "idempotency-key",
)
_MAX_UPSTREAM_PAGES = 200
_MAX_CURSORS = 10_000


# --- paging ---------------------------------------------------------------------------------------


class _Cursors:
    """Opaque ``nextPage`` tokens: each stands for a listing (path and query) and a position."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, tuple[str, int]] = {}

    def issue(self, listing: str, at: int) -> str:
        token = secrets.token_urlsafe(12)
        with self._lock:
            if len(self._tokens) >= _MAX_CURSORS:
                self._tokens.pop(next(iter(self._tokens)))
            self._tokens[token] = (listing, at)
        return token

    def position(self, listing: str, token: str) -> int | None:
        with self._lock:
            found = self._tokens.get(token)
        return found[1] if found and found[0] == listing else None


def _refusal(message: str) -> tuple[int, bytes]:
    body = {"success": False, "reasons": [{"code": "50000020", "message": message}]}
    return 400, dumps(body).encode()


# --- arranging something to page through ----------------------------------------------------------


def _call(url: str, method: str, path: str, body: object = None) -> Any:
    reply = requests.request(method, url + path, json=body, timeout=10)
    if reply.status_code >= 300:
        raise AssertionError(f"{method} {path}: {reply.status_code} {reply.text}")
    return reply.json()


def bill_customer(url: str, name: str) -> str:
    """Through the public API of the server at ``url``: an account ``name``, subscribed to the
    first rate plan of the catalog and billed at once; the number of the invoice it got."""
    account = _call(
        url,
        "POST",
        "/v1/accounts",
        {
            "name": name,
            "currency": "USD",
            "billCycleDay": 0,
            "billToContact": {"firstName": name, "lastName": "B"},
        },
    )
    plan = _call(url, "GET", "/v1/catalog/products")["products"][0]["productRatePlans"][0]["id"]
    today = _call(url, "GET", "/conformance/v1/clock")["now"][:10]
    names = ("ContractEffective", "ServiceActivation", "CustomerAcceptance")
    action = {
        "type": "CreateSubscription",
        "triggerDates": [{"name": n, "triggerDate": today} for n in names],
        "createSubscription": {
            "subscribeToRatePlans": [{"productRatePlanId": plan}],
            "terms": {"initialTerm": {"period": 12, "periodType": "Month", "termType": "TERMED"}},
        },
    }
    order = {
        "orderDate": today,
        "existingAccountNumber": account["accountNumber"],
        "subscriptions": [{"orderActions": [action]}],
        "processingOptions": {"runBilling": True, "billingOptions": {"targetDate": today}},
    }
    number: str = _call(url, "POST", "/v1/orders", order)["invoiceNumbers"][0]
    return number


# --- the server -----------------------------------------------------------------------------------


@dataclass
class RunningProxy:
    url: str
    server: ThreadingHTTPServer
    thread: threading.Thread


def _handler(upstream: str, variations: tuple[str, ...]) -> type[BaseHTTPRequestHandler]:
    local = threading.local()
    cursors = _Cursors()
    paged = "paged" in variations or ALL in variations

    def session() -> requests.Session:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        found: requests.Session = local.session
        return found

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return None

        def _forward(self, path: str, body: bytes | None) -> tuple[int, bytes, str]:
            headers = {k: v for k, v in self.headers.items() if k.lower() in _FORWARDED}
            reply = session().request(
                self.command, upstream + path, data=body, headers=headers, timeout=30, allow_redirects=False
            )
            return reply.status_code, reply.content, reply.headers.get("content-type", "")

        def _listing(self, path: str, query: Mapping[str, list[str]]) -> tuple[int, bytes, str]:
            """An object-query listing, fetched whole upstream, served one record per page."""
            kept = {k: v for k, v in sorted(query.items()) if k not in ("cursor", "pageSize")}
            listing = f"{path}?{urlencode(kept, doseq=True)}"
            size = query.get("pageSize", ["50"])[0]
            if not (size.isdigit() and 1 <= int(size) <= 50):
                return (*_refusal("pageSize must be 1 to 50."), "application/json")
            at = 0
            if "cursor" in query:
                found = cursors.position(listing, query["cursor"][0])
                if found is None:
                    return (*_refusal(f"Unknown cursor {query['cursor'][0]!r}."), "application/json")
                at = found
            records: list[Any] = []
            first: dict[str, Any] | None = None
            cursor: str | None = None
            for _ in range(_MAX_UPSTREAM_PAGES):
                params = {**kept, "pageSize": ["50"], **({"cursor": [cursor]} if cursor else {})}
                status, raw, kind = self._forward(f"{path}?{urlencode(params, doseq=True)}", None)
                body = loads(raw) if raw else None
                if status != 200 or not isinstance(body, dict):
                    return status, raw, kind
                first = first or body
                records += body.get("data") or []
                cursor = body.get("nextPage")
                if not cursor:
                    break
            page = {k: v for k, v in (first or {}).items() if k not in ("data", "nextPage")}
            page["data"] = records[at : at + 1]
            if at + 1 < len(records):
                page["nextPage"] = cursors.issue(listing, at + 1)
            return 200, dumps(page).encode(), "application/json"

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else None
            split = urlsplit(self.path)
            operation = operation_of(self.command, split.path)
            if operation is not None and paged and split.path.startswith("/object-query/"):
                status, raw, kind = self._listing(split.path, parse_qs(split.query, keep_blank_values=True))
            else:
                status, raw, kind = self._forward(self.path, body)
            if operation is not None and kind.startswith("application/json") and raw:
                status, decoded = rewrite(variations, operation, status, loads(raw))
                raw = dumps(decoded).encode()
            self.send_response(status)
            self.send_header("Content-Type", kind or "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

    return Handler


@contextmanager
def running_proxy(upstream: str, variations: tuple[str, ...]) -> Iterator[RunningProxy]:
    """The proxy on a free loopback port, in front of ``upstream``, for the ``with`` block."""
    unknown = set(variations) - {*VARIATIONS, ALL}
    if unknown or not variations:
        raise ValueError(f"unknown variations: {sorted(unknown)}")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(upstream, variations))
    server.daemon_threads = True
    server.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield RunningProxy(f"http://127.0.0.1:{server.server_address[1]}", server, thread)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
