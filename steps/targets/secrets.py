"""Every secret this process has met, for redaction and for the last scan of what the kit writes.

Two kinds: the environment variables that profiles name for credentials (read when asked, so a
value set later is found too), and values met at run time (an OAuth access token). The HTTP
target notes them here; recording and the results writer read them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

__all__ = ["MIN_SECRET", "known_secrets", "remember_secret", "remember_secret_variables"]

#: Shortest text taken for a secret (shorter ones would blank out ordinary words).
MIN_SECRET = 4

_SECRET_VARIABLES: set[str] = set()
_SECRET_VALUES: set[str] = set()


def remember_secret_variables(names: Iterable[str | None]) -> None:
    """Note the environment variables that hold credentials."""
    _SECRET_VARIABLES.update(name for name in names if name)


def remember_secret(value: str) -> None:
    """Note a secret met at run time, such as an access token, for :func:`known_secrets`."""
    if len(value) >= MIN_SECRET:
        _SECRET_VALUES.add(value)


def known_secrets() -> list[str]:
    """Every secret this process knows of, longest first (so no part of one is left behind)."""
    found = {os.environ.get(name, "") for name in _SECRET_VARIABLES} | _SECRET_VALUES
    return sorted((s for s in found if len(s) >= MIN_SECRET), key=lambda s: (-len(s), s))
