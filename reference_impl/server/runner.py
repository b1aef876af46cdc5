"""Running the reference server: the one start-up path of ``billing-conformance serve`` (in the
foreground), the tests and the benchmarks (in a background thread on a free loopback port).

Every answer of the server is small and written in two pieces (head, then body). With Nagle's
algorithm on, the second piece waits for the client's delayed ACK, about 40 ms, on every request
after the first of a keep-alive connection: minutes over a suite. So TCP_NODELAY is set on the
listening socket (Linux copies it onto each accepted connection) and, by the protocol below, on
every accepted connection itself, whatever the platform. asyncio would set it on its own only
for a socket made with ``proto=IPPROTO_TCP``, which ``socket.create_server`` does not give.

HTTP is parsed by httptools (the parser uvicorn picks when it is installed, and Node's), not by
the pure-Python h11: on loopback the server's share of a request is mostly parsing and framing.
The two pieces of an answer are handed to the socket together (:class:`OneWrite`): one send
instead of two, and the client wakes once for the whole answer.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["NoDelayProtocol", "OneWrite", "RunningServer", "listen", "serve_in_background", "server_for"]


class OneWrite:
    """A connection's transport whose writes of one turn of the event loop reach the socket as
    one write, at the start of the next turn (an answer's head and body are written in the same
    turn). Closing sends what is held first; everything else is the transport's own."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        self._held: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._held:
            asyncio.get_running_loop().call_soon(self._flush)
        self._held.append(bytes(data))

    def _flush(self) -> None:
        held, self._held = b"".join(self._held), []
        if held and not self._transport.is_closing():
            self._transport.write(held)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401 - the transport's own
        return getattr(self._transport, name)


class NoDelayProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with TCP_NODELAY set on each connection it is handed and
    each answer written at once (:class:`OneWrite`)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        connection = transport.get_extra_info("socket")
        if connection is not None and connection.family in (socket.AF_INET, socket.AF_INET6):
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(OneWrite(transport))  # type: ignore[arg-type]


def listen(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening socket on ``host``:``port`` (a free port for 0), with TCP_NODELAY; raises
    OSError when the address cannot be had."""
    sock = socket.create_server((host, port))
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        sock.close()
        raise
    return sock


def server_for(app: FastAPI) -> uvicorn.Server:
    """The uvicorn server every start uses (``serve``, the tests, the benchmarks): run it with
    ``.run(sockets=[listen(...)])``."""
    # The server reads nothing a proxy forwards (no client address, scheme or host), so uvicorn's
    # forwarded-headers middleware would only cost time; its "server" header says nothing needed.
    config = uvicorn.Config(
        app,
        log_level="warning",
        lifespan="off",
        http=NoDelayProtocol,
        proxy_headers=False,
        server_header=False,
    )
    return uvicorn.Server(config)


@dataclass
class RunningServer:
    url: str
    app: FastAPI
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def serve_in_background(app: FastAPI, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    """Serve ``app`` from a thread on ``host`` (a free port unless one is given) until stopped."""
    sock = listen(host, port)
    bound = sock.getsockname()[1]
    server = server_for(app)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="reference-server"
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            sock.close()
            msg = "the reference server did not start"
            raise RuntimeError(msg)
        time.sleep(0.01)
    return RunningServer(f"http://{host}:{bound}", app, server, thread)
