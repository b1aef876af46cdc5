"""What a target's control API offers, learnt once a run and handed to every worker: how the
scenarios are kept apart (:class:`Isolation`), which operations its info lists, and the features
a new tenant starts with; and the control API's feature switches by their wire names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from steps.targets import views
from steps.targets.protocol import TenantFeatures

__all__ = [
    "FEATURE_FIELDS",
    "FEATURE_NAMES",
    "TENANT_SETTINGS",
    "ControlPlan",
    "Isolation",
    "feature_changes",
    "features_as_wire",
    "features_of",
]

#: Listed by a target of version 2 that makes a tenant with the clock and features its creation
#: request names (docs/implementers.md, 6).
TENANT_SETTINGS = "tenant-settings"

#: The control API's feature switches, by their wire names: the field of TenantFeatures and
#: Zuora's name of the feature.
FEATURE_FIELDS = {
    "invoiceSettlement": "invoice_settlement",
    "orders": "orders",
    "workflow": "workflow",
    "invoiceItemSettlement": "invoice_item_settlement",
}
FEATURE_NAMES = {
    "invoiceSettlement": "Invoice Settlement",
    "orders": "Orders",
    "workflow": "Workflow",
    "invoiceItemSettlement": "Invoice Item Settlement",
}


class Isolation(StrEnum):
    """How the scenarios of a run are kept apart, decided once, before any of them runs."""

    #: Control API version 2: each scenario gets a tenant of its own; scenarios may run at once.
    TENANTS = "tenants"
    #: Version 1 only: the one tenant is reset before each scenario; scenarios run one by one.
    RESET = "reset"
    #: No control API: nothing is reset (accounts are numbered uniquely per run instead).
    NONE = "none"


@dataclass(frozen=True)
class ControlPlan:
    """What the target's control API offers, as the kit learnt it once for the whole run: how
    scenarios are kept apart, which operations its info lists, and (version 2) the features the
    tenant made to learn it started with, when its answer said them. Handed to pytest-xdist
    workers as plain data (:meth:`as_wire`, :meth:`from_wire`), so that none decides for itself."""

    isolation: Isolation
    operations: frozenset[str] = frozenset()
    version: str | None = None
    fresh: TenantFeatures | None = None

    def as_wire(self) -> dict[str, Any]:
        return {
            "isolation": str(self.isolation),
            "operations": sorted(self.operations),
            "version": self.version,
            "fresh": None if self.fresh is None else features_as_wire(self.fresh),
        }

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> ControlPlan:
        version, fresh = data.get("version"), data.get("fresh")
        return cls(
            Isolation(str(data["isolation"])),
            frozenset(str(name) for name in data.get("operations") or ()),
            None if version is None else str(version),
            features_of("the run's plan", fresh) if isinstance(fresh, dict) else None,
        )


def features_of(operation: str, body: Mapping[str, Any]) -> TenantFeatures:
    """The four feature switches of a control-API answer (the fourth, newer, may be left out)."""
    found = views.Fields(operation, body)
    return TenantFeatures(
        bool(found.need("invoiceSettlement")),
        bool(found.need("orders")),
        bool(found.need("workflow")),
        bool(found.get("invoiceItemSettlement")),
    )


def features_as_wire(features: TenantFeatures) -> dict[str, bool]:
    """The four switches by their wire names."""
    return {wire: bool(getattr(features, name)) for wire, name in FEATURE_FIELDS.items()}


def feature_changes(current: TenantFeatures, wanted: TenantFeatures) -> dict[str, bool]:
    """The switches, by wire name, that turn ``current`` into ``wanted`` (only those: a target
    of control API 1.0 knows no ``invoiceItemSettlement``)."""
    return {
        wire: getattr(wanted, name)
        for wire, name in FEATURE_FIELDS.items()
        if getattr(wanted, name) != getattr(current, name)
    }
