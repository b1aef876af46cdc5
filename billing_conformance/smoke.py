"""The smoke check: the basics a target must get right before its conformance means anything.

Reachable; authenticated; able to create an account and read it back; offering the control API
when the profile says so. Each check is reported with what it found; the first failure stops
the rest, since they build on each other.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from billing_conformance.exits import EXIT_REFUSED, EXIT_SMOKE
from steps.targets.errors import HarnessError, TargetSpecError
from steps.targets.http import HttpTarget
from steps.targets.profile import load_profile

__all__ = ["Check", "smoke", "smoke_command"]


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


def _reachable(target: HttpTarget) -> str:
    status, body = target.client.call(
        "list catalog", "GET", "/v1/catalog/products", response_schema="catalog-response"
    )
    plans = sum(len(product.get("productRatePlans", [])) for product in body.get("products", []))
    return f"HTTP {status}, {plans} rate plans in the catalog"


def _control(target: HttpTarget) -> str:
    if not target.profile.capabilities.control_api:
        return "not declared by the profile; scenarios that need it are not applicable"
    _, body = target.client.call(
        "control info", "GET", "/conformance/v1", response_schema="control-info-response"
    )
    return f"version {body['version']}, {len(body['operations'])} operations"


def _account(target: HttpTarget) -> str:
    target.reset()
    number = target.create_account("Smoke Test")
    if not isinstance(number, str):
        raise HarnessError(f"creating an account was refused: {number.message}")
    _, body = target.client.call(
        "get account", "GET", f"/v1/accounts/{number}", response_schema="account-response"
    )
    seen = body.get("basicInfo", {}).get("accountNumber")
    if seen != number:
        raise HarnessError(f"created account {number} but read back {seen!r}")
    return f"created and read back {number}"


CHECKS: tuple[tuple[str, Callable[[HttpTarget], str]], ...] = (
    ("reachable and authenticated", _reachable),
    ("control API", _control),
    ("create an account and read it back", _account),
)


def smoke(target: HttpTarget) -> list[Check]:
    results: list[Check] = []
    for name, check in CHECKS:
        try:
            results.append(Check(name, True, check(target)))
        except HarnessError as error:
            results.append(Check(name, False, str(error)))
            break
    return results


def smoke_command(
    spec: str, profile_path: Path | None, *, allow_production: bool = False
) -> tuple[int, HttpTarget | None]:
    """Check the target ``spec`` and print each check: the exit status, and the target checked
    (None when it was refused before any check)."""
    if not spec.startswith(("http://", "https://")):
        print(
            f"refused: smoke checks an HTTP target (http:// or https://), not {spec!r}; "
            "an in-process target needs no smoke check",
            file=sys.stderr,
        )
        return EXIT_REFUSED, None
    try:
        profile = load_profile(profile_path, spec)
        profile.check_safety(allow_production=allow_production)
    except TargetSpecError as error:
        print(f"refused: {error}", file=sys.stderr)
        return EXIT_REFUSED, None
    target = HttpTarget(profile)
    checks = smoke(target)
    for check in checks:
        print(f"{'ok  ' if check.passed else 'FAIL'} {check.name}: {check.detail}")
    if all(check.passed for check in checks):
        return 0, target
    print(
        "the target does not pass the smoke check: this is a connection, credential or adapter problem, "
        "not a conformance result",
        file=sys.stderr,
    )
    return EXIT_SMOKE, target
