"""The kit reads bill runs in the shapes of Zuora's own samples: a scheduled occurrence gives its
target date relative to its scheduled execution (``targetDate`` null), by days or, for a monthly
schedule, by month and day of the month; an occurrence canceled on its own may come without its
schedule. The proxy that sends these shapes is tested in ``tests/test_proxy_rewrites.py``."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from steps.targets import ProtocolError
from steps.targets.views import Fields, bill_run_view
from tests.schema_support import EXAMPLES_DIR


def _occurrence(**extra: Any) -> dict[str, Any]:
    """An occurrence of a monthly schedule run on 2026-04-25, without a target date."""
    return {
        "success": True,
        "id": "2c92",
        "billRunNumber": "BR-00000008",
        "status": "Pending",
        "targetDate": None,
        "schedule": {"repeatType": "Monthly", "repeatFrom": "2026-04-25", "runTime": 0},
        "scheduledExecutionTime": "2026-04-25 00:00:00",
        **extra,
    }


def test_an_occurrence_s_target_date_is_its_offset_from_the_scheduled_execution() -> None:
    """``targetDateOffset`` days after the run date; a target date given wins over the offset."""
    assert bill_run_view(Fields("get bill run", _occurrence(targetDateOffset=3))).target_date == date(
        2026, 4, 28
    )
    given = _occurrence(targetDate="2026-04-30", targetDateOffset=3)
    assert bill_run_view(Fields("get bill run", given)).target_date == date(2026, 4, 30)
    assert bill_run_view(Fields("get bill run", _occurrence())).target_date is None


def _example(name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(
        (EXAMPLES_DIR / "bill-run-response" / "valid" / f"{name}.json").read_text(encoding="utf-8")
    )
    return found


def test_the_kit_reads_a_canceled_occurrence_shaped_like_zuoras_sample() -> None:
    """No target date, an offset of 0 days from the scheduled execution, no schedule on the
    canceled occurrence: both occurrences read with their dates."""
    body = _example("zuora-sample-canceled-occurrence")
    canceled = bill_run_view(Fields("cancel bill run", body))
    following = bill_run_view(Fields("cancel bill run", body["nextRun"], "$.nextRun"))
    assert (canceled.target_date, canceled.scheduled_date) == (date(2026, 3, 28), date(2026, 3, 28))
    assert (following.target_date, following.scheduled_date) == (date(2026, 4, 28), date(2026, 4, 28))
    ad_hoc = bill_run_view(Fields("get bill run", _example("zuora-sample-ad-hoc")))
    assert (ad_hoc.target_date, ad_hoc.scheduled_date) == (date(2026, 3, 1), None)


@pytest.mark.parametrize(
    ("months", "day", "expected"),
    [
        (0, 31, date(2026, 4, 30)),
        (1, 15, date(2026, 5, 15)),
        (10, 31, date(2027, 2, 28)),
        (-1, 1, date(2026, 3, 1)),
    ],
    ids=["end-of-this-month", "next-month", "across-the-year", "month-before"],
)
def test_a_monthly_occurrence_may_give_its_target_date_by_month_and_day(
    months: int, day: int, expected: date
) -> None:
    """``targetDateMonthOffset`` months after the run date's month, on ``targetDateDayOfMonth``
    (31 is the end of the month, whatever its length)."""
    body = _occurrence(targetDateMonthOffset=months, targetDateDayOfMonth=day)
    assert bill_run_view(Fields("get bill run", body)).target_date == expected


@pytest.mark.parametrize("offset", [1.5, True, "soon"], ids=["fraction", "boolean", "word"])
def test_an_offset_that_is_no_whole_number_of_days_is_a_protocol_error(offset: object) -> None:
    body = _occurrence(targetDateOffset=offset)
    with pytest.raises(ProtocolError) as raised:
        bill_run_view(Fields("get bill run", body))
    assert raised.value.field == "$.targetDateOffset"
