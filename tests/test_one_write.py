"""A request and an answer each cross loopback in one write.

urllib3 sends a request's head and body apart, and uvicorn writes an answer's head and body
apart: two sends each way, and the other side woken twice, on every exchange of a suite. The
kit's connection and the server's transport hold the pieces and write them together. The proof
is the writes themselves, counted; what it saves is measured by ``make bench``.
"""

from __future__ import annotations

import asyncio
import http.client

from reference_impl.server.runner import OneWrite
from steps.targets.watchdog import WatchedAdapter
from tests.servers import running_server


class _Transport:
    """What asyncio's transport is to :class:`OneWrite`: the writes it is handed, and a close."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False
        self.paused = 0

    def write(self, data: bytes) -> None:
        assert not self.closed
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def pause_reading(self) -> None:
        self.paused += 1


def test_the_writes_of_one_turn_reach_the_transport_as_one() -> None:
    async def answer() -> tuple[list[bytes], list[bytes]]:
        transport = _Transport()
        one = OneWrite(transport)  # type: ignore[arg-type]
        one.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
        one.write(memoryview(b"{}"))
        during = list(transport.writes)
        await asyncio.sleep(0)  # the next turn of the loop
        return during, transport.writes

    during, after = asyncio.run(answer())
    assert during == []
    assert after == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}"]


def test_closing_sends_what_is_held_first_and_the_rest_is_the_transports() -> None:
    async def close_at_once() -> _Transport:
        transport = _Transport()
        one = OneWrite(transport)  # type: ignore[arg-type]
        one.write(b"head")
        one.write(b"body")
        one.close()
        one.pause_reading()  # not its own: handed to the transport
        await asyncio.sleep(0)  # the flush scheduled for this turn finds nothing left
        return transport

    transport = asyncio.run(close_at_once())
    assert (transport.writes, transport.closed, transport.paused) == ([b"headbody"], True, 1)


class _Socket:
    """A connected socket that keeps what each send hands it."""

    def __init__(self) -> None:
        self.sends: list[bytes] = []

    def sendall(self, data: bytes) -> None:
        self.sends.append(bytes(data))

    def settimeout(self, _seconds: float | None) -> None:
        pass


def _connection(sock: _Socket) -> http.client.HTTPConnection:
    """A connection of the kit's adapter, connected to ``sock``."""
    pool = WatchedAdapter().poolmanager.connection_from_url("http://127.0.0.1:9")
    connection: http.client.HTTPConnection = pool.ConnectionCls("127.0.0.1", 9)
    connection.sock = sock
    return connection


def test_the_kit_sends_a_requests_head_and_body_in_one_piece() -> None:
    sock = _Socket()
    body = b'{"name": "A"}'
    _connection(sock).request("POST", "/v1/accounts", body=body, headers={"Content-Type": "application/json"})
    assert len(sock.sends) == 1
    head, sent = sock.sends[0].split(b"\r\n\r\n", 1)
    assert head.startswith(b"POST /v1/accounts HTTP/1.1\r\n")
    assert b"Content-Length: 13" in head
    assert sent == body
    _connection(sock).request("GET", "/v1/accounts/A")  # without a body: its head alone
    assert len(sock.sends) == 2
    assert sock.sends[1].startswith(b"GET /v1/accounts/A HTTP/1.1\r\n")
    assert sock.sends[1].endswith(b"\r\n\r\n")


def test_the_server_answers_in_one_write_on_every_connection() -> None:
    with running_server() as server:
        connection = http.client.HTTPConnection(server.url.removeprefix("http://"), timeout=10)
        try:
            connection.request("GET", "/conformance/v1")
            answer = connection.getresponse()
            assert (answer.status, answer.read()[:1]) == (200, b"{")
            transports = [protocol.transport for protocol in server.server.server_state.connections]
            assert transports
            assert all(isinstance(transport, OneWrite) for transport in transports)
        finally:
            connection.close()
