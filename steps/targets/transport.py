"""One HTTP exchange with a target, checked both ways against ``schemas/``.

:meth:`HttpClient.call` sends a request whose body must fit its schema (else the kit has a bug),
and returns the decoded body of a response that fits its schema, or raises the harness error
that says what went wrong: :class:`TransportError` (unreachable, timed out, rate-limited past
the retries), :class:`AuthenticationError` (401/403), :class:`ProtocolError` (5xx, not JSON, a
body that breaks its schema, naming the field). A business refusal is not an error: the caller
gets the error envelope, whether it came with HTTP 200 (``success: false``) or 4xx.
Credentials never appear in a message.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import requests

from billing_conformance.contract import violations
from billing_conformance.jsonio import dumps
from steps.targets.errors import AuthenticationError, ContractViolationError, ProtocolError, TransportError
from steps.targets.profile import Profile

__all__ = ["Exchange", "HttpClient"]

MAX_RATE_LIMIT_RETRIES = 3
MAX_RETRY_AFTER_SECONDS = 10.0


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


@dataclass
class HttpClient:
    profile: Profile
    session: requests.Session = field(default_factory=requests.Session)
    exchanges: list[Exchange] = field(default_factory=list)
    #: Headers sent with every request, such as the one addressing the scenario's own tenant.
    headers: dict[str, str] = field(default_factory=dict)
    _token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        """Read the environment's proxy and CA settings for the target once, not per request
        (requests reads every environment variable on each call otherwise)."""
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
        try:
            reply = self.session.post(
                self.profile.base_url + credentials.token_path,
                data=form,
                timeout=self.profile.request_seconds,
            )
        except requests.RequestException as error:
            raise TransportError("authenticate", type(error).__name__) from None
        if reply.status_code != 200:
            raise AuthenticationError("authenticate", f"HTTP {reply.status_code}")
        try:
            return str(reply.json()["access_token"])
        except (ValueError, KeyError, TypeError):
            raise ProtocolError("authenticate", "the token response has no access_token") from None

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
    ) -> tuple[int, Any]:
        """One exchange. ``deliberate`` names why the body is sent unchecked (a negative case)."""
        if request_schema is not None and body is not None and deliberate is None:
            found = violations(request_schema, json.loads(dumps(body)))
            if found:
                raise ProtocolError(operation, f"the kit built an invalid request: {found[0]}", found[0].path)
        url = self.profile.base_url + path
        reply = self._send(operation, method, url, body, params)
        try:
            decoded = json.loads(reply.content, parse_float=Decimal) if reply.content else {}
        except (ValueError, UnicodeDecodeError):
            raise ProtocolError(operation, f"HTTP {reply.status_code} with a body that is not JSON") from None
        self.exchanges.append(
            Exchange(operation, method, reply.url or url, body, reply.status_code, decoded, deliberate)
        )
        if reply.status_code >= 500:
            raise ProtocolError(operation, f"the target failed with HTTP {reply.status_code}")
        failed = isinstance(decoded, dict) and decoded.get("success") is False
        if reply.status_code >= 400 or failed:
            self._check(operation, "error-response", None, decoded, reply.status_code)
        elif response_schema is not None:
            self._check(operation, response_schema, anchor, decoded, reply.status_code)
        return reply.status_code, decoded

    def _send(
        self, operation: str, method: str, url: str, body: object, params: dict[str, Any] | None
    ) -> requests.Response:
        headers = {"Accept": "application/json", **self.headers, **self._authorization()}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = dumps(body).encode()
        for attempt in range(MAX_RATE_LIMIT_RETRIES + 1):
            try:
                reply = self.session.request(
                    method,
                    url,
                    data=data,
                    headers=headers,
                    params=params,
                    timeout=self.profile.request_seconds,
                )
            except requests.Timeout:
                raise TransportError(
                    operation, f"no answer within {self.profile.request_seconds:g} s"
                ) from None
            except requests.ConnectionError:
                raise TransportError(operation, f"cannot connect to {self.profile.base_url}") from None
            except requests.RequestException as error:
                raise TransportError(operation, type(error).__name__) from None
            if reply.status_code in (401, 403):
                raise AuthenticationError(operation, f"HTTP {reply.status_code}")
            if reply.status_code != 429:
                return reply
            if attempt == MAX_RATE_LIMIT_RETRIES:
                break
            time.sleep(_retry_after(reply.headers.get("Retry-After")))
        raise TransportError(
            operation, f"still rate-limited (HTTP 429) after {MAX_RATE_LIMIT_RETRIES} retries"
        )

    def _check(self, operation: str, stem: str, anchor: str | None, decoded: object, status: int) -> None:
        found = violations(stem, decoded, anchor)
        if found:
            raise ContractViolationError(
                operation, f"HTTP {status} body breaks {stem}: {found[0].message}", found[0].path, stem
            )


def _retry_after(header: str | None) -> float:
    try:
        wait = float(header) if header is not None else 1.0
    except ValueError:
        wait = 1.0
    return min(max(wait, 0.0), MAX_RETRY_AFTER_SECONDS)
