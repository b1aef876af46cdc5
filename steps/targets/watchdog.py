"""What keeps one exchange with a target from hanging or passing for something else: a watchdog
that shuts the exchange's socket down at its deadline (:class:`Watch`, handed its sockets by
requests' adapter :class:`WatchedAdapter`), the circuit breaker shared by the process
(:func:`tally`, :func:`failures`), and the harness error for a request that failed below HTTP
(:func:`fault`)."""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from http.client import HTTPException, IncompleteRead, RemoteDisconnected
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.exceptions import ChunkedEncodingError, ContentDecodingError
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from steps.targets.errors import ProtocolError, TransportError
from steps.targets.profile import Profile

__all__ = ["WATCHING", "Watch", "WatchedAdapter", "failures", "fault", "forget_failures", "tally", "watched"]


class Watch:
    """The socket of the exchange in flight in one thread, shut down when its deadline passes."""

    def __init__(self) -> None:
        self.fired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()

    def attach(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            if self.fired:
                _shut(sock)

    def fire(self) -> None:
        with self._lock:
            self.fired = True
            _shut(self._sock)


def _shut(sock: socket.socket | None) -> None:
    """Shut ``sock`` down both ways (as a plain socket, even under TLS): a blocked read returns."""
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


WATCHING = threading.local()


class _Watchdog:
    """One thread per process that fires each watch when its deadline passes: the exchanges of
    every thread share it, so an exchange costs no thread of its own."""

    def __init__(self) -> None:
        self._due: list[tuple[float, int, Watch]] = []
        self._live: set[int] = set()  # the tickets started and not yet stopped
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def start(self, watch: Watch, seconds: float) -> int:
        with self._wake:
            ticket = next(self._order)
            heapq.heappush(self._due, (time.monotonic() + seconds, ticket, watch))
            self._live.add(ticket)
            if self._thread is None or not self._thread.is_alive():  # none yet, or lost to a fork
                self._thread = threading.Thread(target=self._run, daemon=True, name="exchange-watchdog")
                self._thread.start()
            if self._due[0][1] == ticket:  # due before whatever the thread waits for: wake it
                self._wake.notify()
            return ticket

    def stop(self, ticket: int) -> None:
        with self._wake:
            self._live.discard(ticket)

    def _run(self) -> None:
        with self._wake:
            while True:
                while self._due and self._due[0][1] not in self._live:
                    heapq.heappop(self._due)
                if not self._due:
                    self._wake.wait()
                    continue
                deadline, ticket, watch = self._due[0]
                left = deadline - time.monotonic()
                if left > 0:
                    self._wake.wait(left)
                    continue
                heapq.heappop(self._due)
                self._live.discard(ticket)
                watch.fire()


_WATCHDOG = _Watchdog()


@contextlib.contextmanager
def watched(seconds: float) -> Iterator[Watch]:
    """A watch for this thread's exchange, fired when ``seconds`` have passed unless it has ended."""
    watch = Watch()
    ticket = _WATCHDOG.start(watch, seconds)
    WATCHING.watch = watch
    try:
        yield watch
    finally:
        WATCHING.watch = None
        _WATCHDOG.stop(ticket)


def _attach(sock: socket.socket | None) -> None:
    watch: Watch | None = getattr(WATCHING, "watch", None)
    if watch is not None and sock is not None:
        watch.attach(sock)


class _WatchedHTTPConnection(HTTPConnection):
    """A connection that hands its socket to the thread's watch, when it connects and when it is
    used again (kept alive), and sends a request's head and body in one piece (urllib3 sends them
    apart: two sends, and the server woken twice). The TLS connection below inherits it all."""

    _held: list[bytes] | None = None

    def connect(self) -> None:
        super().connect()
        _attach(self.sock)

    def request(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 - urllib3's arguments
        _attach(self.sock)  # a kept-alive connection, already connected
        self._held = []
        try:
            super().request(*args, **kwargs)
        finally:
            held, self._held = self._held, None
        if held:
            super().send(b"".join(held))

    def send(self, data: Any) -> None:  # noqa: ANN401 - http.client's argument
        if self._held is not None:
            if isinstance(data, bytes | bytearray):
                self._held.append(bytes(data))
                return
            held, self._held = self._held, []  # a stream: what is held goes first
            if held:
                super().send(b"".join(held))
        super().send(data)


class _WatchedHTTPSConnection(_WatchedHTTPConnection, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_WATCHED_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class WatchedAdapter(HTTPAdapter):
    """requests' adapter, its connections handing their sockets to the thread's watch."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 - requests'
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _WATCHED_POOLS

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:  # noqa: ANN401 - requests'
        manager = super().proxy_manager_for(proxy, **kwargs)
        if type(manager) is urllib3.ProxyManager:  # a SOCKS proxy keeps its own pools
            manager.pool_classes_by_scheme = _WATCHED_POOLS
        return manager


#: The circuit breaker: consecutive failures by base URL, shared by every client of the process.
_FAILURES: dict[str, int] = {}
_FAILURES_LOCK = threading.Lock()


def forget_failures() -> None:
    """Close every circuit breaker (for tests)."""
    with _FAILURES_LOCK:
        _FAILURES.clear()


def tally(base_url: str, *, answered: bool) -> None:
    with _FAILURES_LOCK:
        _FAILURES[base_url] = 0 if answered else _FAILURES.get(base_url, 0) + 1


def failures(base_url: str) -> int:
    """Consecutive failures to connect or to answer in time counted against ``base_url``."""
    with _FAILURES_LOCK:
        return _FAILURES.get(base_url, 0)


def fault(operation: str, error: BaseException, profile: Profile) -> ProtocolError | TransportError:
    """The harness error for a request that failed with ``error`` (from requests or below)."""
    if _not_http(error):
        return ProtocolError(operation, "the target did not answer in HTTP")
    if isinstance(error, requests.Timeout):
        return TransportError(operation, f"no answer within {profile.request_seconds:g} s")
    if isinstance(error, ContentDecodingError):
        return ProtocolError(operation, "the body cannot be decoded as its Content-Encoding says")
    if isinstance(error, ChunkedEncodingError | urllib3.exceptions.HTTPError):
        return TransportError(operation, "the answer broke off before its end")
    if isinstance(error, requests.ConnectionError | OSError):
        return TransportError(operation, f"cannot connect to {profile.base_url}")
    return TransportError(operation, type(error).__name__)


def _causes(error: BaseException, depth: int = 0) -> Iterator[BaseException]:
    """``error`` and what it wraps (as arguments, ``reason``, cause or context)."""
    yield error
    for inner in (*error.args, getattr(error, "reason", None), error.__cause__, error.__context__):
        if isinstance(inner, BaseException) and inner is not error and depth < 6:
            yield from _causes(inner, depth + 1)


def _not_http(error: BaseException) -> bool:
    """Whether the target answered, but not in HTTP (not a connection closed before any answer)."""
    return any(
        isinstance(e, HTTPException) and not isinstance(e, RemoteDisconnected | IncompleteRead)
        for e in _causes(error)
    )
