"""What the transport's tests share: pauses recorded instead of waited."""

from __future__ import annotations

__all__ = ["Sleeps"]


class Sleeps:
    """Stands in for the ``time`` module of the transport: records each wait instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
