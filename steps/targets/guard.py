"""An in-process implementation's exceptions, seen as an HTTP target's 5xx answers.

Every operation of :class:`steps.targets.in_process.InProcessTarget` is guarded: an exception
raised inside the implementation (or while reading what it returned) becomes
:class:`TargetFailedError` naming the operation and the exception, as an HTTP target answering
500 becomes one naming the status. One fault, one verdict (errored), whatever the transport.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from steps.targets.errors import HarnessError, NotApplicableError, TargetFailedError

__all__ = ["every_operation_guarded"]

C = TypeVar("C", bound=type)


def _guarded(operation: str, method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:  # noqa: ANN401 - any operation of the target
        try:
            return method(*args, **kwargs)
        except (HarnessError, NotApplicableError):
            raise
        except Exception as error:  # the implementation failed: what HTTP 5xx is over the wire
            raise TargetFailedError(operation, f"{type(error).__name__}: {error}") from error

    return call


#: Methods that only read the kit's own roster of the names it gave (a ``KeyError`` there says
#: a customer was not created yet, which the steps rely on): they never reach the implementation.
_ROSTER = frozenset({"account_number", "subscription_number"})


def every_operation_guarded(cls: C) -> C:
    """Guard every public method of ``cls`` but the roster's: an exception the implementation
    raises becomes :class:`TargetFailedError` naming the operation ("cancel bill run")."""
    for name, value in list(vars(cls).items()):
        if callable(value) and not name.startswith("_") and name not in _ROSTER:
            setattr(cls, name, _guarded(name.replace("_", " "), value))
    return cls
