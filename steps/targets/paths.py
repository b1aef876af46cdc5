"""Request paths built from values: every value is one percent-encoded path segment.

An id or a number the target handed back (or a name the user gave) goes into a request path
only through :func:`path`, which encodes it whole with :func:`urllib.parse.quote` and no safe
characters: a ``/``, ``?``, ``#`` or ``%`` in it stays inside its own segment, so a value such as
``A1/../../x?y=1`` names one (odd) resource under the path the kit meant and cannot move the
request elsewhere on the target. A value that no segment can carry (empty, ``.`` or ``..``,
which HTTP clients and servers resolve as a step up or nothing: encoding the dots does not help,
since ``%2E`` is the same character to them) is refused as a protocol error of the target.
"""

from __future__ import annotations

from urllib.parse import quote

from steps.targets.errors import ProtocolError

__all__ = ["path", "segment"]

#: Values a path segment cannot carry: they name no resource, or resolve to another path.
_UNCARRIED = frozenset({"", ".", ".."})


def segment(value: str, operation: str = "build a request") -> str:
    """``value`` as one path segment, every reserved character percent-encoded."""
    if value in _UNCARRIED:
        raise ProtocolError(operation, f"the value {value!r} cannot name a resource in a request path", None)
    return quote(value, safe="")


def path(prefix: str, *parts: str, operation: str = "build a request", then: str = "") -> str:
    """``prefix`` (the kit's own literal path, kept as written) followed by each of ``parts`` as
    one encoded segment, and ``then`` (a literal tail such as ``/cancel``)."""
    encoded = "".join("/" + segment(part, operation) for part in parts)
    return f"{prefix.rstrip('/')}{encoded}{then}"
