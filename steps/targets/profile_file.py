"""The profile file as written: a strict pydantic model of its TOML, so that a misspelt section
or key, or a value of the wrong type, is refused with its name instead of silently ignored.

Sections and keys are documented in ``docs/implementers.md`` ("Target profiles").
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

__all__ = ["MAX_PROFILE_BYTES", "ProfileFile", "UnreadableProfileError", "describe", "read_profile_text"]

#: The most a profile file may hold: a profile is a few lines of TOML, and a file past this is
#: refused before it is read whole (a 200 MB one took 9 s and 458 MB of memory to refuse).
MAX_PROFILE_BYTES = 1024 * 1024
DEFAULT_EXCHANGE_SECONDS = 60.0
DEFAULT_ANSWER_BYTES = 16 * 1024 * 1024

Seconds = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class TargetTable(_Table):
    base_url: str = ""
    environment: str = ""


class AuthTable(_Table):
    kind: Literal["none", "bearer", "oauth"] = "none"
    token_env: str | None = None
    client_id_env: str | None = None
    client_secret_env: str | None = None
    token_path: str = "/oauth/token"

    @field_validator("token_path")
    @classmethod
    def _a_path_on_the_target(cls, value: str) -> str:
        """The token is fetched from the target itself: a URL elsewhere would be a host the kit's
        safety checks never saw."""
        if not value.startswith("/") or value.startswith("//"):
            raise ValueError("a path on the target, starting with a single /")
        return value


class CapabilitiesTable(_Table):
    control_api: bool = False
    scheduled_bill_runs: bool = True
    idempotency_keys: bool = True
    hold_bill_runs: bool = True


class FeaturesTable(_Table):
    invoice_settlement: bool = True
    orders: bool = True
    workflow: bool = True
    invoice_item_settlement: bool = False


class TimeoutsTable(_Table):
    request_seconds: Seconds = 30.0
    poll_seconds: Seconds = 60.0
    exchange_seconds: Seconds = DEFAULT_EXCHANGE_SECONDS
    run_seconds: Seconds | None = None


class LimitsTable(_Table):
    answer_bytes: Annotated[int, Field(gt=0)] = DEFAULT_ANSWER_BYTES


class ProfileFile(_Table):
    """Every section a profile may have; none is required."""

    target: TargetTable = TargetTable()
    auth: AuthTable = AuthTable()
    capabilities: CapabilitiesTable = CapabilitiesTable()
    features: FeaturesTable = FeaturesTable()
    timeouts: TimeoutsTable = TimeoutsTable()
    limits: LimitsTable = LimitsTable()


def _where(location: tuple[int | str, ...]) -> str:
    if len(location) == 1:
        return f"[{location[0]}]"
    return f"{location[0]}.{'.'.join(str(part) for part in location[1:])}"


def describe(error: ValidationError) -> str:
    """What is wrong with a profile, in one line, naming each section or key at fault."""
    problems = []
    for fault in error.errors():
        where = _where(fault["loc"])
        if fault["type"] == "extra_forbidden":
            if len(fault["loc"]) == 1:
                known = ", ".join(f"[{name}]" for name in ProfileFile.model_fields)
                problems.append(f"unknown section {where} (a profile has {known})")
            else:
                table = ProfileFile.model_fields[str(fault["loc"][0])].annotation
                known = ", ".join(getattr(table, "model_fields", {}))
                problems.append(f"unknown key {where} (its section has {known})")
        else:
            problems.append(f"{where}: {fault['msg']} (not {fault['input']!r})")
    return "; ".join(problems)


class UnreadableProfileError(OSError):
    """The profile file is too large, or is not UTF-8 text."""


def read_profile_text(path: Path) -> str:
    """The text of the profile file ``path``, read only up to :data:`MAX_PROFILE_BYTES` (and one
    byte more, to tell a file past the limit); ``UnreadableProfileError`` past it or when the
    file is not UTF-8, another ``OSError`` when it cannot be opened."""
    with path.open("rb") as handle:
        data = handle.read(MAX_PROFILE_BYTES + 1)
    if len(data) > MAX_PROFILE_BYTES:
        msg = f"it holds more than {MAX_PROFILE_BYTES} bytes (1 MiB), far more than any profile needs"
        raise UnreadableProfileError(msg)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        msg = f"it is not UTF-8 text ({error.reason} at byte {error.start})"
        raise UnreadableProfileError(msg) from None
