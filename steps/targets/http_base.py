"""What every part of the HTTP target shares: the profile, the client, the roster, polling."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from steps.targets import views
from steps.targets.errors import NotApplicableError, TransportError
from steps.targets.profile import Profile
from steps.targets.protocol import (
    BillRunView,
    InvoiceView,
    Outcome,
)
from steps.targets.transport import HttpClient

__all__ = ["CONTROL_PREFIX", "SETTLING", "HttpTargetBase", "bill_run_view", "invoice_view", "refused"]

T = TypeVar("T")
SETTLING = {"Pending", "Processing", "PostInProgress", "CancelInProgress", "RemoveInProgress"}
CONTROL_PREFIX = "/conformance/v1"


def refused(status: int, body: dict[str, Any]) -> bool:
    """Whether an answer is a refusal: HTTP 4xx, or ``success: false`` (Zuora also sends that with 200)."""
    return status >= 400 or body.get("success") is False


def bill_run_view(body: dict[str, Any]) -> BillRunView:
    scheduled = str(body.get("scheduledExecutionTime") or "")[:10]
    return BillRunView(
        id=str(body["id"]),
        number=str(body.get("billRunNumber", body["id"])),
        status=str(body["status"]),
        target_date=views.iso_date(body.get("targetDate")),
        scheduled_date=date.fromisoformat(scheduled) if body.get("schedule") and scheduled else None,
    )


def invoice_view(body: dict[str, Any]) -> InvoiceView:
    return InvoiceView(
        str(body["invoiceNumber"]),
        str(body.get("accountNumber", "")),
        str(body["status"]),
        Decimal(str(body["amount"])),
        Decimal(str(body["balance"])),
        date.fromisoformat(str(body["invoiceDate"])),
        body.get("billRunId"),
    )


class HttpTargetBase:
    """State and plumbing of :class:`steps.targets.http.HttpTarget`."""

    def __init__(self, profile: Profile, client: HttpClient | None = None) -> None:
        self.profile = profile
        self.name = f"HTTP {profile.base_url}"
        self.client = client or HttpClient(profile)
        self._accounts: dict[str, tuple[str, str]] = {}  # name -> (number, id)
        self._subscriptions: dict[tuple[str, str], str] = {}
        self._plans: dict[str, str] | None = None
        self._run = uuid.uuid4().hex[:6].upper()

    # -- helpers ---------------------------------------------------------------------------------

    def _need_control(self, what: str) -> None:
        if not self.profile.capabilities.control_api:
            raise NotApplicableError(
                f"{what} needs the conformance control API, which the target does not offer"
            )

    def _outcome(
        self, operation: str, status: int, body: dict[str, Any], convert: Callable[[dict[str, Any]], T]
    ) -> Outcome[T]:
        if refused(status, body):
            return views.refused(operation, body)
        return convert(body)

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

    def _account_id(self, name: str) -> str:
        return self._accounts[name][1]
