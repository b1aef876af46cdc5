"""A target without the conformance control API (a real sandbox tenant: fixed features, its own
clock, no reset) still has every scenario checked that Zuora's public API alone can arrange; the
others are not applicable, with the reason. The README's counts come from here."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from billing_conformance import FEATURES_DIR, PROJECT_ROOT
from reference_impl import Billing
from reference_impl.server import RunningServer
from steps.targets import InvoiceView, Money
from steps.targets.calendar import LEAP_CYCLE, SCENARIO_YEARS, ShiftedCalendar, calendar_shift, move
from tests.known_bad import KNOWN_BAD, KnownBad
from tests.servers import running_server
from tests.suite_runner import SuiteResult, run_suite

#: The features a reference tenant starts with, as a sandbox profile states them.
_FEATURES = (
    "[features]\ninvoice_settlement = true\ninvoice_item_settlement = false\norders = true\nworkflow = true\n"
)
_COUNTS = re.compile(
    r"without the control API, (\d+) of the (\d+) rules are checked \((\d+) of the (\d+) scenarios\)"
)


def _sandbox(server: RunningServer, tmp_path: Path) -> Path:
    """Make ``server``'s default tenant look like a sandbox (its clock at this machine's today,
    set once by the test, never by the kit) and a profile that declares no control API."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    answer = requests.put(
        f"{server.url}/conformance/v1/clock", json={"now": today.isoformat(timespec="seconds")}, timeout=10
    )
    assert answer.status_code == 200, answer.text
    profile = tmp_path / "sandbox.toml"
    profile.write_text(
        f'[target]\nbase_url = "{server.url}"\nenvironment = "sandbox"\n\n'
        f"[capabilities]\ncontrol_api = false\n\n{_FEATURES}",
        encoding="utf-8",
    )
    return profile


def _run(pytester: pytest.Pytester, tmp_path: Path, implementation: type[Billing], *args: str) -> SuiteResult:
    with running_server(implementation) as server:
        return run_suite(pytester, server.url, f"--profile={_sandbox(server, tmp_path)}", *args)


def _checked(result: SuiteResult) -> tuple[set[str], int, int]:
    """The rules with a scenario that ran, and how many scenarios ran of how many."""
    outcomes = [o for scenarios in result.outcomes.values() for o in scenarios.values()]
    rules = {
        rule for rule, scenarios in result.outcomes.items() if set(scenarios.values()) - {"not applicable"}
    }
    return rules, sum(o != "not applicable" for o in outcomes), len(outcomes)


