"""Targets: the systems under test the steps can drive, chosen with ``--target``.

``inprocess`` (the default) drives the reference implementation in this process;
``inprocess:MODULE:CLASS`` drives a subclass of :class:`reference_impl.Billing`, such as a
known-bad variant from ``tests/known_bad/``; ``http://...`` or ``https://...`` drives any
implementation of Zuora's v1 shapes over HTTP, described by a profile (see
:mod:`steps.targets.profile`).
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from steps.targets.errors import (
    ArrangementError,
    AuthenticationError,
    ContractViolationError,
    HarnessError,
    NotApplicableError,
    ProtocolError,
    TargetSpecError,
    TransportError,
)
from steps.targets.protocol import (
    PROCESSING_OPTIONS,
    BillRunView,
    CancellationOrder,
    CancelView,
    CreditMemoView,
    InvoiceView,
    MemoItemView,
    Money,
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
    "PROCESSING_OPTIONS",
    "ArrangementError",
    "AuthenticationError",
    "BillRunView",
    "CancelView",
    "CancellationOrder",
    "ContractViolationError",
    "CreditMemoView",
    "HarnessError",
    "InvoiceView",
    "MemoItemView",
    "Money",
    "NotApplicableError",
    "OrderView",
    "Outcome",
    "PaymentView",
    "ProtocolError",
    "Refusal",
    "Refused",
    "ScheduleSpec",
    "SubscriptionView",
    "Target",
    "TargetSpecError",
    "TenantFeatures",
    "TransportError",
    "WriteOffView",
    "load_implementation",
    "open_target",
]

DEFAULT_TARGET = "inprocess"


def open_target(
    spec: str = DEFAULT_TARGET, profile: Path | None = None, *, allow_production: bool = False
) -> Target:
    """Build the target named by ``spec`` (see the module docstring)."""
    kind, _, rest = spec.partition(":")
    if kind in ("http", "https"):
        from steps.targets.http import HttpTarget  # noqa: PLC0415
        from steps.targets.profile import load_profile  # noqa: PLC0415

        loaded = load_profile(profile, spec)
        loaded.check_safety(allow_production=allow_production)
        target = HttpTarget(loaded)
        if loaded.capabilities.control_api:
            return target
        # No clock control: the scenarios' dates move onto the tenant's calendar.
        from steps.targets.calendar import ShiftedCalendar, calendar_shift  # noqa: PLC0415

        moved = ShiftedCalendar(target, calendar_shift(datetime.now(UTC).date()))
        return cast("Target", moved)
    if kind != "inprocess":
        raise TargetSpecError(
            spec, "unknown kind of target; use 'inprocess', 'inprocess:MODULE:CLASS' or a URL"
        )
    from steps.targets.in_process import InProcessTarget  # noqa: PLC0415 - keeps reference_impl out of HTTP runs

    if not rest:
        return InProcessTarget()
    implementation = load_implementation(rest)
    return InProcessTarget(implementation, name=f"{implementation.__name__} (in-process)")


def load_implementation(module_and_class: str) -> type[Any]:
    """The class named ``MODULE:CLASS``: an implementation of the reference's ``Billing`` interface."""
    module_name, _, class_name = module_and_class.partition(":")
    try:
        implementation = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError, ValueError) as error:
        raise TargetSpecError(module_and_class, f"cannot load the implementation: {error}") from error
    if not isinstance(implementation, type):
        raise TargetSpecError(module_and_class, "it is not a class")
    return implementation
