"""The smoke check: the basics a target must get right before its conformance means anything.

Reachable; authenticated; able to create an account and read it back; offering the control API
when the profile says so (and then how scenarios are kept apart, decided here once for the run).
Each check is reported in one line with what it found (``ok``, or ``WARN`` for what passes but
leaves scenarios not applicable, such as a catalog with no rate plan); the first failure stops the rest, since
they build on each other. Whatever goes wrong inside a check, even a fault of the kit, is that
check's failure, said in one line: the command never ends in a traceback. The tenants made for
the checks (control API version 2) are deleted at the end, best effort.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from billing_conformance.exits import EXIT_REFUSED, EXIT_SMOKE
from billing_conformance.terminal import for_terminal
from steps.targets import views
from steps.targets.errors import HarnessError, TargetSpecError
from steps.targets.http import HttpTarget
from steps.targets.http_base import CONTROL_OPERATIONS, Isolation
from steps.targets.http_catalog import rate_plans
from steps.targets.paths import path
from steps.targets.profile import load_profile

__all__ = ["Check", "smoke", "smoke_command"]

#: What each way of keeping scenarios apart means for a run.
_KEPT_APART = {
    Isolation.TENANTS: "a tenant per scenario (version 2): scenarios may run in parallel",
    Isolation.RESET: "one tenant, reset between scenarios (version 1 only): scenarios run one by one",
    Isolation.NONE: "",
}
#: Control operations a target needs only for what its profile offers.
_FOR_HOLDS = frozenset({"bill-run-queue", "bill-run-hold"})


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str
    #: Passed, but with something that leaves scenarios not applicable: said, never a failure.
    warning: bool = False


class _Warned(str):
    """What a check found that passes, but is worth a warning."""

    __slots__ = ()


def _reachable(target: HttpTarget) -> str:
    status, body = target.client.call(
        "list catalog", "GET", "/v1/catalog/products", response_schema="catalog-response"
    )
    with views.reading("list catalog"):
        products = views.Fields("list catalog", body).items("products")
        plans = sum(len(rate_plans(target.client, target._pages, product)) for product in products)
    said = f"HTTP {status}, {len(products)} products and {plans} rate plans in the catalog"
    if plans:
        return said
    return _Warned(f"{said}: no scenario can subscribe an account, so most will be not applicable")


def _control(target: HttpTarget) -> str:
    if not target.profile.capabilities.control_api:
        return "not declared by the profile; scenarios that need it are not applicable"
    plan = target.control_plan()
    needed = set(CONTROL_OPERATIONS)
    if plan.isolation is Isolation.TENANTS:
        needed.discard("reset")
    if not target.profile.capabilities.hold_bill_runs:
        needed -= _FOR_HOLDS
    lacking = sorted(needed - plan.operations)
    said = f"version {plan.version}, {len(plan.operations)} operations; {_KEPT_APART[plan.isolation]}"
    if lacking:
        said += f"; not offered: {', '.join(lacking)} (the scenarios that need them will be errored)"
    return said


def _account(target: HttpTarget) -> str:
    target.reset()
    number = target.create_account("Smoke Test")
    if not isinstance(number, str):
        raise HarnessError(f"creating an account was refused: {number.message}")
    _, body = target.client.call(
        "get account", "GET", path("/v1/accounts", number), response_schema="account-response"
    )
    with views.reading("get account", "$.basicInfo"):
        seen = views.Fields("get account", body.get("basicInfo") or {}, "$.basicInfo").get("accountNumber")
    if seen != number:
        raise HarnessError(f"created account {number} but read back {seen!r}")
    return f"created and read back {number}"


CHECKS: tuple[tuple[str, Callable[[HttpTarget], str]], ...] = (
    ("reachable and authenticated", _reachable),
    ("control API", _control),
    ("create an account and read it back", _account),
)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def smoke(target: HttpTarget) -> list[Check]:
    """The checks, in order, up to the first that fails; the tenant made for them is deleted."""
    try:
        return _checked(target)
    finally:
        with suppress(Exception):  # best effort, and never a traceback (see the module's docstring)
            target.close()


def _checked(target: HttpTarget) -> list[Check]:
    results: list[Check] = []
    for name, check in CHECKS:
        try:
            said = check(target)
            results.append(Check(name, True, _one_line(said), warning=isinstance(said, _Warned)))
        except HarnessError as error:
            results.append(Check(name, False, _one_line(str(error))))
            break
        except Exception as error:  # a fault of the kit or of the answer: still one line, no traceback
            said = str(error) or "no reason given"
            results.append(Check(name, False, _one_line(f"the check failed unexpectedly: {said}")))
            break
    return results


def smoke_command(
    spec: str, profile_path: Path | None, *, allow_production: bool = False
) -> tuple[int, HttpTarget | None]:
    """Check the target ``spec`` and print each check: the exit status, and the target checked
    (None when it was refused before any check)."""
    if not spec.startswith(("http://", "https://")):
        print(
            for_terminal(
                f"refused: smoke checks an HTTP target (http:// or https://), not {spec!r}; "
                "an in-process target needs no smoke check"
            ),
            file=sys.stderr,
        )
        return EXIT_REFUSED, None
    try:
        profile = load_profile(profile_path, spec)
        profile.check_safety(allow_production=allow_production)
    except TargetSpecError as error:
        print(for_terminal(f"refused: {error}"), file=sys.stderr)
        return EXIT_REFUSED, None
    target = HttpTarget(profile)
    checks = smoke(target)
    for check in checks:
        word = "FAIL" if not check.passed else "WARN" if check.warning else "ok  "
        print(for_terminal(f"{word} {check.name}: {check.detail}"))
    if all(check.passed for check in checks):
        return 0, target
    print(
        "the target does not pass the smoke check: this is a connection, credential or adapter problem, "
        "not a conformance result",
        file=sys.stderr,
    )
    return EXIT_SMOKE, target
