"""Money is a two-decimal :class:`~decimal.Decimal`; nothing in the domain touches float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["ZERO", "money"]

_CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal | int | str) -> Decimal:
    """Return ``value`` as an amount rounded half-up to the cent.

    Floats are refused: they cannot represent most cent amounts exactly.
    """
    if isinstance(value, float):  # pragma: no cover - guarded by typing; kept for callers without mypy
        msg = "money amounts must not be floats"
        raise TypeError(msg)
    return Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)
