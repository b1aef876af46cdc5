"""Target profiles: where a target is, how to authenticate, what it can do, and whether it is safe.

A profile is a TOML file::

    [target]
    base_url = "https://rest.apisandbox.zuora.com"
    environment = "sandbox"            # "sandbox" or "test"; anything else is refused

    [auth]
    kind = "oauth"                     # "none", "bearer" or "oauth"
    token_env = "ZUORA_TOKEN"          # bearer: the variable that holds the token
    client_id_env = "ZUORA_CLIENT_ID"  # oauth: variables holding the client credentials
    client_secret_env = "ZUORA_CLIENT_SECRET"
    token_path = "/oauth/token"

    [capabilities]                     # what the target offers beyond Zuora's public API
    control_api = false                # reset, clock, feature switches, pause/resume, ...
    scheduled_bill_runs = true
    idempotency_keys = true            # Zuora's Idempotency-Key on "Create an order"
    hold_bill_runs = true              # control API: hold bill runs Pending or part-way (see below)

    [features]                         # the tenant features it runs with (without control_api)
    invoice_settlement = true
    invoice_item_settlement = false
    orders = true
    workflow = true

    [timeouts]
    request_seconds = 30               # connecting, and each wait for more of an answer
    exchange_seconds = 60              # one whole exchange, however the bytes trickle in
    poll_seconds = 60
    run_seconds = 3600                 # the whole run (default: no limit)

    [limits]
    answer_bytes = 16777216            # the largest answer the kit reads (16 MiB)

The run's deadline can also be given in the environment variable ``BILLING_CONFORMANCE_RUN_SECONDS``
(it wins over the profile's). Secrets are never written in a profile: only the names of the
environment variables that hold them. A target on a loopback address needs no profile: it is
taken to be a test target with the control API (the reference server, typically).

``hold_bill_runs`` says whether the control API can hold bill runs: create one held Pending, or
hold one part-way through processing, posting or canceling. It counts only with
``control_api``, and defaults to true: an implementation that offers the control API is expected
to offer all of it, so leaving a scenario unchecked must be a decision written in the profile,
never the accident of a profile written before the operation existed (such a target gets
errored scenarios naming the operation it lacks, not a silent pass). A target that cannot hold
runs says ``hold_bill_runs = false``; the examples that need it are then not applicable.
"""

from __future__ import annotations

import ipaddress
import os
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import ValidationError

from steps.targets.errors import TargetSpecError
from steps.targets.profile_file import (
    DEFAULT_ANSWER_BYTES,
    DEFAULT_EXCHANGE_SECONDS,
    ProfileFile,
    describe,
    read_profile_text,
)
from steps.targets.protocol import TenantFeatures
from steps.targets.secrets import remember_secret_variables

__all__ = [
    "DEFAULT_ANSWER_BYTES",
    "DEFAULT_EXCHANGE_SECONDS",
    "RUN_SECONDS_ENV",
    "RUN_STARTED_ENV",
    "SAFE_ENVIRONMENTS",
    "Capabilities",
    "Credentials",
    "Profile",
    "is_production_host",
    "load_profile",
    "origin",
    "run_started",
]

SAFE_ENVIRONMENTS = frozenset({"sandbox", "test"})
_NON_PRODUCTION_LABELS = frozenset({"sandbox", "apisandbox", "test", "pt1", "stg", "staging"})
#: Seconds the whole run may take; wins over the profile's ``run_seconds``.
RUN_SECONDS_ENV = "BILLING_CONFORMANCE_RUN_SECONDS"
#: When the run started (seconds since the epoch): set by the first process that needs it, and
#: inherited by the processes it starts (pytest-xdist workers), so they share the run's deadline.
RUN_STARTED_ENV = "BILLING_CONFORMANCE_RUN_STARTED"


def run_started() -> float:
    """When the run started: :data:`RUN_STARTED_ENV`, set to now if no process has set it."""
    try:
        return float(os.environ[RUN_STARTED_ENV])
    except (KeyError, ValueError):
        now = time.time()
        os.environ[RUN_STARTED_ENV] = f"{now:.3f}"
        return now


@dataclass(frozen=True)
class Capabilities:
    control_api: bool = False
    scheduled_bill_runs: bool = True
    #: Zuora's ``Idempotency-Key`` on "Create an order": a retry gets the first answer back.
    idempotency_keys: bool = True
    #: The control API holds bill runs Pending or part-way (Processing, PostInProgress, CancelInProgress).
    hold_bill_runs: bool = True


@dataclass(frozen=True)
class Credentials:
    """How to authenticate. Values come from the environment; the profile only names variables."""

    kind: str = "none"
    token_env: str | None = None
    client_id_env: str | None = None
    client_secret_env: str | None = None
    token_path: str = "/oauth/token"

    def __post_init__(self) -> None:
        remember_secret_variables((self.token_env, self.client_id_env, self.client_secret_env))

    def secret(self, variable: str | None) -> str:
        if not variable or not os.environ.get(variable):
            raise TargetSpecError("profile", f"the environment variable {variable!r} holds no credential")
        return os.environ[variable]


