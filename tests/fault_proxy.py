"""A loopback proxy in front of a real server that plays faults on chosen requests.

Everything else passes through unchanged, so a test runs the real suite against the reference
server and meets one fault exactly where it wants it: a transient 5xx on a tenant's creation, a
redirect to another origin, a refused or missing control operation, an answer nested too deep.
Each :class:`Fault` matches requests by method and path (a regular expression matched against the
whole path, without the query) and answers the first ``times`` of them (all, by default) with its
``play``, which may also forward the request and rewrite the real answer. The proxy records every
request it was sent (:attr:`FaultProxy.seen`).
"""

from __future__ import annotations

import functools
import json
import re
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

__all__ = [
    "Fault",
    "FaultProxy",
    "Reply",
    "Seen",
    "envelope",
    "fault_proxy",
    "first_per_client",
    "html",
    "nested",
    "redirect",
    "reply",
]

#: Request headers not passed upstream (the connection's own).
_HOP = frozenset(
    {"host", "connection", "content-length", "transfer-encoding", "keep-alive", "accept-encoding"}
)
#: Answer headers passed back from upstream.
_BACK = ("content-type", "location", "retry-after", "allow")


@dataclass(frozen=True)
class Seen:
    """A request the proxy was sent."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    #: The client's address and port: one connection (a kept-alive one serves a whole process).
    client: str = ""

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


#: What a fault answers: given the request and a way to get the real answer from upstream.
Play = Callable[[Seen, Callable[[], Reply]], Reply]


@dataclass
class Fault:
    """The first ``times`` requests (every one when None) matching ``method`` and ``path`` (and
    ``when``, if given) are answered by ``play``."""

    method: str
    path: str
    play: Play
    times: int | None = None
    when: Callable[[Seen], bool] | None = None
    served: int = 0

    def takes(self, seen: Seen) -> bool:
        if seen.method != self.method or not re.fullmatch(self.path, seen.path):
            return False
        if self.when is not None and not self.when(seen):
            return False
        return self.times is None or self.served < self.times


def first_per_client() -> Callable[[Seen], bool]:
    """A ``when`` that takes the first matching request of each connection, and no other."""
    clients: set[str] = set()

    def first(seen: Seen) -> bool:
        fresh = seen.client not in clients
        clients.add(seen.client)
        return fresh

    return first


def reply(status: int, body: object, headers: dict[str, str] | None = None) -> Play:
    """A JSON answer."""
    payload = json.dumps(body).encode()
    return lambda _seen, _forward: Reply(
        status, payload, {"Content-Type": "application/json", **(headers or {})}
    )


def envelope(status: int, code: str, message: str) -> Play:
    """Zuora's error envelope."""
    return reply(status, {"success": False, "reasons": [{"code": code, "message": message}]})


def html(status: int, text: str = "<html><body><h1>Bad Gateway</h1></body></html>") -> Play:
    """What a gateway in front of a target answers when the target is down: a page, not JSON."""
    return lambda _seen, _forward: Reply(status, text.encode(), {"Content-Type": "text/html"})


def redirect(status: int, location: Callable[[Seen], str]) -> Play:
    """A redirect to wherever ``location`` says for the request."""
    return lambda seen, _forward: Reply(status, b"", {"Location": location(seen)})


def nested(depth: int) -> Play:
    """A JSON answer of arrays nested ``depth`` levels deep (about two bytes a level)."""
    payload = b"[" * depth + b"]" * depth
    return lambda _seen, _forward: Reply(200, payload, {"Content-Type": "application/json"})


class FaultProxy:
    """The proxy's state: its URL, the faults it plays and the requests it was sent."""

    def __init__(self, upstream: str, faults: list[Fault]) -> None:
        self.upstream = upstream.rstrip("/")
        self.faults = faults
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.url = ""

    def count(self, method: str, path: str) -> int:
        """Requests sent to the proxy with ``method`` whose path matches ``path``."""
        with self.lock:
            return sum(1 for s in self.seen if s.method == method and re.fullmatch(path, s.path))

    def answer(self, seen: Seen) -> Reply:
        with self.lock:
            self.seen.append(seen)
            fault = next((f for f in self.faults if f.takes(seen)), None)
            if fault is not None:
                fault.served += 1
        forward = functools.partial(self._forward, seen)
        return forward() if fault is None else fault.play(seen, forward)

    def _forward(self, seen: Seen) -> Reply:
        url = self.upstream + seen.path + (f"?{seen.query}" if seen.query else "")
        headers = {k: v for k, v in seen.headers.items() if k.lower() not in _HOP}
        got = _session().request(
            seen.method, url, data=seen.body or None, headers=headers, timeout=30, allow_redirects=False
        )
        kept = {name: got.headers[name] for name in _BACK if name in got.headers}
        return Reply(got.status_code, got.content, kept)


_LOCAL = threading.local()


def _session() -> requests.Session:
    if not hasattr(_LOCAL, "session"):
        _LOCAL.session = requests.Session()
    found: requests.Session = _LOCAL.session
    return found


def _handler(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return None

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            path, _, query = self.path.partition("?")
            client = f"{self.client_address[0]}:{self.client_address[1]}"
            seen = Seen(self.command, path, query, dict(self.headers.items()), body, client)
            answered = proxy.answer(seen)
            self.send_response(answered.status)
            for name, value in answered.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answered.body)))
            self.end_headers()
            self.wfile.write(answered.body)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

    return Handler


@contextmanager
def fault_proxy(upstream: str, *faults: Fault) -> Iterator[FaultProxy]:
    """The proxy on a free loopback port in front of ``upstream``, for the ``with`` block."""
    proxy = FaultProxy(upstream, list(faults))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(proxy))
    server.daemon_threads = True
    server.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    proxy.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
