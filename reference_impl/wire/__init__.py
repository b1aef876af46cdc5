"""Zuora's v1 wire shapes for the reference implementation, as pydantic models.

``wire`` sits between the pure domain and any transport: it validates payloads (decoded JSON,
with non-integer numbers as :class:`~decimal.Decimal`), turns them into domain commands, and
renders domain results and rejections as Zuora's response bodies. The in-process target calls
:mod:`reference_impl.wire.api` directly; the HTTP server wraps the same functions.
"""

from __future__ import annotations
