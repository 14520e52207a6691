"""Shift boundaries in local time: a shift that crosses midnight, the daylight-saving change nights, and
the periods of `/floor report` (an injected `now`, never the machine's clock)."""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.report.periods import ShiftClock, parse_shift_ends
from bot.settings import Settings

BERLIN = ShiftClock((time(14), time(22)), ZoneInfo("Europe/Berlin"))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_the_night_shift_crosses_midnight() -> None:
    # 01:30 Berlin on a winter Wednesday (00:30 UTC): the shift began 22:00 Tuesday and ends 14:00 Wednesday.
    shift = BERLIN.current(utc(2026, 1, 14, 0, 30))
    assert shift.start == utc(2026, 1, 13, 21, 0)
    assert shift.end == utc(2026, 1, 14, 0, 30)  # on demand: up to now
    assert shift.title == "shift Tue 13 Jan 22:00 – Wed 14 Jan 14:00"
    ended = BERLIN.last_ended(utc(2026, 1, 14, 13, 0, 5))  # the 14:00 job runs five seconds late
    assert (ended.start, ended.end) == (utc(2026, 1, 13, 21, 0), utc(2026, 1, 14, 13, 0))


def test_the_day_shift_and_its_exact_edges() -> None:
    at_two = utc(2026, 1, 14, 13, 0)  # 14:00 Berlin exactly: the night shift has just ended
    assert BERLIN.last_ended(at_two).end == at_two
    assert BERLIN.current(at_two).start == at_two  # and the day shift begins
    day = BERLIN.last_ended(utc(2026, 1, 14, 21, 0))
    assert (day.start, day.end, day.title) == (at_two, utc(2026, 1, 14, 21, 0), "shift Wed 14 Jan 14:00 – 22:00")


def test_spring_forward_makes_the_night_shift_an_hour_shorter() -> None:
    # Berlin leaves CET for CEST at 02:00 on Sunday 29 March 2026.
    night = BERLIN.last_ended(utc(2026, 3, 29, 12, 0))  # 14:00 CEST
    assert night.start == utc(2026, 3, 28, 21, 0)  # 22:00 CET
    assert night.end - night.start == timedelta(hours=15)


def test_fall_back_makes_it_an_hour_longer() -> None:
    # CEST back to CET at 03:00 on Sunday 25 October 2026.
    night = BERLIN.last_ended(utc(2026, 10, 25, 13, 0))  # 14:00 CET
    assert night.start == utc(2026, 10, 24, 20, 0)  # 22:00 CEST
    assert night.end - night.start == timedelta(hours=17)


def test_report_periods_are_local_days() -> None:
    now = utc(2026, 3, 29, 22, 30)  # 00:30 CEST on Monday 30 March
    today = BERLIN.period("today", now)
    assert (today.start, today.end) == (utc(2026, 3, 29, 22, 0), now)
    yesterday = BERLIN.period("yesterday", now)  # Sunday: the 23-hour day of the change
    assert (yesterday.start, yesterday.end) == (utc(2026, 3, 28, 23, 0), utc(2026, 3, 29, 22, 0))
    week = BERLIN.period("week", now)
    assert week.start == utc(2026, 3, 23, 23, 0) and week.end == now  # Tuesday 24 March, 00:00 CET
    assert BERLIN.period("shift", now).start == utc(2026, 3, 29, 20, 0)  # 22:00 CEST


def test_one_shift_a_day_and_parsing() -> None:
    daily = ShiftClock(parse_shift_ends(" 06:00 "), ZoneInfo("UTC"))
    shift = daily.current(utc(2026, 5, 1, 5, 0))
    assert (shift.start, shift.end - shift.start) == (utc(2026, 4, 30, 6, 0), timedelta(hours=23))
    assert parse_shift_ends("22:00,14:00") == (time(14), time(22))
    for bad in ("", "25:00", "2pm", "14:00,14:00"):
        with pytest.raises(ValueError):
            parse_shift_ends(bad)


def test_settings_name_the_bad_shift_value() -> None:
    with pytest.raises(ValueError, match="shift_tz"):
        Settings(_env_file=None, shift_tz="Mars/Olympus")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="shift_ends"):
        Settings(_env_file=None, shift_ends="noon")  # type: ignore[call-arg]
    clock = Settings(_env_file=None, shift_ends="22:00,14:00", shift_tz="Europe/Berlin").shift_clock  # type: ignore[call-arg]
    assert clock == BERLIN
