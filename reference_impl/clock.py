"""The tenant's clock. The domain asks a :class:`Clock` for the time; it never reads the system clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

__all__ = ["Clock", "ManualClock"]


class Clock(Protocol):
    """Anything that can tell the tenant's current local time."""

    def now(self) -> datetime: ...


@dataclass
class ManualClock:
    """A clock that only moves when told to; the reference implementation's default."""

    current: datetime

    def now(self) -> datetime:
        return self.current

    def set(self, when: datetime) -> None:
        self.current = when
