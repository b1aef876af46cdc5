"""The tenants of control API version 2 that one process of the kit made, so that none is left.

Each tenant made is noted (a probe's, a scenario's, the smoke check's) and forgotten once deleted
or found gone (404). A scenario's tenant is deleted when the scenario ends; what is still noted
when the process ends (a deletion that failed, a run stopped part-way) is deleted then by
:meth:`TenantLedger.close`, best effort and within :data:`CLOSE_SECONDS` in all: each request
gets what is left of that budget, is sent once (no retries), and the run's own deadline does not
apply to it, so a dead target never holds up the end of a run and a run that ran out of time
still cleans up.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import replace
from typing import Any

from steps.targets import paths
from steps.targets.errors import HarnessError
from steps.targets.transport import HttpClient

__all__ = ["CLOSE_SECONDS", "TENANTS_PATH", "TenantLedger"]

#: Control API version 2: isolated tenants, one per scenario.
TENANTS_PATH = "/conformance/v2/tenants"
#: The most a process spends, when it ends, deleting the tenants it left.
CLOSE_SECONDS = 5.0
#: An answer to a deletion that says the tenant is not there (any more).
_GONE = 404


class TenantLedger:
    """The tenants one process made and has not deleted yet, in the order they were made."""

    def __init__(self) -> None:
        self._alive: list[str] = []
        #: Told the tenants held each time they change (a pytest-xdist worker journals them for
        #: its controller: :mod:`steps.tenant_cleanup`).
        self.on_change: Callable[[tuple[str, ...]], None] | None = None

    @property
    def alive(self) -> tuple[str, ...]:
        return tuple(self._alive)

    def adopt(self, tenant_ids: Iterable[str]) -> None:
        """Take over tenants another process made and may have left (a worker that was ended)."""
        self._alive += [tenant_id for tenant_id in tenant_ids if tenant_id not in self._alive]

    def create(self, client: HttpClient, asked: dict[str, Any] | None = None) -> tuple[int, Any]:
        """Ask for a new tenant, as ``asked`` says (its clock: ``now``), transient answers
        retried (a target without the operation raises :class:`ControlOperationMissingError`);
        note it when one is made."""
        status, body = client.call(
            "create tenant",
            "POST",
            TENANTS_PATH,
            body=asked or {},
            request_schema="control-tenant-request",
            response_schema="control-tenant-response",
            repeatable=True,
            lacks="tenants",
        )
        made = body.get("tenantId") if isinstance(body, dict) and body.get("success") is not False else None
        if status < 400 and isinstance(made, str) and made not in self._alive:
            self._alive.append(made)
            self._changed()
        return status, body

    def delete(self, client: HttpClient, tenant_id: str, *, repeatable: bool = True) -> bool:
        """Delete a tenant, best effort (a failure stays in the evidence, and the tenant stays
        noted for :meth:`close`): whether it is gone."""
        status, body = 0, None
        with suppress(HarnessError):
            status, body = client.call(
                "delete tenant",
                "DELETE",
                paths.path(TENANTS_PATH, tenant_id),
                response_schema="control-ok-response",
                repeatable=repeatable,
            )
        deleted = status < 400 and isinstance(body, dict) and body.get("success") is not False
        if not (deleted or status == _GONE):
            return False
        if tenant_id in self._alive:
            self._alive.remove(tenant_id)
            self._changed()
        return True

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change(self.alive)

    def close(self, client: HttpClient, seconds: float = CLOSE_SECONDS) -> tuple[str, ...]:
        """Delete every tenant still noted, within ``seconds`` in all; the ones left behind."""
        deadline = time.monotonic() + seconds
        profile = client.profile
        try:
            for tenant_id in list(self._alive):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                client.profile = replace(
                    profile,
                    request_seconds=min(profile.request_seconds, left),
                    exchange_seconds=min(profile.exchange_seconds, left),
                    run_seconds=None,
                )
                self.delete(client, tenant_id, repeatable=False)
        finally:
            client.profile = profile
        return self.alive
