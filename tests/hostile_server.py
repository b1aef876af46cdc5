"""A hostile HTTP target on a free loopback port: it answers too slowly, too much, not in HTTP, or
leaks what it is sent, as a real server can (no mocking of ``requests``).

Each connection reads one request, then hands the socket to the server's *behaviour*, a
function of the socket and the :class:`Request`. The behaviours below are the faults the tests
play; :func:`answer` is a well-formed answer, for the exchanges around a fault.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import socketserver
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

__all__ = [
    "Behaviour",
    "HostileServer",
    "Request",
    "answer",
    "echo_token_as_key",
    "endless_body",
    "garbage",
    "hostile_server",
    "raw",
    "scripted",
    "silent",
    "trickle",
]

MAX_REQUEST = 1 << 20


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Tally:
    """What the server did, for the tests to check: connections taken and body bytes sent."""

    connections: int = 0
    sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, *, connections: int = 0, sent: int = 0) -> None:
        with self.lock:
            self.connections += connections
            self.sent += sent


Behaviour = Callable[[socket.socket, Request, "HostileServer"], None]


def _read_request(conn: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk or len(data) > MAX_REQUEST:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = [*lines[0].split(" ", 2), "", ""][:3]
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return Request(method, path, headers, body)


class HostileServer:
    """A threading TCP server on 127.0.0.1 playing ``behaviour`` on every connection."""

    def __init__(self, behaviour: Behaviour, tls: ssl.SSLContext | None = None) -> None:
        self.behaviour = behaviour
        self.tally = Tally()
        #: Every request read, in order.
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        #: The connections being served, cut when the server stops.
        self.open: set[socket.socket] = set()
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                conn: socket.socket = self.request
                outer.tally.add(connections=1)
                outer.open.add(conn)
                try:
                    if tls is not None:
                        conn = tls.wrap_socket(conn, server_side=True)
                    while not outer.stopping.is_set():
                        request = _read_request(conn)
                        if request is None:
                            return
                        with outer.tally.lock:
                            outer.requests.append(request)
                        outer.behaviour(conn, request, outer)
                except OSError:
                    return
                finally:
                    outer.open.discard(conn)

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening and cut the connections being served: a server gone away."""
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        for conn in list(self.open):
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


@contextmanager
def hostile_server(behaviour: Behaviour, tls: ssl.SSLContext | None = None) -> Iterator[HostileServer]:
    """A :class:`HostileServer` for the ``with`` block (over TLS with ``tls``)."""
    server = HostileServer(behaviour, tls)
    try:
        yield server
    finally:
        if not server.stopping.is_set():
            server.stop()


def _head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} X", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def answer(body: object, status: int = 200) -> Behaviour:
    """A well-formed JSON answer."""
    payload = json.dumps(body).encode()

    def play(conn: socket.socket, _request: Request, _server: HostileServer) -> None:
        head = {"Content-Type": "application/json", "Content-Length": str(len(payload))}
        conn.sendall(_head(status, head) + payload)

    return play


def raw(status: int, body: bytes, headers: dict[str, str] | None = None) -> Behaviour:
    """An answer of exactly ``body`` (any bytes), with ``headers`` (a JSON content type unless
    they say otherwise)."""

    def play(conn: socket.socket, _request: Request, _server: HostileServer) -> None:
        head = {"Content-Type": "application/json", **(headers or {}), "Content-Length": str(len(body))}
        conn.sendall(_head(status, head) + body)

    return play


def scripted(*behaviours: Behaviour) -> Behaviour:
    """The first request gets the first behaviour, the second the next, and so on; the last plays
    for every request after."""
    lock, played = threading.Lock(), [0]

    def play(conn: socket.socket, request: Request, server: HostileServer) -> None:
        with lock:
            index = min(played[0], len(behaviours) - 1)
            played[0] += 1
        behaviours[index](conn, request, server)

    return play


def trickle(part: str, every: float = 2.0) -> Behaviour:
    """One byte every ``every`` seconds, in the status line, the headers or the body (``part``)."""
    payload = b'{"success": true}' * 100
    head = _head(200, {"Content-Type": "application/json", "Content-Length": str(len(payload))})
    if part == "status":
        at = 0
    elif part == "headers":
        at = head.index(b"\r\n") + 2
    else:
        at = len(head)
    whole = head + payload

    def play(conn: socket.socket, _request: Request, server: HostileServer) -> None:
        conn.sendall(whole[:at])
        for index in range(at, len(whole)):
            if server.stopping.wait(every):
                return
            conn.sendall(whole[index : index + 1])

    return play


def endless_body(total: int, *, declared: bool) -> Behaviour:
    """A body of ``total`` bytes, written as fast as the client takes it (counted in the tally),
    with its Content-Length declared or not (then the end of the body is the end of the
    connection)."""
    chunk = b" " * 65536

    def play(conn: socket.socket, _request: Request, server: HostileServer) -> None:
        headers = {"Content-Type": "application/json"}
        headers["Content-Length" if declared else "Connection"] = str(total) if declared else "close"
        conn.sendall(_head(200, headers) + b"{")
        sent = 1
        try:
            while sent < total and not server.stopping.is_set():
                conn.sendall(chunk)
                sent += len(chunk)
        finally:
            server.tally.add(sent=sent)
        conn.close()

    return play


def garbage(text: bytes = b"hello\r\n") -> Behaviour:
    """Something that is not HTTP, then the connection is closed."""

    def play(conn: socket.socket, _request: Request, _server: HostileServer) -> None:
        conn.sendall(text)
        conn.shutdown(socket.SHUT_RDWR)
        conn.close()

    return play


def silent(_conn: socket.socket, _request: Request, server: HostileServer) -> None:
    """Takes the request and never answers (until the server stops)."""
    server.stopping.wait()


def echo_token_as_key(upstream: str) -> Behaviour:
    """A proxy to the server at ``upstream`` that adds the bearer token it was sent as a key to
    every JSON object answer (at the top, and nested under itself)."""
    host, _, port = upstream.removeprefix("http://").partition(":")

    def play(conn: socket.socket, request: Request, _server: HostileServer) -> None:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        forwarded = {k: v for k, v in request.headers.items() if k not in ("host", "connection")}
        client = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            client.request(request.method, request.path, body=request.body or None, headers=forwarded)
            reply = client.getresponse()
            status, payload = reply.status, reply.read()
        finally:
            client.close()
        try:
            body = json.loads(payload)
        except ValueError:
            body = None
        if isinstance(body, dict):
            body[token] = {token: True}
            payload = json.dumps(body).encode()
        head = {"Content-Type": "application/json", "Content-Length": str(len(payload))}
        conn.sendall(_head(status, head) + payload)

    return play
