"""A loopback proxy that answers the way other honest implementations of Zuora's API may answer.

It stands in front of a reference server and rewrites the public API's answers, one variation at
a time or all together, without changing what they mean:

* ``numbers``: JSON numbers re-encoded (``30.00`` becomes ``30``, ``30.50`` becomes ``30.5``);
* ``reversed``: every list in reverse order;
* ``paged``: object-query listings one record per page, led on by an opaque ``nextPage`` cursor;
* ``nulls``: every field Zuora's answer has but the upstream left out, sent as ``null``;
* ``omitted``: every ``null`` field left out;
* ``zuora_only``: fields Zuora has that the reference does not send (audit fields, ids of the
  request), with plausible values, and a field no version of Zuora has yet;
* ``codes``: refusals re-coded within what the documented decisions accept (a rule restriction
  as an invalid value, under another resource code), and a refused create-order answered with
  HTTP 200 and ``success: false``, as Zuora documents.

The control API passes through unchanged. Every loop is bounded; :func:`running_proxy` stops
the proxy on leaving its block.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from billing_conformance.jsonio import dumps, loads
from reference_impl.server.strict import RESPONSE_SCHEMAS, shape_of

__all__ = ["VARIATIONS", "RunningProxy", "rewrite", "running_proxy"]

VARIATIONS = ("numbers", "reversed", "paged", "nulls", "omitted", "zuora_only", "codes")
_AUDIT = {
    "createdDate": "2026-01-01 00:00:00",
    "updatedDate": "2026-01-01 00:00:00",
    "createdById": "2c93808457d787030157e031d86c4c57",
    "updatedById": "2c93808457d787030157e031d86c4c57",
    "createdBy": "2c93808457d787030157e031d86c4c57",
    "updatedBy": "2c93808457d787030157e031d86c4c57",
    "processId": "9C6A2AE7E1A5F2C0",
    "requestId": "7a2d3f5e-0f8e-4c1b-9d3a-2b6c1e4f5a7d",
}
FUTURE_FIELD = "conformanceFutureField"
#: Request headers passed upstream: credentials, content, version, and the scenario's tenant.
_FORWARDED = ("authorization", "content-type", "accept", "zuora-version", "x-conformance-tenant")
_MAX_UPSTREAM_PAGES = 100


def _numbers(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value.normalize()
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    return value


def _reversed(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _reversed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_reversed(v) for v in reversed(value)]
    return value


def _omitted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _omitted(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_omitted(v) for v in value]
    return value


def _fill(value: Any, shape: Any, fill: Any) -> Any:
    """``value`` with ``fill(name, shape)`` applied to every object along its schema."""
    if isinstance(value, list):
        inner = shape.items() if shape is not None else None
        return [_fill(v, inner, fill) for v in value]
    if not isinstance(value, dict):
        return value
    fields = shape.properties() if shape is not None else None
    if fields is None:
        return value
    done = {k: _fill(v, fields.get(k), fill) for k, v in value.items()}
    for name, sub in fields.items():
        if name not in done:
            added = fill(name, sub)
            if added is not _SKIP:
                done[name] = added
    return done


_SKIP = object()


def _null(_: str, __: Any) -> Any:
    return None


def _zuora_only(name: str, _: Any) -> Any:
    return _AUDIT.get(name, _SKIP)


def _codes(operation: str, status: int, body: Any) -> tuple[int, Any]:
    if not (isinstance(body, dict) and body.get("success") is False):
        return status, body
    reasons = []
    for reason in body.get("reasons") or []:
        code = reason.get("code")
        recoded: str | int | None = code
        if str(code).endswith("30"):
            recoded = "53100320" if isinstance(code, str) else 53100320
        reasons.append({**reason, "code": recoded})
    body = {**body, "reasons": reasons}
    if operation == "POST /v1/orders" and 400 <= status < 500 and status != 404:
        status = 200
    return status, body


def rewrite(variation: str, operation: str, status: int, body: Any) -> tuple[int, Any]:
    """The answer ``status``, ``body`` to ``operation`` as ``variation`` rewrites it (not paging)."""
    shape = shape_of(operation, body)
    if variation == "numbers":
        return status, _numbers(body)
    if variation == "reversed":
        return status, _reversed(body)
    if variation == "omitted":
        return status, _omitted(body)
    if variation == "nulls":
        return status, _fill(body, shape, _null)
    if variation == "zuora_only":
        filled = _fill(body, shape, _zuora_only)
        if isinstance(filled, dict) and body.get("success") is not False:
            filled[FUTURE_FIELD] = {"introducedIn": "a later Zuora version"}
        return status, filled
    if variation == "codes":
        return _codes(operation, status, body)
    return status, body


def _operation(method: str, path: str) -> str | None:
    """The routed operation ("GET /v1/invoices/{key}") a request path belongs to, if public."""
    parts = path.strip("/").split("/")
    for operation in RESPONSE_SCHEMAS:
        verb, template = operation.split(" ", 1)
        pattern = template.strip("/").split("/")
        if (
            verb == method
            and len(pattern) == len(parts)
            and all(p == q or p.startswith("{") for p, q in zip(pattern, parts, strict=True))
        ):
            return operation
    return None


@dataclass
class RunningProxy:
    url: str
    server: ThreadingHTTPServer
    thread: threading.Thread


def _handler(upstream: str, variations: tuple[str, ...]) -> type[BaseHTTPRequestHandler]:
    session = requests.Session()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return None

        def _forward(self, path: str, body: bytes | None) -> tuple[int, bytes, str]:
            headers = {k: v for k, v in self.headers.items() if k.lower() in _FORWARDED}
            reply = session.request(
                self.command, upstream + path, data=body, headers=headers, timeout=30, allow_redirects=False
            )
            return reply.status_code, reply.content, reply.headers.get("content-type", "")

        def _listing(self, split: Any) -> tuple[int, bytes, str]:
            """An object-query listing, fetched whole upstream, served one record per page."""
            query = {k: v for k, v in parse_qs(split.query).items() if k not in ("cursor", "pageSize")}
            records: list[Any] = []
            cursor: str | None = None
            for _ in range(_MAX_UPSTREAM_PAGES):
                params = {**query, "pageSize": ["50"], **({"cursor": [cursor]} if cursor else {})}
                status, raw, kind = self._forward(f"{split.path}?{urlencode(params, doseq=True)}", None)
                body = loads(raw)
                if status != 200 or not isinstance(body, dict):
                    return status, raw, kind
                records += body.get("data") or []
                cursor = body.get("nextPage")
                if not cursor:
                    break
            given = parse_qs(split.query).get("cursor", ["page-0"])[0]
            at = int(given.removeprefix("page-")) if given.removeprefix("page-").isdigit() else 0
            page: dict[str, Any] = {"data": records[at : at + 1]}
            if at + 1 < len(records):
                page["nextPage"] = f"page-{at + 1}"
            return 200, dumps(page).encode(), "application/json"

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else None
            split = urlsplit(self.path)
            operation = _operation(self.command, split.path)
            if operation is not None and "paged" in variations and split.path.startswith("/object-query/"):
                status, raw, kind = self._listing(split)
            else:
                status, raw, kind = self._forward(self.path, body)
            if operation is not None and kind.startswith("application/json") and raw:
                decoded = loads(raw)
                for variation in variations:
                    status, decoded = rewrite(variation, operation, status, decoded)
                raw = dumps(decoded).encode()
            self.send_response(status)
            self.send_header("Content-Type", kind or "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return Handler


@contextmanager
def running_proxy(upstream: str, variations: tuple[str, ...]) -> Iterator[RunningProxy]:
    """The proxy on a free loopback port, in front of ``upstream``, for the ``with`` block."""
    unknown = set(variations) - set(VARIATIONS)
    if unknown:
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
