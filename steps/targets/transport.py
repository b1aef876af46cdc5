"""One HTTP exchange with a target, checked both ways against ``schemas/``.

:meth:`HttpClient.call` sends a request whose body must fit its schema (else the kit has a bug),
and returns the decoded body of a response that fits its schema, or raises the harness error
that says what went wrong: :class:`TransportError` (unreachable, timed out, rate-limited past
the retries), :class:`AuthenticationError` (401/403), :class:`ProtocolError` (5xx, not JSON, a
body that breaks its schema, naming the field). A business refusal is not an error: the caller
gets the error envelope (HTTP 200 with ``success: false``, or 4xx). Secrets never appear.

Hostile or dying targets are cut short. An exchange has an overall deadline (the profile's
``exchange_seconds``) that bytes trickling in do not extend: a watchdog timer shuts its socket
down, whether the status line, the headers or the body is being read. An answer larger than
``max_answer_bytes`` is refused unread; one that is not HTTP is a :class:`ProtocolError`. After
:data:`MAX_CONSECUTIVE_FAILURES` failures in a row to connect or to answer in time, every client of
the process fails at once for that base URL (until an answer comes). With a ``run_seconds``, every
call fails at once once the run's time is up (its start is shared with pytest-xdist workers:
see :func:`steps.targets.profile.run_started`).

Reading an answer never fails in any other way than a :class:`ProtocolError` naming the
operation: the body must be UTF-8 JSON nested at most :data:`MAX_ANSWER_DEPTH` levels deep (checked
before it is parsed), with no string that is not Unicode; anything unexpected while decoding it or
checking it against its schema is a protocol error too.

**The target is one origin.** Redirects are not followed blindly: one to another origin (scheme,
host and port) is a protocol error naming where it pointed, so no request, tenant header or
credential ever reaches a host the safety checks did not see; one on the target is followed, at
most :data:`MAX_REDIRECTS` in a row, 307 and 308 keeping the method and the body, 303 (and 301 or
302 after a POST) turning into a GET without a body, as HTTP says.

**Which requests are retried** (:data:`MAX_RETRIES` times, pausing as ``Retry-After`` asks, at
most :data:`MAX_RETRY_AFTER_SECONDS`, else 1, 2, 4 s), decided in :meth:`HttpClient._send`:

* HTTP 429, for every request: a rate-limited request was turned away, not carried out.
* HTTP 500, 502, 503 or 504, only for a request that may be repeated without changing what the
  scenario observes: a ``GET`` (or ``HEAD``); a request carrying an ``Idempotency-Key`` (the
  target promises the first answer back); and the requests a caller marks ``repeatable``: the
  control API's absolute settings (features, clock, the bill-run queue, reset, the clock moved
  to a given moment), creating a tenant (a spare one expires unused) and deleting one.
* Never any other ``POST``, ``PUT`` or ``DELETE`` of Zuora's API (an order, a payment, a bill run
  created, canceled, posted or deleted, an invoice or credit memo posted): the failed attempt
  may have been carried out, and a second one could apply it twice or be refused because the
  first took effect, which the kit would then judge as the target's answer. HTTP's idempotent
  methods are not enough: canceling a bill run is a ``PUT`` whose second answer differs from
  the first. Such a request's 5xx makes the scenario errored at once (:class:`TargetFailedError`).

A refused connection or a timeout is not retried: the circuit breaker deals with a dying target.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from http.client import HTTPException, IncompleteRead, RemoteDisconnected
from time import monotonic  # apart from the module: tests stand in for time.sleep
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import tenacity
import urllib3
from requests.adapters import HTTPAdapter
from requests.exceptions import ChunkedEncodingError, ContentDecodingError
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from schemas.contract import shorten, violations
from schemas.jsonio import deeper_than, dumps, has_lone_surrogate, loads
from steps.targets.errors import (
    AuthenticationError,
    ContractViolationError,
    ControlOperationMissingError,
    ProtocolError,
    TargetFailedError,
    TransportError,
)
from steps.targets.profile import Profile
from steps.targets.secrets import remember_secret

__all__ = [
    "MAX_ANSWER_DEPTH",
    "MAX_CONSECUTIVE_FAILURES",
    "MAX_REDIRECTS",
    "MAX_RETRIES",
    "Exchange",
    "HttpClient",
    "forget_failures",
]

#: Retries after the first attempt of a request whose answer said "not now" (see the module).
MAX_RETRIES = 3
MAX_RETRY_AFTER_SECONDS = 10.0
MAX_CONSECUTIVE_FAILURES = 3
#: Redirects on the target followed in a row; one more is a protocol error.
MAX_REDIRECTS = 3
#: How deep an answer's arrays and objects may nest. Zuora's answers nest a handful of levels
#: (a create-order answer's subscriptions, their order actions, their custom fields); the
#: reference server takes requests nested 32 deep. Past this an answer is a protocol error,
#: found before it is parsed, so no recursion (Python's decoder, the schema check, the
#: evidence) ever meets it.
MAX_ANSWER_DEPTH = 64
RATE_LIMITED = 429
#: Server errors that may pass: retried for a request that may be repeated.
TRANSIENT = frozenset({500, 502, 503, 504})
#: Answers that say the operation does not exist on the target (for the control API).
ABSENT = frozenset({404, 405, 501})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
SAFE_METHODS = frozenset({"GET", "HEAD"})
_CHUNK = 65536
#: Headers an operation adds to its request (Zuora's ``Idempotency-Key``).
Headers = dict[str, str]


@dataclass(frozen=True)
class Exchange:
    """What was sent and received, secrets left out: evidence for a report.

    ``url`` is the full URL, query included. ``deliberate`` says why a request that breaks its
    published request schema was sent anyway (a scenario's negative case); None otherwise.
    """

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
    #: How many times the request was sent (retries included).
    attempts: int = 1


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
        url = self.url_for("authenticate", credentials.token_path)
        # Asking for a token again changes nothing: repeatable.
        reply = self._attempts("authenticate", "POST", url, repeat=True, data=form)
        if reply.status >= 500:
            raise TargetFailedError("authenticate", _failed(reply))
        if reply.status != 200:
            raise AuthenticationError("authenticate", f"HTTP {reply.status}")
        decoded = self._decode("authenticate", reply)
        found = decoded.get("access_token") if isinstance(decoded, dict) else None
        if not isinstance(found, str) or not found:
            raise ProtocolError("authenticate", "the token response has no access_token")
        token = found
        remember_secret(token)
        return token

    # -- one exchange ----------------------------------------------------------------------------

    def url_for(self, operation: str, link: str, field: str | None = None) -> str:
        """The URL of ``link`` on the target: a path goes after ``base_url``; a whole URL (one the
        target handed back) must be on the target's origin, else it is a protocol error naming
        it (the kit contacts nothing but its target)."""
        if link.startswith("/") and not link.startswith("//"):
            return self.profile.base_url + link
        if self.profile.on_target(link):
            return link
        raise ProtocolError(
            operation,
            f"the target pointed the kit to {shorten(link)!r}, which is not on the target "
            f"({self.profile.base_url}); the kit contacts nothing else",
            field,
        )

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
        repeatable: bool = False,
        lacks: str | None = None,
    ) -> tuple[int, Any]:
        """One exchange; ``deliberate`` names why the body goes unchecked (a negative case).

        ``path`` is a path on the target, or a whole URL on its origin. ``repeatable`` says that
        sending the request twice changes nothing the scenario observes, so that a 5xx answer is
        retried (see the module's docstring). ``lacks`` names the control-API operation called:
        an answer 404, 405 or 501 then raises :class:`ControlOperationMissingError`, whatever its
        body."""
        if request_schema is not None and body is not None and deliberate is None:
            found = violations(request_schema, loads(dumps(body)))
            if found:
                raise ProtocolError(operation, f"the kit built an invalid request: {found[0]}", found[0].path)
        url = self.url_for(operation, path)
        reply = self._send(operation, method, url, body, params, headers or {}, repeatable=repeatable)
        if lacks is not None and reply.status in ABSENT:
            self._record(operation, method, url, body, reply, _glimpse(reply), deliberate)
            where = urlsplit(reply.url or url).path
            raise ControlOperationMissingError(
                operation, lacks, f"{method} {where} answered HTTP {reply.status}"
            )
        if reply.status >= 500:
            self._record(operation, method, url, body, reply, _glimpse(reply), deliberate)
            raise TargetFailedError(operation, _failed(reply))
        decoded = self._decode(operation, reply)
        self._record(operation, method, url, body, reply, decoded, deliberate)
        failed = isinstance(decoded, dict) and decoded.get("success") is False
        if reply.status >= 400 or failed:
            self._check(operation, "error-response", None, decoded, reply.status)
        elif response_schema is not None:
            self._check(operation, response_schema, anchor, decoded, reply.status)
        return reply.status, decoded

    def _record(
        self,
        operation: str,
        method: str,
        url: str,
        body: object,
        reply: _Answer,
        seen: object,
        deliberate: str | None,
    ) -> None:
        self.exchanges.append(
            Exchange(operation, method, reply.url or url, body, reply.status, seen, deliberate)
        )

    def _decode(self, operation: str, reply: _Answer) -> Any:  # noqa: ANN401 - a decoded JSON value
        """The answer's body as JSON (an empty body as ``{}``), or the protocol error saying why not."""
        if not reply.content:
            return {}
        status = reply.status
        try:
            text = reply.content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ProtocolError(operation, f"HTTP {status} with a body that is not UTF-8 text") from None
        nested = f"HTTP {status} with a body nested more than {MAX_ANSWER_DEPTH} levels deep"
        if deeper_than(text, MAX_ANSWER_DEPTH):
            raise ProtocolError(operation, nested)
        try:
            decoded = loads(text)
        except RecursionError:
            raise ProtocolError(operation, nested) from None
        except ValueError:
            raise ProtocolError(operation, f"HTTP {status} with a body that is not JSON") from None
        except Exception as error:  # any fault of decoding is the answer's
            raise ProtocolError(
                operation, f"HTTP {status} with a body that cannot be decoded ({error})"
            ) from None
        if has_lone_surrogate(text, decoded):
            raise ProtocolError(
                operation, f"HTTP {status} with a string that is not Unicode (a lone surrogate)"
            )
        return decoded

    def _send(
        self,
        operation: str,
        method: str,
        url: str,
        body: object,
        params: dict[str, Any] | None,
        own: Headers,
        *,
        repeatable: bool,
    ) -> _Answer:
        """The answer to one request, retried as the module's docstring says; refused
        credentials and a rate limit that never lifts are raised."""
        headers = {"Accept": "application/json", **self.headers, **own, **self._authorization()}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = dumps(body).encode()
        keyed = any(name.lower() == "idempotency-key" for name in own)
        repeat = repeatable or keyed or method.upper() in SAFE_METHODS
        reply = self._attempts(
            operation, method, url, repeat=repeat, data=data, headers=headers, params=params
        )
        if reply.status in (401, 403):
            raise AuthenticationError(operation, f"HTTP {reply.status}")
        if reply.status == RATE_LIMITED:
            raise TransportError(operation, f"still rate-limited (HTTP 429) after {MAX_RETRIES} retries")
        return reply

    def _attempts(self, operation: str, method: str, url: str, *, repeat: bool, **options: Any) -> _Answer:  # noqa: ANN401
        """The request sent until its answer is not transient, at most :data:`MAX_RETRIES` more
        times (tenacity keeps the count and the pauses); the last answer whatever it is."""
        sent = 0

        def attempt() -> _Answer:
            nonlocal sent
            sent += 1
            return self._follow(operation, method, url, options)

        def transient(reply: _Answer) -> bool:
            return reply.status == RATE_LIMITED or (repeat and reply.status in TRANSIENT)

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(MAX_RETRIES + 1),
            retry=tenacity.retry_if_result(transient),
            wait=_pause,
            sleep=_sleep,
            retry_error_callback=_last_answer,
        )
        answered: _Answer = retrying(attempt)
        return replace(answered, attempts=sent)

    def _follow(self, operation: str, method: str, url: str, options: dict[str, Any]) -> _Answer:
        """One request, following redirects on the target (see the module's docstring)."""
        for _ in range(MAX_REDIRECTS + 1):
            reply = self._exchange(operation, method, url, **options)
            if reply.status not in REDIRECTS:
                return reply
            location = reply.headers.get("Location")
            if not location:
                raise ProtocolError(operation, f"HTTP {reply.status}, a redirect that names no Location")
            url = urljoin(reply.url or url, location)
            if not self.profile.on_target(url):
                raise ProtocolError(
                    operation,
                    f"HTTP {reply.status} redirected the kit to {shorten(url)!r}, another origin than the "
                    f"target's ({self.profile.base_url}); the kit follows redirects on the target only",
                )
            options = {**options, "params": None}  # the Location is the whole next URL
            if reply.status == 303 or (reply.status in (301, 302) and method.upper() == "POST"):
                method = "HEAD" if method.upper() == "HEAD" else "GET"
                sent = {k: v for k, v in dict(options.get("headers") or {}).items() if k != "Content-Type"}
                options = {**options, "data": None, "headers": sent}
        raise ProtocolError(operation, f"more than {MAX_REDIRECTS} redirects in a row")

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
        """One request and its whole answer, within the deadlines and the size limit, or why not.
        Only a URL on the target is ever contacted."""
        if not self.profile.on_target(url):
            raise ProtocolError(operation, f"the kit contacts only its target, not {shorten(url)!r}")
        allowed, profile = self._admit(operation), self.profile
        watch, started = _Watch(), monotonic()
        timer = threading.Timer(allowed, watch.fire)
        timer.daemon, _WATCHING.watch = True, watch
        timer.start()
        try:
            timeout = (min(profile.request_seconds, allowed), profile.request_seconds)
            reply = self.session.request(
                method, url, stream=True, timeout=timeout, allow_redirects=False, **options
            )
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
        try:
            found = violations(stem, decoded, anchor)
        except Exception as error:  # whatever the check meets, the answer is at fault
            raise ProtocolError(
                operation, f"HTTP {status} body cannot be checked against {stem} ({shorten(str(error))})"
            ) from None
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


def _retry_after(header: str | None) -> float | None:
    """The pause a ``Retry-After`` of seconds asks for, within 0 and the cap; None without one."""
    try:
        wait = float(header) if header is not None else None
    except ValueError:
        return None
    if wait is None or wait != wait:  # noqa: PLR0124 - NaN
        return None
    return min(max(wait, 0.0), MAX_RETRY_AFTER_SECONDS)


#: The pause before a retry when the answer asks for none: 1 s, then 2, then 4.
_BACKOFF = tenacity.wait_exponential(multiplier=1, max=MAX_RETRY_AFTER_SECONDS)


def _pause(state: tenacity.RetryCallState) -> float:
    """What ``Retry-After`` asks for (a 429 or a 503 may say), else the backoff."""
    asked = None if state.outcome is None else _retry_after(state.outcome.result().headers.get("Retry-After"))
    return _BACKOFF(state) if asked is None else asked


def _sleep(seconds: float) -> None:
    time.sleep(seconds)  # looked up when called: tests stand in for the module


def _last_answer(state: tenacity.RetryCallState) -> _Answer:
    """The last answer once the retries are spent (tenacity would raise otherwise)."""
    assert state.outcome is not None
    answered: _Answer = state.outcome.result()
    return answered


def _failed(reply: _Answer) -> str:
    """How a request failed on the target: its 5xx, and how often when it was retried."""
    if reply.attempts == 1:
        return f"HTTP {reply.status}"
    return f"HTTP {reply.status} on each of {reply.attempts} attempts"


def _glimpse(reply: _Answer) -> object:
    """Evidence of an answer that is not read as JSON: the start of its text."""
    return shorten(reply.content.decode("utf-8", "replace")) if reply.content else None