@dataclass(frozen=True)
class Profile:
    base_url: str
    environment: str
    credentials: Credentials = field(default_factory=Credentials)
    capabilities: Capabilities = field(default_factory=Capabilities)
    features: TenantFeatures = field(default_factory=TenantFeatures)
    request_seconds: float = 30.0
    poll_seconds: float = 60.0
    #: The most one exchange may take, from connecting to the answer's last byte.
    exchange_seconds: float = DEFAULT_EXCHANGE_SECONDS
    #: The largest answer body read; a larger one is a protocol error, not read to its end.
    max_answer_bytes: int = DEFAULT_ANSWER_BYTES
    #: The most the whole run may take (None: no limit), counted from its start, which
    #: pytest-xdist workers inherit (see :mod:`steps.targets.transport`).
    run_seconds: float | None = None

    @classmethod
    def for_loopback(cls, base_url: str) -> Profile:
        return cls(
            base_url.rstrip("/"),
            "test",
            capabilities=Capabilities(control_api=True),
            request_seconds=10.0,
            poll_seconds=10.0,
            exchange_seconds=30.0,
            run_seconds=_run_seconds_from_environment(None),
        )

    def run_seconds_left(self) -> float | None:
        """Seconds left before the run's deadline (negative once past; None without a deadline)."""
        if self.run_seconds is None:
            return None
        return run_started() + self.run_seconds - time.time()

    def on_target(self, url: str) -> bool:
        """Whether ``url`` is on the target's origin (scheme, host and port of ``base_url``).

        The kit contacts no other: its transport refuses to send a request anywhere else, a
        redirect to another origin is a protocol error, and so is a URL the target hands back
        that points elsewhere. The OAuth token path is a path on the target. So the safety
        check of ``base_url`` below holds for every URL the kit contacts."""
        found = origin(url)
        return found is not None and found == origin(self.base_url)

    def check_safety(self, *, allow_production: bool = False) -> None:
        """Refuse a target not marked as a test or sandbox tenant, and Zuora's production hosts.

        Applied to ``base_url``, it covers every URL the kit contacts (see :meth:`on_target`),
        the token URL among them."""
        if self.environment not in SAFE_ENVIRONMENTS:
            raise TargetSpecError(
                self.base_url,
                f"the profile marks it {self.environment!r}; the kit only runs "
                "against targets marked 'sandbox' or 'test', because its scenarios cancel "
                "bill runs and write off invoices",
            )
        token_url = self.base_url + self.credentials.token_path
        hosts = {urlsplit(url).hostname or "" for url in (self.base_url, token_url)}
        for host in sorted(hosts):
            self._refuse_production(host, allow_production=allow_production)

    def _refuse_production(self, host: str, *, allow_production: bool) -> None:
        if is_production_host(host) and not allow_production:
            raise TargetSpecError(
                self.base_url,
                f"{host} is one of Zuora's production API hosts; pass "
                "--allow-production if you really mean it",
            )


def origin(url: str) -> tuple[str, str, int] | None:
    """The origin of ``url``: scheme, host and port (the scheme's default when none is given);
    None for a URL that has none (a path, or a port that is not a number)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        return None
    host = (parts.hostname or "").lower().rstrip(".")
    if not host or port is None:
        return None
    return scheme, host, port


def is_loopback(base_url: str) -> bool:
    host = urlsplit(base_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_production_host(host: str) -> bool:
    """Zuora's API hosts other than its sandbox and test environments."""
    host = host.lower().rstrip(".")
    if host != "zuora.com" and not host.endswith(".zuora.com"):
        return False
    return not (_NON_PRODUCTION_LABELS & set(host.split(".")))


def load_profile(path: Path | None, base_url: str) -> Profile:
    """The profile in ``path`` (its base URL overridden by ``base_url`` when given)."""
    if path is None:
        if not is_loopback(base_url):
            raise TargetSpecError(
                base_url,
                "a target that is not on this machine needs a --profile that marks it "
                "as a sandbox or test tenant",
            )
        return Profile.for_loopback(base_url)
    try:
        data = tomllib.loads(read_profile_text(path))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise TargetSpecError(str(path), f"cannot read the profile: {error}") from error
    try:
        read = ProfileFile.model_validate(data)
    except ValidationError as error:
        raise TargetSpecError(str(path), describe(error)) from None
    stated = read.target.base_url.rstrip("/")
    url = (base_url or stated).rstrip("/")
    if not url:
        raise TargetSpecError(str(path), "the profile names no base_url")
    if stated and base_url and stated != url:
        raise TargetSpecError(
            str(path), f"its base_url {stated} is not the target {url}; give one, or make them agree"
        )
    auth = read.auth
    return Profile(
        base_url=url,
        environment=read.target.environment,
        credentials=Credentials(
            auth.kind, auth.token_env, auth.client_id_env, auth.client_secret_env, auth.token_path
        ),
        capabilities=Capabilities(**read.capabilities.model_dump()),
        features=TenantFeatures(**read.features.model_dump()),
        request_seconds=read.timeouts.request_seconds,
        poll_seconds=read.timeouts.poll_seconds,
        exchange_seconds=read.timeouts.exchange_seconds,
        max_answer_bytes=read.limits.answer_bytes,
        run_seconds=_run_seconds_from_environment(read.timeouts.run_seconds),
    )


def _run_seconds_from_environment(default: float | None) -> float | None:
    """The run's deadline from :data:`RUN_SECONDS_ENV` if set, else ``default``."""
    text = os.environ.get(RUN_SECONDS_ENV, "").strip()
    if not text:
        return default
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise TargetSpecError(RUN_SECONDS_ENV, f"must be a positive number of seconds, not {text!r}")
    return seconds
