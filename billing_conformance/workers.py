"""How many worker processes a command may be asked for (``run --workers``, ``explore --workers``)."""

from __future__ import annotations

import argparse

__all__ = ["MAX_WORKERS", "worker_count"]

MAX_WORKERS = 64


def worker_count(text: str) -> int:
    """``--workers``'s value: a whole number from 0 to :data:`MAX_WORKERS`."""
    try:
        count = int(text)
    except ValueError:
        count = -1
    if not 0 <= count <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"a number of workers from 0 to {MAX_WORKERS}, not {text!r}")
    return count
