"""JSON text in and out, with money kept as Decimal both ways (never a float).

The encoder and decoder are the kit's (:mod:`schemas.jsonio`), shared with the harness.
"""

from __future__ import annotations

from datetime import date

from schemas.jsonio import dumps, loads

__all__ = ["dumps", "loads", "plain"]


def plain(value: object) -> object:
    """``value`` with dates as ISO strings, ready for :func:`dumps` or for comparison."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
