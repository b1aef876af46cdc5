"""The conformance control API (version 1): what a scenario must arrange that Zuora's API cannot.

Reset the tenant, switch its features, set and advance its clock, pause and resume a scheduled
bill run, see a schedule's waiting occurrence, close an account, hold bill runs part-way and
release them. Transport-free, like
:mod:`.api`; the server mounts it under ``/conformance/v1``. Documented in
``docs/implementers.md`` and specified by ``schemas/control-*.schema.json``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from reference_impl.bill_run import BillRun, BillRunStatus
from reference_impl.billing import Billing
from reference_impl.clock import ManualClock
from reference_impl.rejection import Category, Rejection
from reference_impl.wire import views
from reference_impl.wire.api import Reply, checked, refusal
from reference_impl.wire.billing_api import run_account_id
from schemas.contract import violations

__all__ = ["CONTROL_VERSION", "OPERATIONS", "ReferenceTenant", "invalid_request"]

CONTROL_VERSION = "1"
OPERATIONS = (
    "reset",
    "features",
    "clock",
    "clock-advance",
    "bill-run-pause",
    "bill-run-resume",
    "pending-occurrence",
    "account-close",
    "bill-run-queue",
    "bill-run-hold",
    "bill-run-release",
)
_START = datetime(2000, 1, 1)


def invalid_request(stem: str, body: object) -> Reply | None:
    """The 400 envelope naming what makes ``body`` break schema ``stem``, or None when it is valid."""
    found = violations(stem, body)
    if not found:
        return None
    faults = "; ".join(str(v) for v in found[:5])
    return refusal(Rejection("control-invalid", Category(found[0].category), faults), 400)


@dataclass
class ReferenceTenant:
    """One tenant of the reference implementation (or of a variant of it), resettable."""

    implementation: type[Billing] = Billing
    clock: ManualClock = field(default_factory=lambda: ManualClock(_START))
    #: How many isolated tenants (version 2) are alive, for the info; None where there are none.
    census: Callable[[], int] | None = field(default=None, repr=False, compare=False)
    billing: Billing = field(init=False)

    def __post_init__(self) -> None:
        self.billing = self.implementation(self.clock)

    # -- operations ------------------------------------------------------------------------------

    def info(self) -> Reply:
        body: dict[str, object] = {"success": True, "version": CONTROL_VERSION}
        # A server of isolated tenants makes each with the clock and features asked for (version 2).
        body["operations"] = [*OPERATIONS, *(["tenant-settings"] if self.census is not None else [])]
        if self.census is not None:
            body["liveTenants"] = self.census()
        return Reply(200, checked("control-info-response", body))

    def reset(self) -> Reply:
        self.clock = ManualClock(_START)
        self.billing = self.implementation(self.clock)
        return Reply(200, checked("control-ok-response", {"success": True}))

    def _features_body(self) -> Reply:
        current = self.billing.features
        return Reply(
            200,
            checked(
                "control-features-response",
                {
                    "success": True,
                    "invoiceSettlement": current.invoice_settlement,
                    "orders": current.orders,
                    "workflow": current.workflow,
                    "invoiceItemSettlement": current.invoice_item_settlement,
                },
            ),
        )

    def get_features(self) -> Reply:
        return self._features_body()

    def put_features(self, body: object) -> Reply:
        invalid = invalid_request("control-features", body)
        if invalid is not None:
            return invalid
        assert isinstance(body, dict)
        current = self.billing.features
        self.billing.configure(
            replace(
                current,
                invoice_settlement=body.get("invoiceSettlement", current.invoice_settlement),
                orders=body.get("orders", current.orders),
                workflow=body.get("workflow", current.workflow),
                invoice_item_settlement=body.get("invoiceItemSettlement", current.invoice_item_settlement),
            )
        )
        return self._features_body()

    def _clock_body(self, processed: list[str] | None = None) -> Reply:
        body: dict[str, object] = {"success": True, "now": self.clock.now().isoformat(timespec="seconds")}
        if processed is not None:
            body["billRunsProcessed"] = processed
        return Reply(200, checked("control-clock-response", body))

    def get_clock(self) -> Reply:
        return self._clock_body()

    def put_clock(self, body: object) -> Reply:
        invalid = invalid_request("control-clock-request", body)
        if invalid is not None:
            return invalid
        assert isinstance(body, dict)
        self.clock.set(datetime.fromisoformat(str(body["now"])))
        return self._clock_body()

    def advance_clock(self, body: object) -> Reply:
        invalid = invalid_request("control-clock-advance-request", body)
        if invalid is not None:
            return invalid
        assert isinstance(body, dict)
        target = datetime.fromisoformat(str(body["to"]))
        if target < self.clock.now():
            return refusal(
                Rejection(
                    "control-clock-backwards",
                    Category.INVALID_VALUE,
                    f"The clock cannot go back from {self.clock.now()} to {target}.",
                ),
                409,
            )
        processed = self.billing.advance_clock(target)
        return self._clock_body([run.number for run in processed])

    def _bill_run(self, outcome: BillRun | Rejection) -> Reply:
        if isinstance(outcome, Rejection):
            return refusal(outcome)
        return Reply(
            200, checked("bill-run-response", views.bill_run(outcome, run_account_id(self.billing, outcome)))
        )

    def pause(self, key: str) -> Reply:
        return self._bill_run(self.billing.pause_bill_run(key))

    def resume(self, key: str) -> Reply:
        return self._bill_run(self.billing.resume_bill_run(key))

    def hold_new_bill_runs(self, body: object) -> Reply:
        invalid = invalid_request("control-bill-run-queue-request", body)
        if invalid is not None:
            return invalid
        assert isinstance(body, dict)
        self.billing.hold_new_bill_runs(bool(body["held"]))
        return Reply(200, checked("control-ok-response", {"success": True}))

    def hold(self, key: str, body: object) -> Reply:
        invalid = invalid_request("control-bill-run-hold-request", body)
        if invalid is not None:
            return invalid
        assert isinstance(body, dict)
        return self._bill_run(self.billing.hold_bill_run(key, BillRunStatus(body["status"])))

    def release(self, key: str) -> Reply:
        return self._bill_run(self.billing.release_bill_run(key))

    def pending_occurrence(self, key: str) -> Reply:
        run = self.billing.bill_run(key)
        if isinstance(run, Rejection):
            return refusal(run)
        waiting = None if run.series is None else self.billing.pending_occurrence(run.series)
        shown = None
        if waiting is not None:
            shown = views.bill_run(waiting, run_account_id(self.billing, waiting))
            del shown["success"]
        return Reply(200, checked("control-pending-occurrence-response", {"success": True, "billRun": shown}))

    def close_account(self, key: str) -> Reply:
        closed = self.billing.close_account(key)
        if isinstance(closed, Rejection):
            return refusal(closed)
        return Reply(
            200,
            checked(
                "control-close-account-response",
                {
                    "success": True,
                    "accountNumber": closed.number,
                    "status": closed.status.value,
                },
            ),
        )
