"""The official ``zuora-sdk`` drives the reference server and parses every answer it gets."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import date, datetime
from typing import TypeVar

import pytest
from zuora_sdk.api.bill_run_api import BillRunApi
from zuora_sdk.api.orders_api import OrdersApi
from zuora_sdk.api_client import ApiClient
from zuora_sdk.configuration import Configuration
from zuora_sdk.models.cancel_bill_run_request import CancelBillRunRequest
from zuora_sdk.models.create_bill_run_request import CreateBillRunRequest
from zuora_sdk.models.create_order_request import CreateOrderRequest

from reference_impl.server import RunningServer
from tests.servers import running_server

T = TypeVar("T")


def present(value: T | None) -> T:
    """The SDK types every model field as optional; the answers here must have them."""
    assert value is not None
    return value


@pytest.fixture
def server() -> Iterator[RunningServer]:
    with running_server() as running:
        tenant = running.app.state.tenant
        tenant.clock.set(datetime(2026, 3, 1))
        billing = tenant.billing
        account = billing.create_account(name="Acme", account_number="A00000850")
        assert not hasattr(account, "code")
        billing.subscribe(
            account_number="A00000850",
            plan_name="Basic Monthly",
            start_date=date(2026, 3, 1),
            subscription_number="A-S00002089",
        )
        yield running


@pytest.fixture
def client(server: RunningServer) -> ApiClient:
    warnings.filterwarnings("ignore", message="Pydantic serializer warnings")
    return ApiClient(Configuration(host=server.url, access_token="sandbox-token"))


def test_the_sdk_cancels_a_subscription_with_write_off(client: ApiClient) -> None:
    """The documented cancel-and-write-off order, sent by the SDK, comes back as the SDK's response model."""
    bills = BillRunApi(client)
    run = bills.create_bill_run(
        present(CreateBillRunRequest.from_dict({"targetDate": "2026-03-01", "batches": ["AllBatches"]}))
    )
    assert bills.get_bill_run(present(run.id)).status == "Completed"
    assert bills.post_bill_run(present(run.id), {}).status == "Posted"  # type: ignore[arg-type]
    order = CreateOrderRequest.from_dict(
        {
            "orderDate": "2026-03-16",
            "existingAccountNumber": "A00000850",
            "category": "NewSales",
            "subscriptions": [
                {
                    "subscriptionNumber": "A-S00002089",
                    "orderActions": [
                        {
                            "type": "CancelSubscription",
                            "triggerDates": [{"name": "ContractEffective", "triggerDate": "2026-03-16"}],
                            "cancelSubscription": {
                                "cancellationPolicy": "SpecificDate",
                                "cancellationEffectiveDate": "2026-03-16",
                            },
                        }
                    ],
                }
            ],
            "processingOptions": {
                "runBilling": False,
                "writeOff": True,
                "collectPayment": False,
                "billingOptions": {"documentDate": "2026-03-16", "targetDate": "2026-03-16"},
            },
        }
    )
    response = OrdersApi(client).create_order(present(order))
    assert response.success
    assert response.status == "Completed"
    assert response.subscriptions is not None
    assert response.subscriptions[0].status == "Cancelled"  # the SDK asks for the newer response style
    (write_off,) = response.write_off or []
    assert (write_off.status, write_off.amount, write_off.invoice_number) == ("Success", 30, "INV00000001")
    assert write_off.write_off_credit_memo_number


def test_the_sdk_gets_and_cancels_a_scheduled_bill_run(client: ApiClient) -> None:
    """Cancelling only the current occurrence returns the next one, which the SDK parses as ``nextRun``."""
    bills = BillRunApi(client)
    created = bills.create_bill_run(
        present(
            CreateBillRunRequest.from_dict(
                {
                    "batches": ["AllBatches"],
                    "schedule": {"repeatType": "Monthly", "repeatFrom": "2026-05-01", "runTime": 0},
                }
            )
        )
    )
    assert bills.get_bill_run(present(created.id)).status == "Pending"
    canceled = bills.cancel_bill_run(
        present(created.id), present(CancelBillRunRequest.from_dict({"cancelOnce": True}))
    )
    assert canceled.status == "Canceled"
    assert canceled.next_run is not None
    assert canceled.next_run.status == "Pending"
