"""Exceptions of the harness: faults that are not a target's business answer.

Stage by stage: choosing a target (``--target``) raises :class:`TargetSpecError`; arranging a
scenario (a ``Given`` the target refused) raises :class:`ArrangementError`. A refusal in a
``When`` is not an exception: it is a :class:`~steps.targets.protocol.Refused` value that the
``Then`` steps judge. A scenario that ends in a :class:`HarnessError` is reported as *errored*,
not as *failed*.

(These are plain classes: a frozen dataclass cannot be raised, since Python sets
``__traceback__`` on the exception as it propagates.)
"""

from __future__ import annotations

__all__ = [
    "ArrangementError",
    "AuthenticationError",
    "CannotObserveError",
    "ContractViolationError",
    "ControlOperationMissingError",
    "HarnessError",
    "NotApplicableError",
    "ProtocolError",
    "TargetFailedError",
    "TargetSpecError",
    "TransportError",
    "UndecidedIsolationError",
]


class HarnessError(Exception):
    """Base of every fault of the kit or of its connection to a target."""


class TargetSpecError(HarnessError):
    """The ``--target`` value names no usable target."""

    def __init__(self, spec: str, reason: str) -> None:
        super().__init__(f"cannot use target {spec!r}: {reason}")
        self.spec = spec
        self.reason = reason


class ArrangementError(HarnessError):
    """A scenario could not be set up because the target refused a preparatory operation."""

    def __init__(self, operation: str, message: str) -> None:
        super().__init__(f"could not arrange the scenario: {operation} was refused: {message}")
        self.operation = operation
        self.message = message


class TransportError(HarnessError):
    """The target could not be reached, timed out, or kept answering "too many requests"."""

    def __init__(self, operation: str, message: str) -> None:
        super().__init__(f"{operation}: {message}")
        self.operation = operation


class AuthenticationError(HarnessError):
    """The target refused the kit's credentials."""

    def __init__(self, operation: str, message: str) -> None:
        super().__init__(f"{operation}: the target refused the credentials ({message})")
        self.operation = operation


class ProtocolError(HarnessError):
    """The target answered, but not in Zuora's shapes: not JSON, a server error, or a body that
    breaks its schema. Names the operation and the field at fault."""

    def __init__(self, operation: str, message: str, field: str | None = None) -> None:
        where = f" at {field}" if field else ""
        super().__init__(f"{operation}: protocol error{where}: {message}")
        self.operation = operation
        self.field = field


class ContractViolationError(ProtocolError):
    """The target answered with a body that breaks Zuora's published shape for the operation.

    Not a fault of the kit: the target does not keep to the wire contract. The scenario cannot be
    judged (so its rule is not blamed), and the run reports the violation as non-conformance of
    the wire contract, naming the operation, the field and what is wrong.
    """

    def __init__(self, operation: str, message: str, field: str | None = None, schema: str = "") -> None:
        super().__init__(operation, message, field)
        self.message = message
        self.schema = schema


class TargetFailedError(HarnessError):
    """The target failed to carry an operation out: an HTTP 5xx over HTTP, or an exception raised
    inside an in-process implementation. Either way the behaviour the step asked for was not
    observed, so the scenario is *errored*, never *failed*: the same fault gets the same verdict
    whatever the transport."""

    def __init__(self, operation: str, message: str) -> None:
        super().__init__(f"{operation}: the target failed ({message})")
        self.operation = operation
        self.message = message


class CannotObserveError(HarnessError):
    """A ``Then`` step cannot observe what its rule states, because of something the rule does not
    name (a number it needs to look a document up was left out, say). The scenario is *errored*
    ("could not observe ..."): the rule is judged only on the behaviour its statement names."""

    def __init__(self, what: str, why: str) -> None:
        super().__init__(f"could not observe {what}: {why}")
        self.what = what
        self.why = why


class ControlOperationMissingError(HarnessError):
    """The target lacks an operation of the conformance control API that the scenario needs: it
    answered 404 (or 405, 501) for it, or its info (``GET /conformance/v1``) does not list it. The
    scenario is *errored*, naming the operation; the kit does not go on as if it had been done."""

    def __init__(self, operation: str, name: str, why: str) -> None:
        super().__init__(f"{operation}: the target lacks the control operation {name!r} ({why})")
        self.operation = operation
        self.name = name


class UndecidedIsolationError(HarnessError):
    """Before the scenarios ran, the kit could not learn from the control API how to keep them
    apart (a tenant each, or one tenant reset between them). Every scenario is *errored* with the
    reason: none is run on a guess."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"could not learn how to keep the scenarios apart: {reason}")
        self.reason = reason


class NotApplicableError(Exception):
    """The scenario needs something the target does not offer; it is reported as not applicable.

    Not a :class:`HarnessError`: nothing is wrong, the scenario simply does not apply.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
