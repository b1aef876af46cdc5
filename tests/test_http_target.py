"""The HTTP target against the reference server on loopback: evidence and deliberate requests."""

from __future__ import annotations

from datetime import date

import pytest

from reference_impl.server import RunningServer
from steps.targets import CancellationOrder, HarnessError, Target
from steps.targets.http import HttpTarget
from steps.targets.in_process import InProcessTarget
from steps.targets.profile import Profile


@pytest.fixture
def target(reference_server: RunningServer) -> HttpTarget:
    opened = HttpTarget(Profile.for_loopback(reference_server.url))
    opened.reset()
    opened.set_today(date(2026, 3, 1))
    return opened


def test_evidence_keeps_the_full_url_with_its_query(target: HttpTarget) -> None:
    """An exchange's URL is the one sent, query string included, so an empty listing can be diagnosed."""
    target.client.call(
        "list catalog",
        "GET",
        "/v1/catalog/products",
        params={"filter[]": "name.EQ:Basic Monthly", "pageSize": 1},
        response_schema="catalog-response",
    )
    url = target.client.exchanges[-1].url
    assert url.startswith(target.profile.base_url + "/v1/catalog/products?")
    assert "filter%5B%5D=name.EQ%3ABasic+Monthly" in url
    assert "pageSize=1" in url


def _cancel(target: HttpTarget, *, negative: bool) -> None:
    target.create_account("Acme")
    target.subscribe("Acme", "Basic Monthly", date(2026, 3, 1))
    target.cancel_subscription(
        CancellationOrder(
            "Acme",
            "Basic Monthly",
            effective_date=date(2026, 3, 16),
            final_invoice=False,
            collect_payment=negative,  # without a final invoice: Zuora's models forbid it
        )
    )


def test_a_deliberately_negative_order_is_marked_in_the_evidence(target: HttpTarget) -> None:
    """An order that breaks its published request schema on purpose is sent, and marked as such."""
    _cancel(target, negative=True)
    sent = target.client.exchanges[-1]
    assert sent.operation == "create order"
    assert sent.request_body is not None
    assert sent.deliberate is not None
    assert "negative case" in sent.deliberate


def test_an_ordinary_order_is_checked_and_not_marked(target: HttpTarget) -> None:
    """Every other order is checked against its request schema and carries no mark."""
    _cancel(target, negative=False)
    assert [e.deliberate for e in target.client.exchanges] == [None] * len(target.client.exchanges)


@pytest.mark.parametrize("over_http", [False, True], ids=["in process", "over HTTP"])
def test_the_waiting_occurrence_of_an_unknown_run_cannot_be_observed_on_either_side(
    reference_server: RunningServer, over_http: bool
) -> None:
    """The same fault, the same verdict: nothing can be said of what waits after a run the target
    does not know (errored), never "nothing waits", in process as over HTTP (where it is a 404)."""
    found: Target = HttpTarget(Profile.for_loopback(reference_server.url)) if over_http else InProcessTarget()
    found.reset()
    with pytest.raises(HarnessError):
        found.pending_occurrence("8a8a0003000000000000000000009999")
