"""One HTTP exchange with a target, checked both ways against ``schemas/``.

:meth:`HttpClient.call` sends a request whose body must fit its schema (else the kit has a bug),
and returns the decoded body of a response that fits its schema, or raises the harness error
that says what went wrong: :class:`TransportError` (unreachable, timed out, rate-limited),
:class:`AuthenticationError` (401/403), :class:`TargetFailedError` (5xx), :class:`ProtocolError`
(not JSON, a body out of its schema, naming the field). A business refusal is not an error: the
caller gets the error envelope (HTTP 200 with ``success: false``, or 4xx). No secret shows.

Hostile or dying targets are cut short. An exchange has an overall deadline (the profile's
``exchange_seconds``) that bytes trickling in do not extend: a watchdog timer shuts its socket
down, whether the status line, the headers or the body is being read. An answer larger than
``max_answer_bytes`` is refused unread; one that is not HTTP is a :class:`ProtocolError`. After
:data:`MAX_CONSECUTIVE_FAILURES` failures in a row to connect or to answer in time, every client of
the process fails at once for that base URL (until an answer comes). With a ``run_seconds``, every
call fails at once once the run's time is up (its start is shared with pytest-xdist workers:
see :func:`steps.targets.profile.run_started`).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.client import HTTPException, IncompleteRead, RemoteDisconnected
from time import monotonic  # apart from the module: tests stand in for time.sleep
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.exceptions import ChunkedEncodingError, ContentDecodingError
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from schemas.contract import violations
from schemas.jsonio import dumps, loads
from steps.targets.errors import (
    AuthenticationError,
    ContractViolationError,
    ProtocolError,
    TargetFailedError,
    TransportError,
)
from steps.targets.profile import Profile
from steps.targets.secrets import remember_secret

__all__ = ["MAX_CONSECUTIVE_FAILURES", "Exchange", "HttpClient", "forget_failures"]

MAX_RATE_LIMIT_RETRIES, MAX_RETRY_AFTER_SECONDS, MAX_CONSECUTIVE_FAILURES = 3, 10.0, 3
_CHUNK = 65536
#: Headers an operation adds to its request (Zuora's ``Idempotency-Key``).
Headers = dict[str, str]


@dataclass(frozen=True)
class Exchange:
    """What was sent and received, secrets left out: evidence for a report. ``url`` is the full
    URL, query included; ``deliberate`` says why a request that breaks its published request
    schema was sent anyway (a scenario's negative case), None otherwise."""

    operation: str
    method: str
    url: str
    request_body: object
    status: int
    response_body: object
    deliberate: str | None = None


@dataclass(frozen=True)
class _Answer:
    """A complete HTTP answer, its body read whole (within the profile's limits)."""

    status: int
    url: str
    headers: Mapping[str, str]
    content: bytes


class _Watch:
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


_WATCHING = threading.local()


def _attach(sock: socket.socket | None) -> None:
    watch: _Watch | None = getattr(_WATCHING, "watch", None)
    if watch is not None and sock is not None:
        watch.attach(sock)


class _WatchedHTTPConnection(HTTPConnection):
    """A connection that hands its socket to the thread's watch, when it connects and when it is
    used again (kept alive). The TLS connection below inherits both from it."""

    def connect(self) -> None:
        super().connect()
        _attach(self.sock)

    def request(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 - urllib3's arguments
        _attach(self.sock)  # a kept-alive connection, already connected
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(_WatchedHTTPConnection, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_WATCHED_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class _WatchedAdapter(HTTPAdapter):
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


def _tally(base_url: str, *, answered: bool) -> None:
    with _FAILURES_LOCK:
        _FAILURES[base_url] = 0 if answered else _FAILURES.get(base_url, 0) + 1


@dataclass
class HttpClient:
    profile: Profile
    session: requests.Session = field(default_factory=requests.Session)
    exchanges: list[Exchange] = field(default_factory=list)
    #: Headers sent with every request, such as the one addressing the scenario's own tenant.
    headers: dict[str, str] = field(default_factory=dict)
    _token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        """Watch every connection of the session; read the environment's proxy and CA settings
        for the target once, not per request (requests reads every environment variable on each
        call otherwise); note when the run started, if it has a deadline."""
        for prefix in ("http://", "https://"):
            self.session.mount(prefix, _WatchedAdapter())
        self.profile.run_seconds_left()  # the run starts now, if no process started it before
        if not self.session.trust_env:
            return
        found = self.session.merge_environment_settings(self.profile.base_url, {}, None, None, None)
        self.session.proxies.update(found["proxies"])
        self.session.verify = found["verify"]
        self.session.cert = found["cert"]
        self.session.trust_env = False

    # -- credentials -----------------------------------------------------------------------------

    def _authorization(self) -> dict[str, str]:
        credentials = self.profile.credentials
        if credentials.kind == "bearer":
            return {"Authorization": f"Bearer {credentials.secret(credentials.token_env)}"}
        if credentials.kind == "oauth":
            if self._token is None:
                self._token = self._fetch_token()
            return {"Authorization": f"Bearer {self._token}"}
        return {}

    def _fetch_token(self) -> str:
        credentials = self.profile.credentials
        form = {
            "grant_type": "client_credentials",
            "client_id": credentials.secret(credentials.client_id_env),
            "client_secret": credentials.secret(credentials.client_secret_env),
        }
        reply = self._exchange(
            "authenticate", "POST", self.profile.base_url + credentials.token_path, data=form
        )
        if reply.status != 200:
            raise AuthenticationError("authenticate", f"HTTP {reply.status}")
        try:
            token = str(json.loads(reply.content)["access_token"])
        except (ValueError, KeyError, TypeError):
            raise ProtocolError("authenticate", "the token response has no access_token") from None
        remember_secret(token)
        return token

    # -- one exchange ----------------------------------------------------------------------------

    def call(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        body: object = None,
        request_schema: str | None = None,
        response_schema: str | None = None,
        anchor: str | None = None,
        params: dict[str, Any] | None = None,
        deliberate: str | None = None,
        headers: Headers | None = None,
    ) -> tuple[int, Any]:
        """One exchange; ``deliberate`` names why the body goes unchecked (a negative case)."""
        if request_schema is not None and body is not None and deliberate is None:
            found = violations(request_schema, json.loads(dumps(body)))
            if found:
                raise ProtocolError(operation, f"the kit built an invalid request: {found[0]}", found[0].path)
        url = self.profile.base_url + path
        reply = self._send(operation, method, url, body, params, headers or {})
        try:
            decoded = loads(reply.content) if reply.content else {}
        except (ValueError, UnicodeDecodeError):
            raise ProtocolError(operation, f"HTTP {reply.status} with a body that is not JSON") from None
        self.exchanges.append(
            Exchange(operation, method, reply.url or url, body, reply.status, decoded, deliberate)
        )
        if reply.status >= 500:
            raise TargetFailedError(operation, f"HTTP {reply.status}")
        failed = isinstance(decoded, dict) and decoded.get("success") is False
        if reply.status >= 400 or failed:
            self._check(operation, "error-response", None, decoded, reply.status)
        elif response_schema is not None:
            self._check(operation, response_schema, anchor, decoded, reply.status)
        return reply.status, decoded

    def _send(
        self, operation: str, method: str, url: str, body: object, params: dict[str, Any] | None, own: Headers
    ) -> _Answer:
        headers = {"Accept": "application/json", **self.headers, **own, **self._authorization()}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = dumps(body).encode()
        for attempt in range(MAX_RATE_LIMIT_RETRIES + 1):
            reply = self._exchange(operation, method, url, data=data, headers=headers, params=params)
            if reply.status in (401, 403):
                raise AuthenticationError(operation, f"HTTP {reply.status}")
            if reply.status != 429:
                return reply
            if attempt == MAX_RATE_LIMIT_RETRIES:
                break
            time.sleep(_retry_after(reply.headers.get("Retry-After")))
        raise TransportError(
            operation, f"still rate-limited (HTTP 429) after {MAX_RATE_LIMIT_RETRIES} retries"
        )

    def _admit(self, operation: str) -> float:
        """The seconds this exchange may take, or a failure at once (run over, target gone)."""
        profile, left = self.profile, self.profile.run_seconds_left()
        if left is not None and left <= 0:
            raise self._too_late(operation)
        with _FAILURES_LOCK:
            failures = _FAILURES.get(profile.base_url, 0)
        if failures >= MAX_CONSECUTIVE_FAILURES:
            why = f"{failures} consecutive failures to connect or to answer in time"
            raise TransportError(operation, f"the target at {profile.base_url} has stopped answering ({why})")
        return profile.exchange_seconds if left is None else min(profile.exchange_seconds, left)

    def _exchange(self, operation: str, method: str, url: str, **options: Any) -> _Answer:  # noqa: ANN401
        """One request and its whole answer, within the deadlines and the size limit, or why not."""
        allowed, profile = self._admit(operation), self.profile
        watch, started = _Watch(), monotonic()
        timer = threading.Timer(allowed, watch.fire)
        timer.daemon, _WATCHING.watch = True, watch
        timer.start()
        try:
            timeout = (min(profile.request_seconds, allowed), profile.request_seconds)
            reply = self.session.request(method, url, stream=True, timeout=timeout, **options)
            try:
                content = self._read(operation, reply, watch)
            finally:
                reply.close()
        except (requests.RequestException, urllib3.exceptions.HTTPError, HTTPException, OSError) as error:
            late = watch.fired or monotonic() - started >= allowed
            fault = self._too_late(operation) if late else _fault(operation, error, profile)
            if isinstance(fault, TransportError):
                _tally(profile.base_url, answered=False)
            raise fault from None
        finally:
            timer.cancel()
            _WATCHING.watch = None
        _tally(profile.base_url, answered=True)
        return _Answer(reply.status_code, reply.url, reply.headers, content)

    def _read(self, operation: str, reply: requests.Response, watch: _Watch) -> bytes:
        """The answer's body, refused past the profile's ``max_answer_bytes`` without reading on."""
        limit, body = self.profile.max_answer_bytes, bytearray()
        declared = reply.headers.get("Content-Length", "").strip()
        if not (declared.isdigit() and int(declared) > limit):
            for chunk in reply.iter_content(_CHUNK):
                body += chunk
                if len(body) > limit:
                    break
            else:
                if watch.fired:  # the watchdog cut the body short
                    raise requests.ConnectionError("the exchange's deadline passed")
                return bytes(body)
        raise ProtocolError(operation, f"the answer is larger than {limit} bytes")

    def _too_late(self, operation: str) -> TransportError:
        """The run's deadline has passed, or else the exchange's."""
        profile, left = self.profile, self.profile.run_seconds_left()
        if left is not None and left <= 0:
            return TransportError(operation, f"the run's deadline of {profile.run_seconds:g} s has passed")
        seconds = profile.exchange_seconds
        return TransportError(operation, f"no complete answer within the exchange deadline of {seconds:g} s")

    def _check(self, operation: str, stem: str, anchor: str | None, decoded: object, status: int) -> None:
        found = violations(stem, decoded, anchor)
        if found:
            raise ContractViolationError(
                operation, f"HTTP {status} body breaks {stem}: {found[0].message}", found[0].path, stem
            )


def _fault(operation: str, error: BaseException, profile: Profile) -> ProtocolError | TransportError:
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


def _retry_after(header: str | None) -> float:
    try:
        wait = float(header) if header is not None else 1.0
    except ValueError:
        wait = 1.0
    return min(max(wait, 0.0), MAX_RETRY_AFTER_SECONDS)
