"""One HTTP exchange with a target, checked both ways against ``schemas/``.

:meth:`HttpClient.call` sends a request whose body must fit its schema (else the kit has a bug),
and returns the decoded body of a response that fits its schema, or raises the harness error
that says what went wrong: :class:`TransportError` (unreachable, timed out, rate-limited past
the retries), :class:`AuthenticationError` (401/403), :class:`TargetFailedError` (5xx),
:class:`ProtocolError` (not JSON, a body that breaks its schema, naming the field). A business
refusal is not an error: the caller gets the error envelope (HTTP 200 with ``success: false``,
or 4xx), unless its category says it is not a business answer (:mod:`.categories`: a contention
is retried, an internal error raised). Secrets never appear.

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

Which requests are retried after a transient answer, and why: :mod:`.answers`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.client import HTTPException
from time import monotonic  # apart from the module: tests stand in for time.sleep
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import tenacity
import urllib3

from schemas.contract import shorten, violations
from schemas.jsonio import dumps, loads
from steps.targets.answers import (
    ABSENT,
    MAX_ANSWER_DEPTH,
    MAX_REDIRECTS,
    MAX_RETRIES,
    MAX_RETRY_AFTER_SECONDS,
    RATE_LIMITED,
    REDIRECTS,
    SAFE_METHODS,
    TRANSIENT,
    Answer,
    Exchange,
    decode,
    failed,
    glimpse,
    last_answer,
    pause,
)
from steps.targets.categories import raise_unjudged, retried
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
from steps.targets.sending import send
from steps.targets.watchdog import Watch, WatchedAdapter, failures, fault, forget_failures, tally, watched

__all__ = [
    "MAX_ANSWER_DEPTH",
    "MAX_CONSECUTIVE_FAILURES",
    "MAX_REDIRECTS",
    "MAX_RETRIES",
    "MAX_RETRY_AFTER_SECONDS",
    "Exchange",
    "HttpClient",
    "forget_failures",
]

MAX_CONSECUTIVE_FAILURES = 3
_CHUNK = 65536
#: Headers an operation adds to its request (Zuora's ``Idempotency-Key``).
Headers = dict[str, str]


@dataclass
class HttpClient:
    profile: Profile
    session: requests.Session = field(default_factory=requests.Session)
    exchanges: list[Exchange] = field(default_factory=list)
    #: Headers sent with every request, such as the one addressing the scenario's own tenant.
    headers: dict[str, str] = field(default_factory=dict)
    #: Called before each exchange starts: the target makes the scenario's tenant then, when
    #: the scenario first reaches it (:meth:`steps.targets.http.HttpTarget.reset`).
    before: Callable[[], None] | None = None
    _token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        """Watch every connection of the session; read the environment's proxy and CA settings
        for the target once, not per request (requests reads every environment variable on each
        call otherwise); note when the run started, if it has a deadline."""
        for prefix in ("http://", "https://"):
            self.session.mount(prefix, WatchedAdapter())
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
            raise TargetFailedError("authenticate", failed(reply))
        if reply.status != 200:
            raise AuthenticationError("authenticate", f"HTTP {reply.status}")
        decoded = decode("authenticate", reply)
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
        contended: bool = False,
    ) -> tuple[int, Any]:
        """One exchange; ``deliberate`` names why the body goes unchecked (a negative case).

        ``path`` is a path on the target, or a whole URL on its origin. ``repeatable`` says that
        sending the request twice changes nothing the scenario observes, so that a 5xx answer is
        retried (see the module's docstring). ``lacks`` names the control-API operation called:
        an answer 404, 405 or 501 then raises :class:`ControlOperationMissingError`, whatever its
        body. ``contended`` hands a locking contention to a request sent once back to the caller,
        which reads it (:mod:`.categories`)."""
        if self.before is not None:
            self.before()
        encoded = None if body is None else dumps(body)
        if request_schema is not None and encoded is not None and deliberate is None:
            found = violations(request_schema, loads(encoded))
            if found:
                raise ProtocolError(operation, f"the kit built an invalid request: {found[0]}", found[0].path)
        url = self.url_for(operation, path)
        reply = self._send(operation, method, url, encoded, params, headers or {}, repeatable=repeatable)
        if lacks is not None and reply.status in ABSENT:
            self._record(operation, method, url, body, reply, glimpse(reply), deliberate)
            where = urlsplit(reply.url or url).path
            raise ControlOperationMissingError(
                operation, lacks, f"{method} {where} answered HTTP {reply.status}"
            )
        if reply.status >= 500:
            self._record(operation, method, url, body, reply, glimpse(reply), deliberate)
            raise TargetFailedError(operation, failed(reply))
        decoded = decode(operation, reply)
        self._record(operation, method, url, body, reply, decoded, deliberate)
        refusal = isinstance(decoded, dict) and decoded.get("success") is False
        if reply.status >= 400 or refusal:
            self._check(operation, "error-response", None, decoded, reply.status)
            again = _repeatable(method, headers, repeatable=repeatable)
            raise_unjudged(operation, decoded, reply.attempts, handed_on=contended and not again)
        elif response_schema is not None:
            self._check(operation, response_schema, anchor, decoded, reply.status)
        return reply.status, decoded

    def _record(
        self,
        operation: str,
        method: str,
        url: str,
        body: object,
        reply: Answer,
        seen: object,
        deliberate: str | None,
    ) -> None:
        self.exchanges.append(
            Exchange(operation, method, reply.url or url, body, reply.status, seen, deliberate)
        )

    def _send(
        self,
        operation: str,
        method: str,
        url: str,
        encoded: str | None,
        params: dict[str, Any] | None,
        own: Headers,
        *,
        repeatable: bool,
    ) -> Answer:
        """The answer to one request, retried as the module's docstring says; refused
        credentials and a rate limit that never lifts are raised."""
        headers = {"Accept": "application/json", **self.headers, **own, **self._authorization()}
        data = None
        if encoded is not None:
            headers["Content-Type"] = "application/json"
            data = encoded.encode()
        repeat = _repeatable(method, own, repeatable=repeatable)
        reply = self._attempts(
            operation, method, url, repeat=repeat, data=data, headers=headers, params=params
        )
        if reply.status in (401, 403):
            raise AuthenticationError(operation, f"HTTP {reply.status}")
        if reply.status == RATE_LIMITED:
            raise TransportError(operation, f"still rate-limited (HTTP 429) after {MAX_RETRIES} retries")
        return reply

    def _attempts(self, operation: str, method: str, url: str, *, repeat: bool, **options: Any) -> Answer:  # noqa: ANN401
        """The request sent until its answer is not transient, at most :data:`MAX_RETRIES` more
        times (tenacity keeps the count and the pauses); the last answer whatever it is."""
        sent = 0

        def attempt() -> Answer:
            nonlocal sent
            sent += 1
            return self._follow(operation, method, url, options)

        def transient(reply: Answer) -> bool:
            if reply.status == RATE_LIMITED or (repeat and reply.status in TRANSIENT):
                return True
            return b"false" in reply.content and retried(reply, repeat=repeat)

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(MAX_RETRIES + 1),
            retry=tenacity.retry_if_result(transient),
            wait=pause,
            sleep=_sleep,
            retry_error_callback=last_answer,
        )
        answered: Answer = retrying(attempt)
        return replace(answered, attempts=sent)

    def _follow(self, operation: str, method: str, url: str, options: dict[str, Any]) -> Answer:
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
        count = failures(profile.base_url)
        if count >= MAX_CONSECUTIVE_FAILURES:
            why = f"{count} consecutive failures to connect or to answer in time"
            raise TransportError(operation, f"the target at {profile.base_url} has stopped answering ({why})")
        return profile.exchange_seconds if left is None else min(profile.exchange_seconds, left)

    def _exchange(self, operation: str, method: str, url: str, **options: Any) -> Answer:  # noqa: ANN401
        """One request and its whole answer, within the deadlines and the size limit, or why not.
        Only a URL on the target is ever contacted."""
        if not self.profile.on_target(url):
            raise ProtocolError(operation, f"the kit contacts only its target, not {shorten(url)!r}")
        allowed, profile, started = self._admit(operation), self.profile, monotonic()
        with watched(allowed) as watch:
            try:
                timeout = (min(profile.request_seconds, allowed), profile.request_seconds)
                reply = send(self.session, method, url, timeout, **options)
                try:
                    content = self._read(operation, reply, watch)
                finally:
                    reply.close()
            except (requests.RequestException, urllib3.exceptions.HTTPError, HTTPException, OSError) as error:
                late = watch.fired or monotonic() - started >= allowed
                harm = self._too_late(operation) if late else fault(operation, error, profile)
                if isinstance(harm, TransportError):
                    tally(profile.base_url, answered=False)
                raise harm from None
        tally(profile.base_url, answered=True)
        return Answer(reply.status_code, reply.url, reply.headers, content)

    def _read(self, operation: str, reply: requests.Response, watch: Watch) -> bytes:
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


def _repeatable(method: str, headers: Headers | None, *, repeatable: bool) -> bool:
    """Whether sending the request twice changes nothing the scenario observes."""
    keyed = any(name.lower() == "idempotency-key" for name in headers or {})
    return repeatable or keyed or method.upper() in SAFE_METHODS


def _sleep(seconds: float) -> None:
    time.sleep(seconds)  # looked up when called: tests stand in for the module
