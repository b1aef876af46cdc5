"""The HTTP target: any implementation that speaks Zuora's v1 shapes, reached with ``requests``.

Every exchange is checked against ``schemas/`` (see :mod:`.transport`). Asynchronous states
(a bill run Pending or Processing, PostInProgress, CancelInProgress, RemoveInProgress; an async
job Processing) are polled with a growing pause up to the profile's deadline, so nothing hangs.
What needs the conformance control API, or a tenant feature the target does not run with,
raises :class:`NotApplicableError`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from datetime import time as clock_time
from typing import Any

from schemas.contract import violations
from schemas.jsonio import dumps, loads
from steps.targets import views
from steps.targets.control_plan import FEATURE_NAMES, TENANT_SETTINGS, feature_changes, features_of
from steps.targets.errors import NotApplicableError, ProtocolError
from steps.targets.http_base import CONTROL_PREFIX, Account, Isolation, refused
from steps.targets.http_billing import BillingOverHttp
from steps.targets.http_catalog import rate_plan_ids
from steps.targets.paths import path
from steps.targets.payloads import cancellation_payload, subscription_payload
from steps.targets.protocol import (
    CancellationOrder,
    OrderView,
    Outcome,
    Refusal,
    Refused,
    SubscriptionView,
    TenantFeatures,
)

__all__ = ["HttpTarget"]


class HttpTarget(BillingOverHttp):
    """Drives a billing implementation over HTTP. Accounts get run-unique numbers."""

    # -- tenant and time -----------------------------------------------------------------------------

    @property
    def parallel_safe(self) -> bool:
        """Whether scenarios run at once cannot meet: each has a tenant of its own (control API
        version 2), or the kit never resets the one tenant (no control API). Decided once, from
        the control API (see :meth:`control_plan`)."""
        return self.control_plan().isolation is not Isolation.RESET

    def reset(self) -> None:
        """A fresh start for the next scenario, as the run decided once (:meth:`control_plan`): a
        tenant of its own (version 2), the one tenant emptied (version 1 only), or nothing (no
        control API). A failure is the scenario's (errored); it never changes the decision."""
        self._accounts, self._subscriptions = {}, {}
        self._known_features, self._clock, self._run_numbers = None, None, {}
        isolation = self.control_plan().isolation
        if isolation is Isolation.NONE:
            return
        if isolation is Isolation.TENANTS:
            self._plans = None  # each tenant has its own catalog
            self.leave_tenant()
            self._tenant_due = True  # made when the scenario first reaches the target
            self.client.before = self._enter_due_tenant
            return
        status, body = self._control(
            "reset",
            "reset",
            "POST",
            f"{CONTROL_PREFIX}/reset",
            body={},
            response_schema="control-ok-response",
            repeatable=True,
        )
        self._arranged("reset", status, body)

    def _enter_due_tenant(self) -> None:
        """Create the scenario's tenant if it is due, with the clock and features the scenario set
        if the target offers that (``tenant-settings``); what its answer does not show is set after.
        A creation that fails leaves it due: nothing of the scenario reaches another tenant."""
        if not self._tenant_due or self._entering:
            return
        moment, wanted, self._entering = self._clock_due, self._features_due, True
        try:
            plan = self.control_plan()
            asked: dict[str, Any] = {}
            if TENANT_SETTINGS in plan.operations:
                changes = feature_changes(plan.fresh, wanted) if plan.fresh and wanted else {}
                asked = {"now": moment.isoformat(timespec="seconds")} if moment else {}
                asked |= {"features": changes} if changes else {}
            status, body = self._create_tenant(asked)
            if asked and refused(status, body):  # settings it would not take: made bare, set after
                asked = {}
                status, body = self._create_tenant(asked)
            self._arranged("create tenant", status, body)
            found = views.Fields("create tenant", body)
            self.tenant = found.text("tenantId")  # known before anything else is read: it is deleted
            self.client.headers[found.text("header")] = self.tenant
            self._tenant_due, self._clock_due, self._features_due = False, None, None
            if isinstance(body.get("features"), dict):
                self._known_features = features_of("create tenant", body["features"])
            if moment is not None and not ("now" in asked and _shows(body.get("now"), moment)):
                self._put_clock(moment)
            if wanted is not None and self._known_features != wanted:
                self.set_features(wanted)
        finally:
            self._entering = False

    def _features_later(self) -> bool:
        """Whether the due tenant is to be made with the features the scenario sets: the target
        makes tenants with the settings asked, and the kit knows what a new one starts with."""
        plan = self.control_plan()
        return self._tenant_due and TENANT_SETTINGS in plan.operations and plan.fresh is not None

    def leave_tenant(self) -> None:
        """Delete the scenario's tenant, once the scenario ended (best effort: one left is deleted
        again when the process ends, see :meth:`close`)."""
        self._tenant_due, self._clock_due, self._features_due = False, None, None
        if self.tenant is None:
            return
        gone, self.tenant = self.tenant, None
        self._delete_tenant(gone)
        self.client.headers.clear()

    def features(self) -> TenantFeatures:
        """The tenant's features: asked once a scenario, then known from what the kit set (or,
        before the tenant is made with them, what it is to be made with)."""
        if not self.profile.capabilities.control_api:
            return self.profile.features
        if self._features_later():  # what the scenario is told is what the tenant is made with
            self._features_due = self._features_due or self.control_plan().fresh
            return self._features_due or TenantFeatures()
        self._enter_due_tenant()  # its answer may say them
        if self._known_features is None:
            status, body = self._control(
                "features",
                "get features",
                "GET",
                f"{CONTROL_PREFIX}/features",
                response_schema="control-features-response",
            )
            self._arranged("get features", status, body)
            self._known_features = features_of("get features", body)
        return self._known_features

    def set_features(self, features: TenantFeatures) -> None:
        if not self.profile.capabilities.control_api:
            if features != self.profile.features:
                raise NotApplicableError(
                    f"the scenario needs the tenant features {features}; the target runs with "
                    f"{self.profile.features} and cannot switch them"
                )
            return
        if self._features_later():
            self._features_due = features  # the tenant is made with them
            return
        # Only what changes is sent: a target of control API 1.0 knows no invoiceItemSettlement.
        wanted = feature_changes(self.features(), features)
        if not wanted:
            return
        status, body = self._control(
            "features",
            "set features",
            "PUT",
            f"{CONTROL_PREFIX}/features",
            body=wanted,
            request_schema="control-features",
            response_schema="control-features-response",
            repeatable=True,
        )
        if refused(status, body):
            # The control API lets a target refuse a setting (Invoice Item Settlement, say): the
            # scenario needs a tenant this target cannot be.
            asked = ", ".join(f"{FEATURE_NAMES[wire]} {'on' if on else 'off'}" for wire, on in wanted.items())
            reason = views.refused("set features", body).message or f"HTTP {status}"
            raise NotApplicableError(f"the target refused to switch its tenant to {asked}: {reason}")
        self._known_features = features_of("set features", body)

    def set_today(self, day: date) -> None:
        """Set the tenant's clock to the start of ``day`` (not again when it is there already).

        Without the control API the tenant keeps its own clock: the day is only what the
        scenario's orders are dated (the steps see dates moved onto the tenant's calendar, see
        :mod:`steps.targets.calendar`)."""
        moment = datetime.combine(day, clock_time())
        if moment == self._clock:
            return
        if self._tenant_due:
            self._clock_due = moment  # the tenant is made with it
        elif self.profile.capabilities.control_api:
            self._put_clock(moment)
        self._clock = moment

    def _put_clock(self, moment: datetime) -> None:
        status, body = self._control(
            "clock",
            "set clock",
            "PUT",
            f"{CONTROL_PREFIX}/clock",
            body={"now": moment.isoformat(timespec="seconds")},
            request_schema="control-clock-request",
            response_schema="control-clock-response",
            repeatable=True,
        )
        self._arranged("set clock", status, body)

    def advance_to(self, day: date) -> None:
        self._need_control("letting time pass")
        moment = datetime.combine(day, clock_time(23, 59))
        # Repeatable: the body names the moment to reach, and reaching it again runs nothing.
        status, body = self._control(
            "clock-advance",
            "advance clock",
            "POST",
            f"{CONTROL_PREFIX}/clock/advance",
            body={"to": moment.isoformat(timespec="seconds")},
            request_schema="control-clock-advance-request",
            response_schema="control-clock-response",
            repeatable=True,
        )
        self._arranged("advance clock", status, body)
        self._clock = moment

    # -- accounts and subscriptions ------------------------------------------------------------------

    def create_account(self, name: str, currency: str = "USD") -> Outcome[str]:
        body = {
            "name": name,
            "currency": currency,
            "billCycleDay": 0,
            "billToContact": {"firstName": name, "lastName": "Conformance"},
        }
        if not self.profile.capabilities.control_api:
            body["accountNumber"] = f"BC-{self._run}-{next(self._serial)}"
        status, reply = self.client.call(
            "create account",
            "POST",
            "/v1/accounts",
            body=body,
            request_schema="create-account-request",
            response_schema="create-account-response",
        )
        outcome = self._outcome(
            "create account",
            status,
            reply,
            lambda b: Account(b.text("accountNumber"), b.text("accountId"), currency),
        )
        if isinstance(outcome, Refused):
            return outcome
        self._accounts[name] = outcome
        return outcome.number

    def close_account(self, name: str) -> Outcome[None]:
        self._need_control("closing an account")
        status, body = self._control(
            "account-close",
            "close account",
            "POST",
            path(f"{CONTROL_PREFIX}/accounts", self.account_number(name), then="/close"),
            response_schema="control-close-account-response",
        )
        return self._outcome("close account", status, body, lambda _: None)

    def _plan_id(self, plan: str) -> str:
        if self._plans is None:
            self._plans = rate_plan_ids(self.client, self._pages)
        if plan not in self._plans:
            raise NotApplicableError(f"the target's catalog has no rate plan named {plan!r}")
        return self._plans[plan]

    def subscribe(self, name: str, plan: str, start: date) -> Outcome[str]:
        payload = subscription_payload(self.account_number(name), self._plan_id(plan), start)
        status, body = self.client.call(
            "create subscription",
            "POST",
            "/v1/orders",
            body=payload,
            request_schema="create-order-request",
            response_schema="create-order-response",
        )
        currency = self.account_currency(name)
        order = self._outcome("create subscription", status, body, lambda f: views.order_view(f, currency))
        if isinstance(order, Refused):
            return order
        if not order.subscription_numbers:
            raise ProtocolError("create subscription", "the order names no subscription", "$.subscriptions")
        self._subscriptions[(name, plan)] = order.subscription_numbers[0]
        return order.subscription_numbers[0]

    def subscription_number(self, name: str, plan: str) -> str:
        return self._subscriptions[(name, plan)]

    def subscription(self, name: str, plan: str) -> Outcome[SubscriptionView]:
        number = self.subscription_number(name, plan)
        status, body = self.client.call(
            "get subscription",
            "GET",
            path("/v1/subscriptions", number),
            response_schema="subscription-response",
        )
        cancelled = body.get("status") == "Cancelled"
        return self._outcome(
            "get subscription",
            status,
            body,
            lambda b: SubscriptionView(
                b.text("subscriptionNumber"),
                b.text("status"),
                b.day("subscriptionEndDate") if cancelled else None,
            ),
        )

    # -- orders ---------------------------------------------------------------------------------------

    def cancel_subscription(self, order: CancellationOrder) -> Outcome[OrderView]:
        today = self._today()
        payload = cancellation_payload(
            order,
            self.account_number(order.customer),
            self.subscription_number(order.customer, order.plan),
            today,
        )
        currency = self.account_currency(order.customer)
        stem = "create-order-async-request" if order.asynchronous else "create-order-request"
        # The order under test is checked like every request, except that a scenario's negative
        # case (write-off with payment collection, write-off asynchronously) goes out as built,
        # marked as deliberate in the evidence.
        broken = violations(stem, loads(dumps(payload)))
        deliberate = f"the scenario's negative case: {broken[0]}" if broken else None
        if order.idempotency_key is not None and not self.profile.capabilities.idempotency_keys:
            raise NotApplicableError("the target does not take idempotency keys (its profile says so)")
        if not order.asynchronous:
            status, body = self.client.call(
                "create order",
                "POST",
                "/v1/orders",
                body=payload,
                request_schema=stem,
                response_schema="create-order-response",
                deliberate=deliberate,
                headers=None if order.idempotency_key is None else {"Idempotency-Key": order.idempotency_key},
            )
            return self._outcome("create order", status, body, lambda f: views.order_view(f, currency))
        status, body = self.client.call(
            "create order asynchronously",
            "POST",
            "/v1/async/orders",
            body=payload,
            request_schema=stem,
            response_schema="async-job-response",
            anchor="submitted",
            deliberate=deliberate,
        )
        if refused(status, body):
            return views.refused("create order asynchronously", body)
        job_id = views.Fields("create order asynchronously", body).text("jobId")
        status, job = self._poll(
            "get async job",
            lambda: self.client.call(
                "get async job",
                "GET",
                path("/v1/async-jobs", job_id),
                response_schema="async-job-response",
                anchor="job",
            ),
            lambda b: b.get("status") != "Processing",
        )
        if status >= 400 or job.get("status") == "Failed":
            return Refused("create order asynchronously", Refusal.OTHER, "job-failed", str(job.get("errors")))
        result = views.Fields("get async job", job).need("result")
        return views.order_view(views.Fields("get async job", result, "$.result"), currency)

    def _today(self) -> date:
        """The day the tenant's clock shows: known when the kit set it, else asked."""
        if self._clock is not None:
            return self._clock.date()
        if not self.profile.capabilities.control_api:
            return datetime.now(UTC).date()
        status, body = self._control(
            "clock", "get clock", "GET", f"{CONTROL_PREFIX}/clock", response_schema="control-clock-response"
        )
        self._arranged("get clock", status, body)
        return views.Fields("get clock", body).day("now")

    def order(self, number: str) -> Outcome[OrderView]:
        status, body = self.client.call(
            "get order", "GET", path("/v1/orders", number), response_schema="get-order-response"
        )

        return self._outcome("get order", status, body, views.looked_up_order)


def _shows(value: object, moment: datetime) -> bool:
    """Whether ``value``, a local time the schema let through (or nothing), is ``moment``."""
    try:
        return datetime.fromisoformat(str(value)) == moment
    except ValueError:
        return False
