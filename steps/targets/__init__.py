"""Targets: the systems under test the steps can drive, chosen with ``--target``.

``inprocess`` (the default) drives the reference implementation in this process;
``inprocess:MODULE:CLASS`` drives a subclass of :class:`reference_impl.Billing`, such as a
known-bad variant from ``tests/known_bad/``; ``http://...`` or ``https://...`` drives any
implementation of Zuora's v1 shapes over HTTP, described by a profile (see
:mod:`steps.targets.profile`).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any, cast

from steps.targets.errors import (
    ArrangementError,
    AuthenticationError,
    CannotObserveError,
    ContractViolationError,
    HarnessError,
    NotApplicableError,
    ProtocolError,
    TargetFailedError,
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
    "CannotObserveError",
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
    "TargetFailedError",
    "TargetSpecError",
    "TenantFeatures",
    "TransportError",
    "WriteOffView",
    "check_target_spec",
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
        check_target_spec(spec)
    from steps.targets.in_process import InProcessTarget  # noqa: PLC0415 - keeps reference_impl out of HTTP runs

    if not rest:
        return InProcessTarget()
    implementation = load_implementation(rest)
    return InProcessTarget(implementation, name=f"{implementation.__name__} (in-process)")


def check_target_spec(spec: str) -> None:
    """Raise :class:`TargetSpecError`, saying why in one line, unless ``spec`` names a target
    (an in-process variant is loaded to be sure of it; an HTTP target is not called)."""
    kind, _, rest = spec.partition(":")
    if kind in ("http", "https") and len(rest) > 2 and rest.startswith("//"):
        return
    if kind == "inprocess":
        if rest:
            load_implementation(rest)
        return
    if "://" in spec:
        raise TargetSpecError(spec, f"the kit reaches a target over http:// or https://, not {kind}://")
    raise TargetSpecError(
        spec, f"not a target: use 'inprocess', 'inprocess:MODULE:CLASS' or a URL such as https://{spec}"
    )


def load_implementation(module_and_class: str) -> type[Any]:
    """The class named ``MODULE:CLASS`` or ``FILE.py:CLASS``: an implementation of the reference's
    ``Billing`` interface. A module is looked for in the current folder first (as ``python -m``
    would), then where Python looks; a file is read from its path."""
    where, _, class_name = module_and_class.rpartition(":")
    if not where or not class_name:
        raise TargetSpecError(module_and_class, "name the implementation as MODULE:CLASS or FILE.py:CLASS")
    try:
        module = _module_from(where)
        implementation = getattr(module, class_name)
    except AttributeError:
        raise TargetSpecError(module_and_class, f"{where} has no {class_name}") from None
    except (ImportError, OSError, SyntaxError, ValueError) as error:
        raise TargetSpecError(module_and_class, f"cannot load {where}: {error}") from None
    if not isinstance(implementation, type):
        raise TargetSpecError(module_and_class, f"{class_name} is not a class")
    return implementation


def _module_from(where: str) -> ModuleType:
    here = str(Path.cwd())
    if here not in sys.path:  # its own imports, or the module itself, may be found from here
        sys.path.insert(0, here)
    if where.endswith(".py") or "/" in where or os.sep in where:
        path = Path(where).resolve()
        if not path.is_file():
            raise ImportError(f"no file {where}")
        name = f"_billing_conformance_variant_{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"{where} is not a Python module")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses and pickling look their module up by name
        spec.loader.exec_module(module)
        return module
    return importlib.import_module(where)
