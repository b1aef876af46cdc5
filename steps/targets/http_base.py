"""What every part of the HTTP target shares: the profile, the client, the roster, polling, paging,
and the control API: what it offers, decided once a run (:class:`ControlPlan`), and how each of
its operations is called (:meth:`HttpTargetBase._control`)."""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from steps.targets import paths, views
from steps.targets.control_plan import ControlPlan, Isolation, features_of
from steps.targets.errors import (
    ArrangementError,
    ControlOperationMissingError,
    HarnessError,
    NotApplicableError,
    ProtocolError,
    TransportError,
    UndecidedIsolationError,
)
from steps.targets.http_tenants import TENANTS_PATH, TenantLedger
from steps.targets.profile import Profile
from steps.targets.protocol import Outcome, TenantFeatures
from steps.targets.transport import HttpClient

__all__ = [
    "CONTROL_OPERATIONS",
    "CONTROL_PREFIX",
    "MAX_PAGES",
    "PAGE_SIZE",
    "SETTLING",
    "TENANTS_PATH",
    "Account",
    "ControlPlan",
    "HttpTargetBase",
    "Isolation",
    "refused",
]

T = TypeVar("T")
SETTLING = {"Pending", "Processing", "PostInProgress", "CancelInProgress", "RemoveInProgress"}
CONTROL_PREFIX = "/conformance/v1"
#: Zuora's object queries return at most 50 records a page; the kit asks for that many.
PAGE_SIZE = 50
#: A listing longer than this many pages is taken as a target that never stops paging.
MAX_PAGES = 200
#: The control API's operations the kit may call, by the name the target's info lists each under
#: (``GET /conformance/v1``, ``operations``), with what they are for (docs/implementers.md, 6).
#: ``bill-run-release`` is documented too, but the kit never calls it: a held run goes with its
#: tenant.
CONTROL_OPERATIONS = {
    "reset": "start over with an empty tenant (version 1 only)",
    "features": "read and switch the tenant's features",
    "clock": "read and set the tenant's clock",
    "clock-advance": "let time pass",
    "bill-run-pause": "pause a scheduled bill run",
    "bill-run-resume": "resume a paused bill run",
    "pending-occurrence": "see a schedule's waiting occurrence",
    "account-close": "close an account",
    "bill-run-queue": "hold new bill runs Pending",
    "bill-run-hold": "hold a bill run part-way",
}
#: Answers to ``POST /conformance/v2/tenants`` that say the target has no version 2.
_NO_TENANTS = frozenset({404, 405, 501})


def refused(status: int, body: dict[str, Any]) -> bool:
    """Whether an answer is a refusal: HTTP 4xx, or ``success: false`` (Zuora also sends that with 200)."""
    return status >= 400 or body.get("success") is False


@dataclass(frozen=True)
class Account:
    """An account the kit created, as the target named it."""

    number: str
    id: str
    currency: str


