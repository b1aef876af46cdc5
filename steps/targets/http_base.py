"""What every part of the HTTP target shares: the profile, the client, the roster, polling, paging."""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from steps.targets import views
from steps.targets.errors import NotApplicableError, ProtocolError, TransportError
from steps.targets.profile import Profile
from steps.targets.protocol import Outcome, TenantFeatures
from steps.targets.transport import HttpClient

__all__ = [
    "CONTROL_PREFIX",
    "MAX_PAGES",
    "PAGE_SIZE",
    "SETTLING",
    "TENANTS_PATH",
    "Account",
    "HttpTargetBase",
    "refused",
]

T = TypeVar("T")
SETTLING = {"Pending", "Processing", "PostInProgress", "CancelInProgress", "RemoveInProgress"}
CONTROL_PREFIX = "/conformance/v1"
#: Control API version 2: isolated tenants, one per scenario.
TENANTS_PATH = "/conformance/v2/tenants"
#: Zuora's object queries return at most 50 records a page; the kit asks for that many.
PAGE_SIZE = 50
#: A listing longer than this many pages is taken as a target that never stops paging.
MAX_PAGES = 200


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
        #: The scenario's own tenant (control API version 2), when the target offers one.
        self.tenant: str | None = None
        self._isolated: bool | None = None  # None: not yet known whether the target has version 2
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

    # -- helpers ---------------------------------------------------------------------------------

    def _need_control(self, what: str) -> None:
        if not self.profile.capabilities.control_api:
            raise NotApplicableError(
                f"{what} needs the conformance control API, which the target does not offer"
            )

    def _outcome(
        self, operation: str, status: int, body: dict[str, Any], convert: Callable[[views.Fields], T]
    ) -> Outcome[T]:
        if refused(status, body):
            return views.refused(operation, body)
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
        self, operation: str, path: str, schema: str, params: dict[str, Any], rows: str
    ) -> Iterator[views.Fields]:
        """Every record of a paged listing: Zuora's ``nextPage`` goes back as ``cursor``."""
        cursor: str | None = None
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            query = {**params, **({"cursor": cursor} if cursor else {})}
            status, body = self.client.call(operation, "GET", path, params=query, response_schema=schema)
            if refused(status, body):
                raise ProtocolError(operation, f"the listing was refused: {views.refused(operation, body)}")
            yield from views.Fields(operation, body).items(rows)
            cursor = body.get("nextPage")
            if not cursor:
                return
            if cursor in seen:
                raise ProtocolError(operation, f"the listing repeats the page {cursor!r}", "$.nextPage")
            seen.add(cursor)
        raise ProtocolError(operation, f"the listing goes on past {MAX_PAGES} pages", "$.nextPage")

    def _get_bill_run(self, bill_run_id: str) -> tuple[int, Any]:
        return self.client.call(
            "get bill run", "GET", f"/v1/bill-runs/{bill_run_id}", response_schema="bill-run-response"
        )

    def _settle_bill_run(self, operation: str, bill_run_id: str) -> tuple[int, Any]:
        return self._poll(
            operation,
            lambda: self._get_bill_run(bill_run_id),
            lambda body: body.get("status") not in SETTLING,
        )
