"""Isolated tenants (control API version 2): each scenario may have a tenant of its own.

``POST /conformance/v2/tenants`` makes a fresh tenant (its own features, clock, catalog and
numbering) and answers with its id; every request that carries the header
:data:`TENANT_HEADER` with that id sees only that tenant, the public API and the version-1
control operations alike. A request without the header addresses the default tenant, so
version 1 (one global tenant, reset between scenarios) keeps working for serial runs.

Tenants are cheap and bounded: at most :data:`MAX_TENANTS` live at once, and one unused for
:data:`IDLE_SECONDS` expires. Past the bound the answer is a clear refusal, never a slowdown.
The control API's info (``GET /conformance/v1``) says how many are alive (``liveTenants``), so
that a client can see it left none behind; a registry made without ``counted`` (a server of
version 1 only) does not say it.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from reference_impl.billing import Billing
from reference_impl.wire.control_api import ReferenceTenant

__all__ = ["IDLE_SECONDS", "MAX_TENANTS", "TENANT_HEADER", "TenantRegistry"]

TENANT_HEADER = "X-Conformance-Tenant"
MAX_TENANTS = 100
IDLE_SECONDS = 1800.0


@dataclass
class TenantRegistry:
    """The default tenant and the isolated ones, by id, with when each was last used."""

    implementation: type[Billing] = Billing
    limit: int = MAX_TENANTS
    idle_seconds: float = IDLE_SECONDS
    now: Callable[[], float] = time.monotonic
    #: Whether the info of each tenant says how many isolated tenants are alive.
    counted: bool = True
    default: ReferenceTenant = field(init=False)
    _tenants: dict[str, tuple[ReferenceTenant, float]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.default = self._tenant()

    def _tenant(self) -> ReferenceTenant:
        return ReferenceTenant(self.implementation, census=self.alive if self.counted else None)

    def alive(self) -> int:
        """How many isolated tenants are alive (the default one is not counted)."""
        self._expire()
        return len(self._tenants)

    def _expire(self) -> None:
        cutoff = self.now() - self.idle_seconds
        for tenant_id in [key for key, (_, used) in self._tenants.items() if used < cutoff]:
            del self._tenants[tenant_id]

    def create(self) -> str | None:
        """A new tenant's id, or None when :attr:`limit` tenants are alive."""
        self._expire()
        if len(self._tenants) >= self.limit:
            return None
        tenant_id = secrets.token_hex(8)
        self._tenants[tenant_id] = (self._tenant(), self.now())
        return tenant_id

    def find(self, tenant_id: str | None) -> ReferenceTenant | None:
        """The tenant a request addresses (the default one without an id); None if unknown."""
        if tenant_id is None:
            return self.default
        self._expire()
        found = self._tenants.get(tenant_id)
        if found is None:
            return None
        self._tenants[tenant_id] = (found[0], self.now())
        return found[0]

    def delete(self, tenant_id: str) -> bool:
        return self._tenants.pop(tenant_id, None) is not None

    def __len__(self) -> int:
        return len(self._tenants)