class HttpTargetBase:
    """State and plumbing of :class:`steps.targets.http.HttpTarget`."""

    def __init__(self, profile: Profile, client: HttpClient | None = None) -> None:
        self.profile = profile
        self.name = f"HTTP {profile.base_url}"
        self.client = client or HttpClient(profile)
        self._accounts: dict[str, Account] = {}
        self._subscriptions: dict[tuple[str, str], str] = {}
        self._plans: dict[str, str] | None = None
        self._run = uuid.uuid4().hex[:6].upper()
        #: Accounts made in this run, for account numbers unique in a tenant that is never reset.
        self._serial = itertools.count(1)
        #: The scenario's own tenant (control API version 2), when the target offers one, and
        #: every tenant made and not deleted yet (by this process, or handed over by a worker).
        self.tenant: str | None = None
        self.made_tenants = TenantLedger()
        #: Whether the scenario's tenant is yet to be made (when the scenario first reaches the
        #: target), and the clock and features it is to be made with.
        self._tenant_due, self._entering = False, False
        self._clock_due: datetime | None = None
        self._features_due: TenantFeatures | None = None
        #: The control API as learnt once for the run (or why it could not be learnt).
        self._plan: ControlPlan | None = None
        self._plan_error: str | None = None
        #: What the kit knows of the scenario's tenant without asking: its features and the
        #: moment its clock was set to (None until read or set in this scenario).
        self._known_features: TenantFeatures | None = None
        self._clock: datetime | None = None
        #: Bill run numbers by id, as read in this scenario.
        self._run_numbers: dict[str, str] = {}

    # -- the roster -------------------------------------------------------------------------------

    def account_number(self, name: str) -> str:
        return self._accounts[name].number

    def account_id(self, name: str) -> str:
        return self._accounts[name].id

    def account_currency(self, name: str) -> str:
        return self._accounts[name].currency

    def _currency_of(self, account_id: str) -> str:
        """The currency of an account the kit created, by its id (for documents that name none)."""
        for account in self._accounts.values():
            if account.id == account_id:
                return account.currency
        raise ProtocolError(
            "read a document", f"it names an account the scenario did not create: {account_id}"
        )

    # -- the control API, decided once ----------------------------------------------------------

    def control_plan(self) -> ControlPlan:
        """What the control API offers, learnt on first use and kept (a failure to learn it too:
        the run never decides again on a later answer). A run decides it before any scenario,
        and hands it to its workers (:meth:`adopt_plan`)."""
        if self._plan is not None:
            return self._plan
        if self._plan_error is not None:
            raise UndecidedIsolationError(self._plan_error)
        try:
            self._plan = self._learn_plan()
        except HarnessError as error:
            self._plan_error = str(error)
            raise UndecidedIsolationError(self._plan_error) from error
        return self._plan

    def adopt_plan(self, wire: Mapping[str, Any]) -> None:
        """Take the plan the run decided (``plan_as_wire`` of the process that did)."""
        error = wire.get("error")
        if error is not None:
            self._plan, self._plan_error = None, str(error)
        else:
            self._plan, self._plan_error = ControlPlan.from_wire(wire), None

    def plan_as_wire(self) -> dict[str, Any]:
        """The plan (or why there is none) as plain data for other processes, deciding it now if
        it is not decided yet."""
        try:
            return self.control_plan().as_wire()
        except UndecidedIsolationError as error:
            return {"error": error.reason}

    def _learn_plan(self) -> ControlPlan:
        """Ask the control API's info for its version and operations, then whether it offers
        version 2. Transient answers are retried; any other failure leaves the plan undecided."""
        if not self.profile.capabilities.control_api:
            return ControlPlan(Isolation.NONE)
        status, body = self.client.call(
            "control info", "GET", CONTROL_PREFIX, response_schema="control-info-response", lacks="info"
        )
        if refused(status, body):
            message = views.refused("control info", body).message
            raise ArrangementError("control info", f"HTTP {status}: {message}")
        found = views.Fields("control info", body)
        version = found.text("version")
        with views.reading("control info", "$.operations"):
            operations = frozenset(str(name) for name in found.need("operations"))
        isolation, fresh = self._probe_tenants()
        return ControlPlan(isolation, operations, version, fresh)

    def _probe_tenants(self) -> tuple[Isolation, TenantFeatures | None]:
        """Whether the target offers version 2: a tenant is made (its features noted, when the
        answer says them), and deleted again. An answer 404, 405 or 501 says it offers version 1
        only; a refusal, or a failure that outlasts the retries, decides nothing (raised)."""
        try:
            status, body = self._create_tenant()
        except ControlOperationMissingError:
            return Isolation.RESET, None
        if refused(status, body):
            message = views.refused("create tenant", body).message
            raise ArrangementError("create tenant", f"HTTP {status}: {message}")
        self._delete_tenant(views.Fields("create tenant", body).text("tenantId"))
        said = body.get("features")
        return Isolation.TENANTS, features_of("create tenant", said) if isinstance(said, dict) else None

    def _create_tenant(self, asked: dict[str, Any] | None = None) -> tuple[int, Any]:
        """Ask for a new tenant, noted until deleted (see :class:`.http_tenants.TenantLedger`)."""
        return self.made_tenants.create(self.client, asked)

    def _delete_tenant(self, tenant_id: str) -> None:
        """Delete a tenant, best effort: one left behind is deleted again when the process ends."""
        self.made_tenants.delete(self.client, tenant_id)

    def close(self) -> None:
        """Delete every tenant this process made and has not deleted, within a short deadline
        (a dead target must not hang the end of a run)."""
        self._tenant_due = False
        if self.tenant is not None:
            self.tenant = None
            self.client.headers.clear()
        self.made_tenants.close(self.client)

    # -- helpers ---------------------------------------------------------------------------------

    def _need_control(self, what: str) -> None:
        if not self.profile.capabilities.control_api:
            raise NotApplicableError(
                f"{what} needs the conformance control API, which the target does not offer"
            )

    def _control(
        self,
        name: str,
        operation: str,
        method: str,
        path: str,
        *,
        body: object = None,
        request_schema: str | None = None,
        response_schema: str | None = None,
        repeatable: bool = False,
    ) -> tuple[int, Any]:
        """Call the control-API operation ``name`` (one of :data:`CONTROL_OPERATIONS`). One the
        target lacks, because its info does not list it or it answers 404 (405, 501), raises
        :class:`ControlOperationMissingError`: the kit never goes on as if it had been done. A
        refusal comes back for the caller to judge."""
        plan = self.control_plan()
        if name not in plan.operations:
            raise ControlOperationMissingError(
                operation, name, f"GET {CONTROL_PREFIX} does not list it among its operations"
            )
        return self.client.call(
            operation,
            method,
            path,
            body=body,
            request_schema=request_schema,
            response_schema=response_schema,
            repeatable=repeatable,
            lacks=name,
        )

    def _arranged(self, operation: str, status: int, body: dict[str, Any]) -> None:
        """A control operation that arranges the scenario: a refusal means it cannot be set up."""
        if refused(status, body):
            found = views.refused(operation, body)
            code = f" (code {found.code})" if found.code else ""
            raise ArrangementError(operation, f"HTTP {status}: {found.message}{code}")

    def _outcome(
        self, operation: str, status: int, body: dict[str, Any], convert: Callable[[views.Fields], T]
    ) -> Outcome[T]:
        if refused(status, body):
            return views.refused(operation, body)
        with views.reading(operation):
            return convert(views.Fields(operation, body))

    def _poll(
        self, operation: str, fetch: Callable[[], tuple[int, Any]], settled: Callable[[Any], bool]
    ) -> tuple[int, Any]:
        deadline = time.monotonic() + self.profile.poll_seconds
        pause = 0.05
        while True:
            status, body = fetch()
            if status >= 400 or settled(body):
                return status, body
            if time.monotonic() > deadline:
                raise TransportError(
                    operation, f"still in progress after {self.profile.poll_seconds:g} s: {body}"
                )
            time.sleep(pause)
            pause = min(pause * 2, 2.0)

    def _pages(
        self, operation: str, path: str, schema: str, params: dict[str, Any], rows: str, *, led: bool = False
    ) -> Iterator[views.Fields]:
        """Every record of a paged listing. An object query's ``nextPage`` is a cursor that goes
        back as ``cursor``; a ``led`` listing of the v1 API (an invoice's or a credit memo's items,
        paged by ``page`` and ``pageSize``) names the next page's URL in it, which is followed."""
        cursor: str | None = None
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            if led and cursor:
                where, query = cursor, None
            else:
                where, query = path, {**params, **({"cursor": cursor} if cursor else {})}
            status, body = self.client.call(operation, "GET", where, params=query, response_schema=schema)
            if refused(status, body):
                raise ProtocolError(operation, f"the listing was refused: {views.refused(operation, body)}")
            yield from views.Fields(operation, body).items(rows)
            cursor = body.get("nextPage")
            if not cursor:
                return
            if not isinstance(cursor, str):
                raise ProtocolError(operation, "the next page is not named by a string", "$.nextPage")
            if cursor in seen:
                raise ProtocolError(operation, f"the listing repeats the page {cursor!r}", "$.nextPage")
            seen.add(cursor)
        raise ProtocolError(operation, f"the listing goes on past {MAX_PAGES} pages", "$.nextPage")

    def _get_bill_run(self, bill_run_id: str) -> tuple[int, Any]:
        return self.client.call(
            "get bill run",
            "GET",
            paths.path("/v1/bill-runs", bill_run_id),
            response_schema="bill-run-response",
        )

    def _settle_bill_run(self, operation: str, bill_run_id: str) -> tuple[int, Any]:
        return self._poll(
            operation,
            lambda: self._get_bill_run(bill_run_id),
            lambda body: body.get("status") not in SETTLING,
        )
