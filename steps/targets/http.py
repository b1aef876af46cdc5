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

from schemas.contract import violations
from schemas.jsonio import dumps, loads
from steps.targets import views
from steps.targets.errors import NotApplicableError, ProtocolError
from steps.targets.http_base import (
    CONTROL_PREFIX,
    FEATURE_FIELDS,
    FEATURE_NAMES,
    Account,
    Isolation,
    features_of,
    refused,
)
from steps.targets.http_billing import BillingOverHttp
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
            self._enter_tenant()
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

    def _enter_tenant(self) -> None:
        """Create the scenario's own tenant (transient answers retried, see :mod:`.transport`)."""
        status, body = self._create_tenant()
        self._arranged("create tenant", status, body)
        found = views.Fields("create tenant", body)
        self.tenant = found.text("tenantId")  # known before anything else is read: it is deleted
        self.client.headers[found.text("header")] = self.tenant
        if isinstance(body.get("features"), dict):
            self._known_features = features_of("create tenant", body["features"])

    def leave_tenant(self) -> None:
        """Delete the scenario's tenant, once the scenario ended (best effort: one left is deleted
        again when the process ends, see :meth:`close`)."""
        if self.tenant is None:
            return
        gone, self.tenant = self.tenant, None
        self._delete_tenant(gone)
        self.client.headers.clear()

    def features(self) -> TenantFeatures:
        """The tenant's features: asked once a scenario, then known from what the kit set."""
        if not self.profile.capabilities.control_api:
            return self.profile.features
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
        current = self.features()
        # Only what changes is sent: a target of control API 1.0 knows no invoiceItemSettlement.
        wanted = {
            wire: getattr(features, name)
            for wire, name in FEATURE_FIELDS.items()
            if getattr(features, name) != getattr(current, name)
        }
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
        if self.profile.capabilities.control_api:
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
        self._clock = moment

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

    def _rate_plans(self, product: views.Fields) -> list[views.Fields]:
        """A product's rate plans: listed inline (Zuora without a version header) or behind the
        URL that Zuora-Version 230 and later give instead."""
        listed = product.get("productRatePlans")
        if not isinstance(listed, str):
            return product.items("productRatePlans")
        # A URL the target hands back is followed only on the target (never elsewhere).
        url = self.client.url_for("list catalog", listed, f"{product.where}.productRatePlans")
        return list(
            self._pages("list rate plans", url, "product-rate-plans-response", {}, "productRatePlans")
        )

    def _plan_id(self, plan: str) -> str:
        if self._plans is None:
            products = self._pages("list catalog", "/v1/catalog/products", "catalog-response", {}, "products")
            self._plans = {
                rate_plan.text("name"): rate_plan.text("id")
                for product in products
                for rate_plan in self._rate_plans(product)
            }
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

        def view(b: views.Fields) -> OrderView:
            found = views.Fields("get order", b.need("order"), "$.order")
            subs = tuple(s.text("subscriptionNumber") for s in found.items("subscriptions"))
            cancellations = [
                action
                for s in found.items("subscriptions")
                for action in s.items("orderActions")
                if action.get("type") == "CancelSubscription"
            ]
            return OrderView(
                found.text("orderNumber"),
                found.text("status"),
                subs,
                custom_fields=dict(found.get("customFields") or {}),
                action_custom_fields={
                    k: v for action in cancellations for k, v in (action.get("customFields") or {}).items()
                },
            )

        return self._outcome("get order", status, body, view)
