"""Step definitions of the conformance suite, one module per domain noun.

The modules are registered as pytest plugins through :data:`PLUGINS`, by
:mod:`billing_conformance.kit` (the checkout's ``conftest.py``, the kit's ``pytest11`` entry
point and ``billing-conformance run`` all register that). Steps reach the system under test only
through the ``target`` fixture, a :class:`steps.targets.Target`; they never import
``reference_impl``.
"""

from __future__ import annotations

PLUGINS = [
    "steps.lookup",
    "steps.fixtures",
    "steps.tenant_cleanup",
    "steps.tenant",
    "steps.accounts",
    "steps.bill_runs",
    "steps.invoices",
    "steps.credit_memos",
    "steps.subscriptions",
    "steps.write_offs",
    "steps.orders",
    "steps.order_results",
    "steps.history_steps",
]

__all__ = ["PLUGINS"]
