"""Honest implementation choices: variations of the reference implementation in what a Zuora
tenant may configure, which no rule may depend on.

Each choice is a subclass of :class:`reference_impl.Billing` that replaces one service by a
subclass overriding one hook, the way a known-bad variant does, but without breaking anything:

* :class:`AppliesFinalCreditOldestFirst`: a cancellation's final credit memo goes to the oldest
  outstanding invoice first (Zuora applies it by the tenant's default application rule, a
  setting of Invoice Settlement), where the reference starts with the invoice that billed the
  credited days.

``tests/test_honest_variants.py`` runs the whole suite against each choice (every rule must
hold) and against every known-bad variant combined with each choice (exactly the variant's
declared rules must fall). The combinations are made here, at import, so that
``inprocess:tests.honest_choices:NAME`` can load each of them.
"""

from __future__ import annotations

from reference_impl import Billing, CreditMemo, Invoice, write_off_ops
from tests.known_bad import KNOWN_BAD, KnownBad

__all__ = ["CHOICES", "COMBINED", "AppliesFinalCreditOldestFirst", "combined"]


class AppliesFinalCreditOldestFirst(Billing):
    """Applies a cancellation's final credit memo to the oldest outstanding invoice first."""

    class WriteOffs(write_off_ops.WriteOffs):
        def _final_credit_order(self, memo: CreditMemo, unpaid: list[Invoice]) -> list[Invoice]:
            return sorted(unpaid, key=lambda invoice: (invoice.invoice_date, invoice.number))


CHOICES: tuple[type[Billing], ...] = (AppliesFinalCreditOldestFirst,)


def _services(choice: type[Billing]) -> dict[str, type]:
    """The services ``choice`` replaces, by their attribute name on the facade."""
    return {name: value for name, value in vars(choice).items() if isinstance(value, type)}


def combined(variant: type[KnownBad], choice: type[Billing]) -> type[KnownBad]:
    """``variant`` with ``choice`` made as well: each service the choice replaces becomes a
    subclass of the variant's service and the choice's, the variant's own overrides first (so the
    choice never hides the fault)."""
    services: dict[str, object] = {}
    for attribute, service in _services(choice).items():
        own = getattr(variant, attribute)
        both = (
            service if issubclass(service, own) else type(attribute, (own, service), {"__module__": __name__})
        )
        services[attribute] = both
    name = f"{variant.__name__}With{choice.__name__}"
    return type(name, (variant,), {**services, "__module__": __name__, "__doc__": variant.__doc__})


#: Every known-bad variant combined with every choice.
COMBINED: tuple[type[KnownBad], ...] = tuple(combined(v, c) for c in CHOICES for v in KNOWN_BAD)
globals().update({variant.__name__: variant for variant in COMBINED})
