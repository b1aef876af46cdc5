"""The server answers without Nagle's delay: TCP_NODELAY on every connection it accepts.

Without it, each request after the first on a keep-alive connection waits about 40 ms for the
client's delayed ACK (``serve`` did, while the tests' servers did not: a suite over loopback took
40 times as long as in process). The proof here is the socket option itself, read on the server's
side of the connection, never a timing; how long the suite takes is measured by ``make bench``.
"""

from __future__ import annotations

import ctypes
import errno
import http.client
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn

from reference_impl.server import create_app
from reference_impl.server.runner import NoDelayProtocol, server_for
from tests.servers import running_server

_PIDFD_GETFD = 438  # the same number on every Linux architecture but alpha


def _nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def _two_requests(port: int) -> http.client.HTTPConnection:
    """A keep-alive connection to ``port`` that has carried two requests, still open."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for _ in range(2):
        connection.request("GET", "/conformance/v1")
        answer = connection.getresponse()
        answer.read()
        assert answer.status == 200
        assert not answer.will_close
    return connection


def _accepted_sockets_nodelay(server: uvicorn.Server) -> list[int]:
    """TCP_NODELAY of each connection an in-thread uvicorn server holds."""
    return [
        _nodelay(protocol.transport.get_extra_info("socket")) for protocol in server.server_state.connections
    ]


def test_the_tests_servers_accept_connections_without_nagle() -> None:
    with running_server() as server:
        port = int(server.url.rsplit(":", 1)[1])
        connection = _two_requests(port)
        try:
            assert _accepted_sockets_nodelay(server.server) == [1]
        finally:
            connection.close()


def test_each_accepted_connection_gets_nodelay_even_from_a_plain_listener() -> None:
    """The protocol sets the option itself, so a platform whose accepted sockets do not inherit
    it from the listener (or a listener made without it) still answers without delay."""
    plain = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    plain.bind(("127.0.0.1", 0))
    assert _nodelay(plain) == 0
    port = plain.getsockname()[1]
    server = server_for(create_app())
    assert server.config.http is NoDelayProtocol
    thread = threading.Thread(target=server.run, kwargs={"sockets": [plain]}, daemon=True)
    thread.start()
    try:
        for _ in range(500):
            if server.started:
                break
            threading.Event().wait(0.02)
        assert server.started
        connection = _two_requests(port)
        try:
            assert _accepted_sockets_nodelay(server) == [1]
        finally:
            connection.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def _serve_as_the_readme_does() -> Iterator[tuple[subprocess.Popen[str], int]]:
    """``billing-conformance serve --port ...`` in another process, on a free loopback port."""
    command = Path(sys.executable).with_name("billing-conformance")
    server = subprocess.Popen(
        [str(command), "serve", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith("serving the reference implementation on http://127.0.0.1:"), line
        yield server, int(line.split("http://127.0.0.1:", 1)[1].split(" ", 1)[0])
    finally:
        server.terminate()
        server.communicate(timeout=30)


def _peer_socket(pid: int, peer: tuple[str, int]) -> socket.socket:
    """A duplicate of process ``pid``'s socket connected to ``peer`` (Linux's pidfd_getfd)."""
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = os.pidfd_open(pid)
    try:
        for name in os.listdir(f"/proc/{pid}/fd"):
            try:
                if not os.readlink(f"/proc/{pid}/fd/{name}").startswith("socket:"):
                    continue
            except FileNotFoundError:
                continue
            fd = libc.syscall(_PIDFD_GETFD, pidfd, int(name), 0)
            if fd < 0:
                code = ctypes.get_errno()
                if code in (errno.ENOSYS, errno.EPERM):
                    pytest.skip(f"pidfd_getfd is not allowed here ({os.strerror(code)})")
                continue
            duplicate = socket.socket(fileno=fd)
            try:
                if duplicate.family == socket.AF_INET and duplicate.getpeername() == peer:
                    return duplicate
            except OSError:
                pass
            duplicate.close()
    finally:
        os.close(pidfd)
    pytest.fail(f"the server holds no connection from {peer}")


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads another process's socket via pidfd_getfd"
)
def test_serve_as_users_start_it_accepts_connections_without_nagle() -> None:
    with _serve_as_the_readme_does() as (server, port):
        connection = _two_requests(port)
        try:
            assert connection.sock is not None
            accepted = _peer_socket(server.pid, connection.sock.getsockname())
            with accepted:
                assert accepted.getsockname()[1] == port
                assert _nodelay(accepted) == 1
        finally:
            connection.close()
