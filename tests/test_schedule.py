"""Recurring bill-run schedules: when the next occurrence falls."""

from __future__ import annotations

from datetime import date

import pytest

from reference_impl import RepeatType, Schedule


@pytest.mark.parametrize(
    ("schedule", "after", "expected"),
    [
        (Schedule(RepeatType.DAILY, date(2026, 4, 1)), date(2026, 4, 30), date(2026, 5, 1)),
        (Schedule(RepeatType.WEEKLY, date(2026, 4, 1)), date(2026, 4, 1), date(2026, 4, 8)),
        (
            Schedule(RepeatType.WEEKLY, date(2026, 4, 1), weekly_on_day=("Mon", "Fri")),
            date(2026, 4, 1),
            date(2026, 4, 3),
        ),
        (Schedule(RepeatType.MONTHLY, date(2026, 1, 31)), date(2026, 1, 31), date(2026, 2, 28)),
        (Schedule(RepeatType.MONTHLY, date(2026, 1, 31)), date(2026, 2, 28), date(2026, 3, 31)),
        (
            Schedule(RepeatType.MONTHLY, date(2024, 4, 30), monthly_on_end_of_month=True),
            date(2024, 4, 30),
            date(2024, 5, 31),
        ),
        (Schedule(RepeatType.MONTHLY, date(2024, 4, 30)), date(2024, 4, 30), date(2024, 5, 30)),
        (Schedule(RepeatType.MONTHLY, date(2026, 12, 15)), date(2026, 12, 15), date(2027, 1, 15)),
    ],
    ids=[
        "daily",
        "weekly-same-weekday",
        "weekly-on-days",
        "monthly-short-month",
        "monthly-back-to-31",
        "end-of-month-on",
        "end-of-month-off",
        "year-end",
    ],
)
def test_next_occurrence(schedule: Schedule, after: date, expected: date) -> None:
    assert schedule.next_after(after) == expected


def test_a_one_off_schedule_has_no_next_occurrence() -> None:
    assert Schedule(RepeatType.NONE, date(2026, 4, 1)).next_after(date(2026, 4, 1)) is None


def test_repeat_to_is_the_last_date_an_occurrence_may_fall_on() -> None:
    """An occurrence on ``repeat_to`` itself still happens; one after it does not."""
    schedule = Schedule(RepeatType.DAILY, date(2026, 4, 1), repeat_to=date(2026, 4, 2))
    assert schedule.next_after(date(2026, 4, 1)) == date(2026, 4, 2)
    assert schedule.next_after(date(2026, 4, 2)) is None
