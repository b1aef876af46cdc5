"""Targets: the systems under test the steps can drive, chosen with ``--target``.

``inprocess`` (the default) drives the reference implementation in this process;
``inprocess:MODULE:CLASS`` drives a subclass of :class:`reference_impl.Billing`, such as a
known-bad variant from ``tests/known_bad.py``.
"""

from __future__ import annotations

import importlib

from steps.targets.errors import ArrangementError, HarnessError, TargetSpecError
from steps.targets.protocol import (
    BillRunView,
    CancellationOrder,
    CancelView,
    CreditMemoView,
    InvoiceView,
    MemoItemView,
    OrderView,
    Outcome,
    PaymentView,
    Refusal,
    Refused,
    ScheduleSpec,
    SubscriptionView,
    Target,
    TenantFeatures,
    WriteOffView,
)

__all__ = [
    "DEFAULT_TARGET",
    "ArrangementError",
    "BillRunView",
    "CancelView",
    "CancellationOrder",
    "CreditMemoView",
    "HarnessError",
    "InvoiceView",
    "MemoItemView",
    "OrderView",
    "Outcome",
    "PaymentView",
    "Refusal",
    "Refused",
    "ScheduleSpec",
    "SubscriptionView",
    "Target",
    "TargetSpecError",
    "TenantFeatures",
    "WriteOffView",
    "open_target",
]

DEFAULT_TARGET = "inprocess"


def open_target(spec: str = DEFAULT_TARGET) -> Target:
    """Build the target named by ``spec`` (see the module docstring)."""
    kind, _, rest = spec.partition(":")
    if kind != "inprocess":
        raise TargetSpecError(spec, "unknown kind of target; use 'inprocess' or 'inprocess:MODULE:CLASS'")
    from steps.targets.in_process import InProcessTarget  # noqa: PLC0415 - keeps reference_impl out of HTTP runs

    if not rest:
        return InProcessTarget()
    module_name, _, class_name = rest.partition(":")
    try:
        implementation = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError, ValueError) as error:
        raise TargetSpecError(spec, f"cannot load the implementation: {error}") from error
    return InProcessTarget(implementation, name=f"{class_name} (in-process)")
