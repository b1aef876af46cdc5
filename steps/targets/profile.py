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

    [features]                         # the tenant features it runs with (without control_api)
    invoice_settlement = true
    invoice_item_settlement = false
    orders = true
    workflow = true

    [timeouts]
    request_seconds = 30
    poll_seconds = 60

Secrets are never written in a profile: only the names of the environment variables that hold
them. A target on a loopback address needs no profile: it is taken to be a test target with
the control API (the reference server, typically).
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from steps.targets.errors import TargetSpecError
from steps.targets.protocol import TenantFeatures

__all__ = [
    "SAFE_ENVIRONMENTS",
    "Capabilities",
    "Credentials",
    "Profile",
    "is_production_host",
    "load_profile",
]

SAFE_ENVIRONMENTS = frozenset({"sandbox", "test"})
_NON_PRODUCTION_LABELS = frozenset({"sandbox", "apisandbox", "test", "pt1", "stg", "staging"})


@dataclass(frozen=True)
class Capabilities:
    control_api: bool = False
    scheduled_bill_runs: bool = True


@dataclass(frozen=True)
class Credentials:
    """How to authenticate. Values come from the environment; the profile only names variables."""

    kind: str = "none"
    token_env: str | None = None
    client_id_env: str | None = None
    client_secret_env: str | None = None
    token_path: str = "/oauth/token"

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

    @classmethod
    def for_loopback(cls, base_url: str) -> Profile:
        return cls(
            base_url.rstrip("/"),
            "test",
            capabilities=Capabilities(control_api=True),
            request_seconds=10.0,
            poll_seconds=10.0,
        )

    def check_safety(self, *, allow_production: bool = False) -> None:
        """Refuse a target not marked as a test or sandbox tenant, and Zuora's production hosts."""
        if self.environment not in SAFE_ENVIRONMENTS:
            raise TargetSpecError(
                self.base_url,
                f"the profile marks it {self.environment!r}; the kit only runs "
                "against targets marked 'sandbox' or 'test', because its scenarios cancel "
                "bill runs and write off invoices",
            )
        host = urlsplit(self.base_url).hostname or ""
        if is_production_host(host) and not allow_production:
            raise TargetSpecError(
                self.base_url,
                f"{host} is one of Zuora's production API hosts; pass "
                "--allow-production if you really mean it",
            )


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
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise TargetSpecError(str(path), f"cannot read the profile: {error}") from error
    read = _Reader(str(path), data)
    url = (base_url or read.text("target", "base_url", "")).rstrip("/")
    if not url:
        raise TargetSpecError(str(path), "the profile names no base_url")
    kind = read.text("auth", "kind", "none")
    if kind not in ("none", "bearer", "oauth"):
        raise TargetSpecError(str(path), f"unknown auth kind {kind!r}")
    return Profile(
        base_url=url,
        environment=read.text("target", "environment", ""),
        credentials=Credentials(
            kind,
            read.optional_text("auth", "token_env"),
            read.optional_text("auth", "client_id_env"),
            read.optional_text("auth", "client_secret_env"),
            read.text("auth", "token_path", "/oauth/token"),
        ),
        capabilities=Capabilities(
            read.flag("capabilities", "control_api", default=False),
            read.flag("capabilities", "scheduled_bill_runs", default=True),
        ),
        features=TenantFeatures(
            read.flag("features", "invoice_settlement", default=True),
            read.flag("features", "orders", default=True),
            read.flag("features", "workflow", default=True),
            read.flag("features", "invoice_item_settlement", default=False),
        ),
        request_seconds=read.seconds("request_seconds", 30.0),
        poll_seconds=read.seconds("poll_seconds", 60.0),
    )


class _Reader:
    """Typed reads of a parsed profile; a value of the wrong type is refused, naming it."""

    def __init__(self, where: str, data: dict[str, object]) -> None:
        self.where = where
        self.data = data

    def _refuse(self, section: str, key: str, wanted: str, value: object) -> TargetSpecError:
        return TargetSpecError(self.where, f"{section}.{key} must be {wanted}, not {value!r}")

    def _section(self, section: str) -> dict[str, object]:
        table = self.data.get(section, {})
        if not isinstance(table, dict):
            raise TargetSpecError(self.where, f"[{section}] must be a table, not {table!r}")
        return table

    def optional_text(self, section: str, key: str) -> str | None:
        value = self._section(section).get(key)
        if value is not None and not isinstance(value, str):
            raise self._refuse(section, key, "a string", value)
        return value

    def text(self, section: str, key: str, default: str) -> str:
        value = self.optional_text(section, key)
        return default if value is None else value

    def flag(self, section: str, key: str, *, default: bool) -> bool:
        value = self._section(section).get(key, default)
        if not isinstance(value, bool):
            raise self._refuse(section, key, "true or false", value)
        return value

    def seconds(self, key: str, default: float) -> float:
        value = self._section("timeouts").get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise self._refuse("timeouts", key, "a positive number of seconds", value)
        return float(value)
