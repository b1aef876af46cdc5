"""How steps judge a target's answer: which refusals count as "a business rule forbids it"."""

from __future__ import annotations

import pytest

from steps.support import business_refusal, refused_by_rule
from steps.targets import Refusal, Refused


@pytest.mark.parametrize("category", [Refusal.RULE_RESTRICTION, Refusal.INVALID_VALUE])
def test_a_rule_or_invalid_value_refusal_is_a_business_rule_refusal(category: Refusal) -> None:
    refusal = Refused("cancel bill run", category, f"500030{category.value:02d}", "no")
    assert refused_by_rule(refusal, "the cancellation") is refusal


@pytest.mark.parametrize("category", [Refusal.NOT_FOUND, Refusal.PERMISSION_DENIED, Refusal.OTHER])
def test_other_refusals_are_not_business_rule_refusals(category: Refusal) -> None:
    with pytest.raises(AssertionError, match="refused by a business rule"):
        refused_by_rule(Refused("cancel bill run", category, "x", "no"), "the cancellation")


def test_an_accepted_operation_is_no_refusal() -> None:
    with pytest.raises(AssertionError, match="but it was accepted"):
        refused_by_rule("accepted", "the cancellation")
    with pytest.raises(AssertionError, match="but it was accepted"):
        business_refusal("accepted", "the order")


def test_not_found_is_no_business_refusal_of_an_order() -> None:
    with pytest.raises(AssertionError, match="for a business reason"):
        business_refusal(Refused("create order", Refusal.NOT_FOUND, "50002040", "no"), "the order")