def test_public_api_scenarios_run_and_hold_and_the_readme_counts_them(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """Against the reference as a sandbox no scenario fails or errors, each one not applicable
    says what it needs, exactly the listed rules need the control API, and the README's counts
    agree."""
    results = tmp_path / "results"
    result = _run(pytester, tmp_path, Billing, f"--results={results}")
    assert result.ret == 0
    assert result.rules_with("failed") == set()
    assert result.rules_with("errored") == set()
    rules, ran, scenarios = _checked(result)
    assert set(result.outcomes) - rules == _NEEDS_CONTROL
    assert ran > scenarios // 2, "most scenarios need only the public API"
    data = json.loads((results / "conformance.json").read_text(encoding="utf-8"))
    reasons = {
        scenario["message"]
        for rule in data["rules"]
        for scenario in rule["scenarios"]
        if scenario["outcome"] == "not applicable"
    }
    for reason in reasons:
        assert re.search(r"control API|cannot switch them", reason), reason
    # The verdict carries its denominators everywhere, never a bare "100%" (issue 21).
    needs, total = len(_NEEDS_CONTROL), len(result.outcomes)
    headline = (
        f"conforms: {total - needs} of {total} rules hold, {needs} not applicable; "
        f"{scenarios} of {scenarios} scenarios run"
    )
    assert data["summary"]["headline"] == headline
    page = (results / "report.html").read_text(encoding="utf-8")
    assert headline in page
    assert re.search(r"<strong>\d+ of \d+ checked \(100%\)</strong>", page)
    assert "<strong>100%</strong>" not in page
    stated = _COUNTS.search(" ".join((PROJECT_ROOT / "README.md").read_text(encoding="utf-8").split()))
    assert stated is not None, "README.md states how many rules a target without the control API checks"
    assert tuple(int(n) for n in stated.groups()) == (len(rules), len(result.outcomes), ran, scenarios)


def _public(variant: type[KnownBad]) -> bool:
    """Variants whose broken rule has scenarios a sandbox can run (see the README's counts)."""
    return variant.breaks not in _NEEDS_CONTROL


#: Rules every scenario of which needs the control API (scheduled runs, all-customer runs, runs
#: held part-way).
_NEEDS_CONTROL = frozenset(
    {
        "BR-CANCEL-ALL",
        "BR-CANCEL-CREDIT-MEMOS",
        "BR-CANCEL-ONCE",
        "BR-CANCEL-PAUSED",
        "BR-CANCEL-PENDING",
        "BR-IN-PASSING-STATUS",
        "BR-RESUME",
    }
)


#: Variants whose fault only scenarios needing the control API reveal, and what those need: a
#: sandbox run cannot catch them (the README says which rules are checked only in part).
_CAUGHT_ONLY_WITH_CONTROL = {
    "CancelsFailedRuns": "a run that ended in error needs a closed account",
    "RefusesDeletingFailedRuns": "a run that ended in error needs a closed account",
    "WritesOffWithoutInvoiceSettlement": "Invoice Settlement must be switched off",
    "WritesOffWithoutWorkflow": "the Workflow feature must be switched off",
    "IgnoresInvoiceItemSettlement": "Invoice Item Settlement must be switched on",
}


@pytest.mark.parametrize("variant", [v for v in KNOWN_BAD if _public(v)], ids=lambda v: v.__name__)
def test_a_sandbox_run_still_catches_known_bad_variants(
    pytester: pytest.Pytester, tmp_path: Path, variant: type[KnownBad]
) -> None:
    """Moved dates and a shared tenant hide no fault that a public-API scenario can reveal: the
    variant's rule is broken, unless only scenarios that need the control API reveal it."""
    result = _run(pytester, tmp_path, variant, f"--rule={variant.breaks}")
    caught = variant.breaks in (result.warned if variant.should_only else result.must_broken)
    assert caught != (variant.__name__ in _CAUGHT_ONLY_WITH_CONTROL)


# -- the calendar ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "years"),
    [(date(2026, 11, 22), -4), (date(2029, 1, 3), 0), (date(2029, 1, 1), -4), (date(2040, 6, 1), 8)],
)
def test_the_calendar_moves_by_leap_cycles_to_before_the_tenants_today(today: date, years: int) -> None:
    assert calendar_shift(today) == years
    assert years % LEAP_CYCLE == 0
    assert date(SCENARIO_YEARS[-1] + years, 12, 31) < today


def test_every_date_in_the_features_lies_in_the_scenarios_years() -> None:
    """The shift is only safe for dates in SCENARIO_YEARS; a new feature must stay inside them."""
    found = {
        int(year)
        for path in FEATURES_DIR.rglob("*.feature")
        for year in re.findall(r"\b(\d{4})-\d{2}-\d{2}\b", path.read_text(encoding="utf-8"))
    }
    assert found
    assert found <= set(SCENARIO_YEARS)


def test_moving_dates_reaches_inside_views_and_orders_and_keeps_leap_days() -> None:
    usd = Money(Decimal("30"), "USD")
    invoice = InvoiceView("INV1", "A1", "Posted", usd, usd, date(2028, 2, 29))
    there = move((invoice, [date(2026, 3, 1)], {"k": date(2027, 1, 31)}), -4)
    assert there == (
        replace(invoice, invoice_date=date(2024, 2, 29)),
        [date(2022, 3, 1)],
        {"k": date(2023, 1, 31)},
    )
    assert move(there, 4) == (invoice, [date(2026, 3, 1)], {"k": date(2027, 1, 31)})


def test_a_shifted_target_moves_arguments_there_and_answers_back() -> None:
    seen: list[object] = []

    class Inner:
        name = "inner"

        def create_bill_run(self, *, target_date: date) -> date:
            seen.append(target_date)
            return target_date

    shifted = ShiftedCalendar(Inner(), -4)  # type: ignore[arg-type]
    assert shifted.name == "inner"
    assert shifted.create_bill_run(target_date=date(2026, 3, 1)) == date(2026, 3, 1)  # type: ignore[operator]
    assert seen == [date(2022, 3, 1)]
