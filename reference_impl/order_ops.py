"""Order operations: create and cancel subscriptions, bill, collect and write off.

The rules of "Cancel subscriptions and write off all unpaid invoices" live here. Each has one
hook method so that a known-bad variant can break exactly one of them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from reference_impl.account import Account
from reference_impl.account_ops import Accounts
from reference_impl.catalog import Catalog
from reference_impl.credit_memo import CreditMemo
from reference_impl.document import DocumentStatus
from reference_impl.invoice import Invoice
from reference_impl.invoicing import Invoicing
from reference_impl.ledger import Ledger, Retry, atomic
from reference_impl.lookups import find_account, find_order, not_found
from reference_impl.order import (
    AsyncJob,
    CancellationPolicy,
    Order,
    OrderAction,
    OrderRequest,
    Processing,
)
from reference_impl.rating import add_months, beyond_calendar, billed_beyond_calendar
from reference_impl.rejection import Category, Rejection
from reference_impl.subscription import Subscription
from reference_impl.write_off_ops import WriteOffs

__all__ = ["KEY_LIFETIME", "Orders"]

#: How long an idempotency key is kept: Zuora removes one 24 hours after it is set ("Idempotent
#: requests").
KEY_LIFETIME = timedelta(hours=24)


def _rule(code: str, message: str, category: Category = Category.RULE_RESTRICTION) -> Rejection:
    return Rejection(f"order-{code}", category, message)


class Orders:
    """Orders: subscriptions created and canceled, billed at once, paid or written off.

    An order for a new customer opens the account through ``accounts``; the final document comes
    from ``invoicing``, and the payment or the write-off from ``write_offs``.
    """

    def __init__(
        self,
        ledger: Ledger,
        catalog: Catalog,
        accounts: Accounts,
        invoicing: Invoicing,
        write_offs: WriteOffs,
    ) -> None:
        self.ledger = ledger
        self.catalog = catalog
        self.accounts = accounts
        self.invoicing = invoicing
        self.write_offs = write_offs
        #: the tenant's clock (the one write-offs are dated by): how long a key is kept
        self.clock = write_offs.clock

    # -- entry points -----------------------------------------------------------------------------

    def create_order(self, request: OrderRequest, *, idempotency_key: str | None = None) -> Order | Rejection:
        """Process an order at once (Zuora's "Create an order").

        With an idempotency key, what the order came to is kept, processed or refused, for
        :data:`KEY_LIFETIME` of the tenant's clock (Zuora's "Idempotent requests"): the same
        order sent again with the key gets it back and changes nothing. Another order sent with
        a key still kept is refused (``order-idempotency-key-reused``) and changes nothing.
        """
        if idempotency_key is None:
            return self._create_order(request)
        now = self.clock.now()
        earlier = self.ledger.retries.get(idempotency_key)
        if earlier is not None and now < earlier.until:
            if earlier.request != request:
                return _rule(
                    "idempotency-key-reused",
                    "This idempotency key was already used for a different order.",
                    Category.INVALID_VALUE,
                )
            kept = earlier.outcome
            return kept if isinstance(kept, Rejection) else self.ledger.orders[kept]
        outcome = self._create_order(request)
        kept = outcome if isinstance(outcome, Rejection) else outcome.number
        last = datetime.max.replace(tzinfo=now.tzinfo)  # a clock at the calendar's end keeps it to the end
        until = now + KEY_LIFETIME if now <= last - KEY_LIFETIME else last
        self.ledger.retries[idempotency_key] = Retry(request, kept, until)
        return outcome

    @atomic
    def _create_order(self, request: OrderRequest) -> Order | Rejection:
        return self._process_order(request)

    @atomic
    def create_order_async(self, request: OrderRequest) -> AsyncJob | Rejection:
        """Accept an order as a job (Zuora's "Create an order asynchronously").

        The job runs at once; a job whose order is refused ends ``Failed`` and changes nothing.
        """
        refused = self._async_refusal(request)
        if refused is not None:
            return refused
        outcome = self.ledger.atomically(lambda: self._process_order(request))
        if isinstance(outcome, Rejection):
            job = AsyncJob(self.ledger.new_id("job"), "Failed", errors=outcome.message)
        else:
            job = AsyncJob(self.ledger.new_id("job"), "Completed", order=outcome)
        self.ledger.jobs[job.id] = job
        return job

    def _async_refusal(self, request: OrderRequest) -> Rejection | None:
        """Rule: write-off is only available through the synchronous operation."""
        if request.processing.write_off:
            return _rule(
                "async-write-off",
                "Writing off invoices while canceling a subscription is only "
                "possible through the synchronous create-order operation.",
                Category.UNKNOWN_FIELD,
            )
        return None

    def order(self, key: str) -> Order | Rejection:
        return find_order(self.ledger, key)

    def async_job(self, job_id: str) -> AsyncJob | Rejection:
        job = self.ledger.jobs.get(job_id)
        return job if job is not None else not_found("job", job_id)

    # -- processing -------------------------------------------------------------------------------

    def _process_order(self, request: OrderRequest) -> Order | Rejection:
        refused = self._feature_refusal(request.processing) or self._processing_refusal(request.processing)
        if refused is not None:
            return refused
        if request.processing.run_billing:
            given = request.processing.target_date
            field = "orderDate" if given is None else "billingOptions.targetDate"
            refused = billed_beyond_calendar(given or request.order_date, field)
            if refused is not None:
                return refused
        account = self._order_account(request)
        if isinstance(account, Rejection):
            return account
        touched: list[Subscription] = []
        canceled: set[str] = set()
        actions: list[tuple[str, str]] = []
        for change in request.subscriptions:
            number = change.subscription_number
            for action in change.actions:
                done = self._apply(action, account, number, request.order_date)
                if isinstance(done, Rejection):
                    return done
                number = done.number
                touched = [s for s in touched if s.number != done.number] + [done]
                actions.append((action.kind, done.number))
                if action.kind == "CancelSubscription":
                    canceled.add(done.number)
        if request.processing.write_off and not canceled:
            return _rule(
                "write-off-without-cancellation",
                "Write-off applies only to an order that cancels a subscription.",
            )
        return self._finish(request, account, touched, canceled, actions)

    def _feature_refusal(self, processing: Processing) -> Rejection | None:
        """Rule: write-off needs Invoice Settlement, and the Orders and Workflow features."""
        features = self.ledger.features
        if not features.orders:
            return _rule("orders-disabled", "The Orders feature is not enabled.", Category.PERMISSION_DENIED)
        if processing.write_off and not features.invoice_settlement:
            return _rule(
                "write-off-needs-invoice-settlement",
                "Write-off needs the Invoice Settlement feature.",
                Category.PERMISSION_DENIED,
            )
        if processing.write_off and not features.workflow:
            return _rule(
                "write-off-needs-workflow",
                "Write-off needs the Workflow feature.",
                Category.PERMISSION_DENIED,
            )
        return None

    def _processing_refusal(self, processing: Processing) -> Rejection | None:
        """Rules: collecting a payment needs billing; writing off needs no payment collection."""
        if processing.collect_payment and not processing.run_billing:
            return _rule(
                "collect-payment-needs-billing", "collectPayment cannot be true when runBilling is false."
            )
        if processing.write_off and processing.collect_payment:
            return _rule(
                "write-off-with-payment", "To write off unpaid invoices, collectPayment must be false."
            )
        return self._unstated_refusal(processing)

    def _unstated_refusal(self, processing: Processing) -> Rejection | None:
        """Rule (SHOULD): a write-off order states the options the document marks as required."""
        if processing.write_off and processing.unstated:
            return _rule(
                "write-off-options-unstated",
                "To write off unpaid invoices, the order must give " + ", ".join(sorted(processing.unstated)),
                Category.MISSING_FIELD,
            )
        return None

    def _order_account(self, request: OrderRequest) -> Account | Rejection:
        if (request.existing_account_number is None) == (request.new_account is None):
            return _rule(
                "account-choice",
                "Give either existingAccountNumber or newAccount, not both or neither.",
                Category.INVALID_VALUE,
            )
        if request.new_account is not None:
            new = request.new_account
            return self.accounts.create_account(
                name=new.name, currency=new.currency, bill_cycle_day=new.bill_cycle_day
            )
        return find_account(self.ledger, request.existing_account_number or "")

    def _apply(
        self, action: OrderAction, account: Account, number: str | None, order_date: date
    ) -> Subscription | Rejection:
        if action.kind == "CreateSubscription":
            return self._create_subscription(action, account, number, order_date)
        if action.kind == "CancelSubscription":
            return self._cancel_subscription(action, account, number)
        return _rule(
            "action-unsupported",
            f"The reference implementation does not support {action.kind} actions.",
            Category.INVALID_VALUE,
        )

    def _create_subscription(
        self, action: OrderAction, account: Account, number: str | None, order_date: date
    ) -> Subscription | Rejection:
        plans = [self.catalog.plan_by_key(key) for key in action.plan_keys]
        if not plans or None in plans:
            return _rule(
                "plan-unknown",
                f"Unknown or missing rate plans: {list(action.plan_keys)}.",
                Category.INVALID_VALUE,
            )
        number = number or self.ledger.new_number("subscription")
        if number in self.ledger.subscriptions:
            return _rule(
                "subscription-exists", f"A subscription numbered {number} exists.", Category.INVALID_VALUE
            )
        start = action.trigger_dates.get("ContractEffective", order_date)
        off_calendar = beyond_calendar(start, action.term_months)
        if off_calendar is not None:
            return off_calendar
        subscription = Subscription(
            id=self.ledger.new_id("subscription"),
            number=number,
            account_number=account.number,
            plan_names=tuple(p.name for p in plans if p is not None),
            start_date=start,
            term_end=None if action.term_months is None else add_months(start, action.term_months),
            custom_fields=dict(action.custom_fields),
        )
        self.ledger.subscriptions[number] = subscription
        return subscription

    def _cancel_subscription(
        self, action: OrderAction, account: Account, number: str | None
    ) -> Subscription | Rejection:
        subscription = self.ledger.subscriptions.get(number or "")
        if subscription is None or subscription.account_number != account.number:
            return not_found("subscription", number or "")
        if subscription.end_date is not None:
            return _rule(
                "subscription-cancelled", f"The subscription {subscription.number} is already cancelled."
            )
        effective = self._effective_date(subscription, action)
        if isinstance(effective, Rejection):
            return effective
        cancelled = subscription.cancel(effective)
        self.ledger.subscriptions[cancelled.number] = cancelled
        return cancelled

    def _effective_date(self, subscription: Subscription, action: OrderAction) -> date | Rejection:
        """When the cancellation takes effect, by policy."""
        if action.policy is CancellationPolicy.SPECIFIC_DATE:
            when = action.effective_date
            if when is None:
                return _rule(
                    "effective-date-required",
                    "SpecificDate needs a cancellationEffectiveDate.",
                    Category.MISSING_FIELD,
                )
            if when < subscription.start_date or (
                subscription.term_end is not None and when > subscription.term_end
            ):
                return _rule(
                    "effective-date-out-of-term",
                    f"{when} is outside the subscription's term.",
                    Category.INVALID_VALUE,
                )
            return when
        if action.policy is CancellationPolicy.END_OF_CURRENT_TERM:
            if subscription.term_end is None:
                return _rule(
                    "evergreen-has-no-term-end", "An evergreen subscription has no current term to end."
                )
            return subscription.term_end
        if action.policy is CancellationPolicy.END_OF_LAST_INVOICE_PERIOD:
            ends = [
                item.service_end
                for invoice in self.ledger.invoices.where("subscription", subscription.number)
                if invoice.status is not DocumentStatus.CANCELED
                for item in invoice.items
                if item.subscription_number == subscription.number
            ]
            return max(ends, default=subscription.start_date)
        return _rule("policy-required", "A cancellation needs a cancellationPolicy.", Category.MISSING_FIELD)

    # -- billing, payment, write-off -------------------------------------------------------------

    def _finish(
        self,
        request: OrderRequest,
        account: Account,
        touched: list[Subscription],
        canceled: set[str],
        actions: list[tuple[str, str]],
    ) -> Order:
        processing = request.processing
        final: Invoice | CreditMemo | None = None
        if processing.run_billing:
            items = self.invoicing.due_items(
                account, processing.target_date or request.order_date, {s.number for s in touched}
            )
            final = self.invoicing.issue_documents(
                account,
                items,
                processing.document_date or request.order_date,
                processing.target_date or request.order_date,
                post=not processing.generate_draft_invoice,
            )
            if isinstance(final, CreditMemo) and processing.credit_memo_reason_code:
                final = replace(final, reason_code=processing.credit_memo_reason_code)
                self.ledger.credit_memos[final.number] = final
        payment = self.write_offs.collect_for(final) if processing.collect_payment else None
        write_offs = (
            self.write_offs.write_off_unpaid(account, canceled, final, processing)
            if processing.write_off
            else ()
        )
        order = Order(
            id=self.ledger.new_id("order"),
            number=request.order_number or self.ledger.new_number("order"),
            account_number=account.number,
            status="Completed",
            order_date=request.order_date,
            category=request.category,
            subscriptions=tuple(
                (s.number, self.ledger.subscriptions[s.number].status.value) for s in touched
            ),
            actions=tuple(actions),
            invoice_numbers=(final.number,) if isinstance(final, Invoice) else (),
            credit_memo_numbers=(final.number,) if isinstance(final, CreditMemo) else (),
            payment_number=payment.number if payment else None,
            paid_amount=payment.amount if payment else None,
            write_offs=write_offs,
            write_off_requested=processing.write_off,
            custom_fields=dict(request.custom_fields),
            action_custom_fields=tuple(a.custom_fields for c in request.subscriptions for a in c.actions),
            description=request.description,
        )
        self.ledger.orders[order.number] = order
        return order
