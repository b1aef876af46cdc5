"""Every secret this process has met, for redaction and for the last scan of what the kit writes.

Two kinds: the environment variables that profiles name for credentials (read when asked, so a
value set later is found too), and values met at run time (an OAuth access token). The HTTP
target notes them here; recording and the results writer read them. Both are shown as ``***``.

Tenant ids are kept apart: a tenant of the control API's version 2 is addressed by its id alone,
so whoever may call the target and knows the id may read, change or delete that tenant. Recording
notes each scenario's and shows it as :data:`TENANT_SHOWN`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

__all__ = [
    "MIN_SECRET",
    "TENANT_SHOWN",
    "known_secrets",
    "known_tenants",
    "redact",
    "remember_secret",
    "remember_secret_variables",
    "remember_tenant",
]

#: Shortest text taken for a secret (shorter ones would blank out ordinary words).
MIN_SECRET = 4

#: What stands for a tenant id in what the kit writes: no character of it is special in JSON,
#: HTML, XML or Markdown, so it can replace an id in any of them.
TENANT_SHOWN = "{tenant}"

_SECRET_VARIABLES: set[str] = set()
_SECRET_VALUES: set[str] = set()
_TENANTS: set[str] = set()


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


def remember_tenant(tenant_id: str) -> None:
    """Note a tenant id met at run time, for :func:`known_tenants`."""
    if len(tenant_id) >= MIN_SECRET:
        _TENANTS.add(tenant_id)


def known_tenants() -> list[str]:
    """Every tenant id this process knows of, longest first."""
    return sorted(_TENANTS, key=lambda s: (-len(s), s))


def redact(value: object, secrets: list[str], tenants: Sequence[str] = ()) -> object:
    """``value`` with every secret replaced by ``***`` and every tenant id in ``tenants`` by
    ``{tenant}``, in strings at any depth, the keys of objects included (a target may echo a
    credential as a key). Secrets go first, each list longest first as given.

    Only the needles found somewhere in ``value`` are replaced string by string: a process meets
    a tenant per scenario, and a record holds few of them."""
    texts: list[str] = []
    _strings(value, texts)
    whole = "\0".join(texts)
    found = [(s, "***") for s in secrets if s in whole] + [(t, TENANT_SHOWN) for t in tenants if t in whole]
    return _replaced(value, found) if found else value


def _strings(value: object, into: list[str]) -> None:
    if isinstance(value, str):
        into.append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _strings(key, into)
            _strings(item, into)
    elif isinstance(value, list | tuple):
        for item in value:
            _strings(item, into)


def _replaced(value: object, needles: list[tuple[str, str]]) -> object:
    if isinstance(value, str):
        for needle, shown in needles:
            value = value.replace(needle, shown)
        return value
    if isinstance(value, dict):
        return {_replaced(k, needles): _replaced(v, needles) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_replaced(v, needles) for v in value]
    return value
