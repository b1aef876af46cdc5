"""What each of Zuora's error categories means to a verdict.

Zuora's v1 error code has eight digits: a six-digit resource code, then a two-digit category
(Zuora's developer guide "Error codes", section "Error Category Codes"). The kit reads a refusal
by its first reason's category, never by the whole number, and only the categories that describe
a business answer are judged by a rule. The others say the request was not judged at all, so a
scenario that meets one is *errored*, not failed:

======================  ==========================================  ================================
category                Zuora's meaning                             the kit
======================  ==========================================  ================================
10, 20, 21, 22, 30, 40  permission, invalid value, unknown field,   a business answer: the rule
                        missing field, rule restriction, not found  judges it
11                      authentication failed                       the credentials: errored
50                      locking contention ("resubmit the request") retried when the request may
                                                                    be repeated, then errored; the
                                                                    refusal of a run in passage
                                                                    (see below)
61                      temporary error ("resubmit the request")    retried when the request may be
                                                                    repeated, then errored
70                      concurrent request limit (with              rate-limited: retried like HTTP
                        ``Retry-After``)                            429, for every request, then
                                                                    errored
60, 99                  internal error, integration error           the target failed: retried like
                                                                    HTTP 500 when the request may
                                                                    be repeated, then errored
23, 27, 45, 90          missing or invalid query parameter,         the request was not taken up as
                        unsupported method, malformed JSON          a business request: errored
======================  ==========================================  ================================

A locking contention says the objects the request touches are being worked on by someone else.
That is exactly what a bill run in passage (being processed, posted or canceled) is, so canceling
or deleting one may be refused that way: the HTTP driver hands such an answer on as a refusal of
category :attr:`~steps.targets.protocol.Refusal.LOCKED` when the run is seen in passage
(:func:`not_now` otherwise), and only BR-IN-PASSING-STATUS's steps accept it. Everywhere else it
is "not now, not no": the scenario is errored (:func:`steps.support.accepted` and the refusal
checks say so too, should one reach a step).

A code that is not eight digits, or a category Zuora does not list, is judged as it is: its
category is "other", which no rule accepts as the refusal it names.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

from steps.targets.answers import Answer, decode
from steps.targets.errors import AuthenticationError, ProtocolError, TargetFailedError, TransportError

__all__ = ["Meaning", "category_of", "meaning_of", "not_now", "raise_unjudged", "retried"]


class Meaning(Enum):
    """What a refusal's category tells the kit."""

    JUDGED = "a business answer, judged by the rule"
    CREDENTIALS = "the credentials were refused"
    CONTENTION = "the objects are being worked on: the request may be resubmitted"
    TRANSIENT = "not now: the request may be resubmitted"
    LIMITED = "too many requests at once"
    FAILED = "the target failed"
    NOT_TAKEN_UP = "the request was not taken up as a business request"


#: Zuora's categories that are not a business answer (every other one is judged).
_UNJUDGED: Mapping[int, Meaning] = {
    11: Meaning.CREDENTIALS,
    23: Meaning.NOT_TAKEN_UP,
    27: Meaning.NOT_TAKEN_UP,
    45: Meaning.NOT_TAKEN_UP,
    50: Meaning.CONTENTION,
    60: Meaning.FAILED,
    61: Meaning.TRANSIENT,
    70: Meaning.LIMITED,
    90: Meaning.NOT_TAKEN_UP,
    99: Meaning.FAILED,
}

#: Zuora's names of those categories, for the error line.
_NAMES: Mapping[int, str] = {
    11: "authentication failed",
    23: "missing required parameter",
    27: "invalid query parameter",
    45: "unsupported request",
    50: "locking contention",
    60: "internal error",
    61: "temporary error",
    70: "request exceeded limit",
    90: "malformed request",
    99: "integration error",
}

ZUORA_CODE_DIGITS = 8


def _first_code(body: object) -> str | None:
    """The code of an envelope's first reason, if the body is a refusal (``success: false``)."""
    if not isinstance(body, Mapping) or body.get("success") is not False:
        return None
    reasons = body.get("reasons")
    first = reasons[0] if isinstance(reasons, list) and reasons else None
    if not isinstance(first, Mapping) or first.get("code") is None or isinstance(first.get("code"), bool):
        return None
    return str(first.get("code"))


def category_of(body: object) -> int | None:
    """The two-digit category of a refusal's first reason, when its code is one of Zuora's
    eight-digit codes; None for an answer that is not a refusal or a code of another shape."""
    code = _first_code(body)
    if code is None or len(code) != ZUORA_CODE_DIGITS or not code.isdigit():
        return None
    return int(code[-2:])


def meaning_of(body: object) -> Meaning:
    """What the refusal ``body`` tells the kit (``JUDGED`` for anything but Zuora's other categories)."""
    category = category_of(body)
    return Meaning.JUDGED if category is None else _UNJUDGED.get(category, Meaning.JUDGED)


def retried(reply: Answer, *, repeat: bool) -> bool:
    """Whether an answer asks to be sent again: a request limit always (the request was turned
    away, like HTTP 429), a contention, a temporary, internal or integration error when the
    request may be repeated (Zuora's "Error handling" calls them worth another try). An
    answer that does not decode is not retried (reading it reports why)."""
    try:
        meaning = meaning_of(decode("retry decision", reply))
    except ProtocolError:
        return False
    again = (Meaning.CONTENTION, Meaning.TRANSIENT, Meaning.FAILED)
    return meaning is Meaning.LIMITED or (repeat and meaning in again)


def raise_unjudged(operation: str, body: Any, attempts: int = 1, *, handed_on: bool = False) -> None:  # noqa: ANN401
    """Raise the harness error for a refusal that is not a business answer; nothing otherwise
    (nor for a contention ``handed_on`` to a caller that reads it)."""
    meaning = meaning_of(body)
    if meaning is Meaning.JUDGED or (meaning is Meaning.CONTENTION and handed_on):
        return
    category = category_of(body)
    assert category is not None
    said = f"code {_first_code(body)}, {_NAMES[category]}"
    tries = "" if attempts == 1 else f" on each of {attempts} attempts"
    if meaning is Meaning.CREDENTIALS:
        raise AuthenticationError(operation, said)
    if meaning in (Meaning.CONTENTION, Meaning.TRANSIENT, Meaning.LIMITED):
        raise TransportError(operation, f"the target answered 'not now' ({said}){tries}; not judged")
    if meaning is Meaning.FAILED:
        raise TargetFailedError(operation, said)
    raise TargetFailedError(operation, f"the request was not taken up as a business request ({said})")


def not_now(operation: str, code: str, message: str) -> TransportError:
    """The error for a contention handed on where it is no refusal (the run is not in passage)."""
    return TransportError(
        operation, f"the target answered 'not now' (code {code}, locking contention: {message}); not judged"
    )
