"""A complete HTTP answer, and how the kit reads it: its body decoded (UTF-8 JSON nested at most
:data:`MAX_ANSWER_DEPTH` levels, every string Unicode), what a failed one says, and the pauses of
the retry policy that :mod:`.transport` applies.

**Which requests are retried** (:data:`MAX_RETRIES` times, pausing as ``Retry-After`` asks, at
most :data:`MAX_RETRY_AFTER_SECONDS`, else 1, 2, 4 s), as ``HttpClient._send`` of
:mod:`.transport` decides:

* HTTP 429, for every request: a rate-limited request was turned away, not carried out.
* HTTP 500, 502, 503 or 504, only for a request that may be repeated without changing what the
  scenario observes: a ``GET`` (or ``HEAD``); a request carrying an ``Idempotency-Key`` (the
  target promises the first answer back); and the requests a caller marks ``repeatable``: the
  control API's absolute settings (features, clock, the bill-run queue, reset, the clock moved
  to a given moment), creating a tenant (a spare one expires unused) and deleting one.
* Never any other ``POST``, ``PUT`` or ``DELETE`` of Zuora's API (an order, a payment, a bill run
  created, canceled, posted or deleted, an invoice or credit memo posted): the failed attempt
  may have been carried out, and a second one could apply it twice or be refused because the
  first took effect, which the kit would then judge as the target's answer. HTTP's idempotent
  methods are not enough: canceling a bill run is a ``PUT`` whose second answer differs from
  the first. Such a request's 5xx makes the scenario errored at once (``TargetFailedError``).

A refused connection or a timeout is not retried: the circuit breaker deals with a dying target.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import tenacity

from schemas.contract import shorten
from schemas.jsonio import deeper_than, has_lone_surrogate, loads
from steps.targets.errors import ProtocolError

__all__ = [
    "ABSENT",
    "MAX_ANSWER_DEPTH",
    "MAX_REDIRECTS",
    "MAX_RETRIES",
    "MAX_RETRY_AFTER_SECONDS",
    "RATE_LIMITED",
    "REDIRECTS",
    "SAFE_METHODS",
    "TRANSIENT",
    "Answer",
    "Exchange",
    "decode",
    "failed",
    "glimpse",
    "last_answer",
    "pause",
    "retry_after",
]

#: Retries after the first attempt of a request whose answer said "not now" (see the module).
MAX_RETRIES = 3
MAX_RETRY_AFTER_SECONDS = 10.0
#: Redirects on the target followed in a row; one more is a protocol error.
MAX_REDIRECTS = 3
#: How deep an answer's arrays and objects may nest. Zuora's answers nest a handful of levels
#: (a create-order answer's subscriptions, their order actions, their custom fields); the
#: reference server takes requests nested 32 deep. Past this an answer is a protocol error,
#: found before it is parsed, so no recursion (Python's decoder, the schema check, the
#: evidence) ever meets it.
MAX_ANSWER_DEPTH = 64
RATE_LIMITED = 429
#: Server errors that may pass: retried for a request that may be repeated.
TRANSIENT = frozenset({500, 502, 503, 504})
#: Answers that say the operation does not exist on the target (for the control API).
ABSENT = frozenset({404, 405, 501})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
SAFE_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class Exchange:
    """What was sent and received, secrets left out: evidence for a report.

    ``url`` is the full URL, query included. ``deliberate`` says why a request that breaks its
    published request schema was sent anyway (a scenario's negative case); None otherwise.
    """

    operation: str
    method: str
    url: str
    request_body: object
    status: int
    response_body: object
    deliberate: str | None = None


@dataclass(frozen=True)
class Answer:
    """A complete HTTP answer, its body read whole (within the profile's limits)."""

    status: int
    url: str
    headers: Mapping[str, str]
    content: bytes
    #: How many times the request was sent (retries included).
    attempts: int = 1


def decode(operation: str, reply: Answer) -> Any:  # noqa: ANN401 - a decoded JSON value
    """The answer's body as JSON (an empty body as ``{}``), or the protocol error saying why not."""
    if not reply.content:
        return {}
    status = reply.status
    try:
        text = reply.content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProtocolError(operation, f"HTTP {status} with a body that is not UTF-8 text") from None
    nested = f"HTTP {status} with a body nested more than {MAX_ANSWER_DEPTH} levels deep"
    if deeper_than(text, MAX_ANSWER_DEPTH):
        raise ProtocolError(operation, nested)
    try:
        decoded = loads(text)
    except RecursionError:
        raise ProtocolError(operation, nested) from None
    except ValueError:
        raise ProtocolError(operation, f"HTTP {status} with a body that is not JSON") from None
    except Exception as error:  # any fault of decoding is the answer's
        raise ProtocolError(
            operation, f"HTTP {status} with a body that cannot be decoded ({error})"
        ) from None
    if has_lone_surrogate(text, decoded):
        raise ProtocolError(operation, f"HTTP {status} with a string that is not Unicode (a lone surrogate)")
    return decoded


def retry_after(header: str | None) -> float | None:
    """The pause a ``Retry-After`` of seconds asks for, within 0 and the cap; None without one."""
    try:
        wait = float(header) if header is not None else None
    except ValueError:
        return None
    if wait is None or wait != wait:  # noqa: PLR0124 - NaN
        return None
    return min(max(wait, 0.0), MAX_RETRY_AFTER_SECONDS)


#: The pause before a retry when the answer asks for none: 1 s, then 2, then 4.
_BACKOFF = tenacity.wait_exponential(multiplier=1, max=MAX_RETRY_AFTER_SECONDS)


def pause(state: tenacity.RetryCallState) -> float:
    """What ``Retry-After`` asks for (a 429 or a 503 may say), else the backoff."""
    asked = None if state.outcome is None else retry_after(state.outcome.result().headers.get("Retry-After"))
    return _BACKOFF(state) if asked is None else asked


def last_answer(state: tenacity.RetryCallState) -> Answer:
    """The last answer once the retries are spent (tenacity would raise otherwise)."""
    assert state.outcome is not None
    answered: Answer = state.outcome.result()
    return answered


def failed(reply: Answer) -> str:
    """How a request failed on the target: its 5xx, and how often when it was retried."""
    if reply.attempts == 1:
        return f"HTTP {reply.status}"
    return f"HTTP {reply.status} on each of {reply.attempts} attempts"


def glimpse(reply: Answer) -> object:
    """Evidence of an answer that is not read as JSON: the start of its text."""
    return shorten(reply.content.decode("utf-8", "replace")) if reply.content else None
