"""Shifts and report periods, in the factory's local time.

`SHIFT_ENDS` lists the local wall-clock times (in `SHIFT_TZ`) at which shifts end; a shift runs from the
previous end to its own. With `14:00,22:00` the day shift is 14:00–22:00 and the night shift 22:00–14:00
the next day: a shift may cross midnight. Each boundary is its wall-clock time on its own date, turned into
UTC with that date's offset, so on a daylight-saving change a shift is an hour shorter or longer, as the
floor lives it. Every `Period` holds UTC instants (start inclusive, end exclusive) and the words people use
for it in local time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

PeriodKind = Literal["shift", "today", "yesterday", "week"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("shift", "today", "yesterday", "week")


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive
    title: str  # local, as people say it: "shift Sat 28 Mar 22:00 – Sun 29 Mar 14:00"

    def holds(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class ShiftClock:
    ends: tuple[time, ...]  # local shift ends, any order
    zone: ZoneInfo

    def at(self, day: date, clock: time) -> datetime:
        """A local wall-clock moment as UTC (a time skipped by a DST change reads with the offset before it)."""
        return datetime.combine(day, clock, tzinfo=self.zone).astimezone(UTC)

    def boundaries(self, around: datetime) -> list[datetime]:
        """Every shift end from the day before `around` (local) to the day after, in order."""
        today = around.astimezone(self.zone).date()
        days = (today - timedelta(days=1), today, today + timedelta(days=1))
        return sorted(self.at(day, clock) for day in days for clock in self.ends)

    def current(self, now: datetime) -> Period:
        """The shift under way at `now`, from its start up to `now`."""
        edges = self.boundaries(now)
        end = next(b for b in edges if b > now)
        start = edges[edges.index(end) - 1]
        return Period("shift", start, now, self.shift_title(start, end))

    def last_ended(self, now: datetime) -> Period:
        """The most recent shift that ended at or before `now` (what the scheduled report covers)."""
        edges = self.boundaries(now)
        end = [b for b in edges if b <= now][-1]
        start = edges[edges.index(end) - 1]
        return Period("shift", start, end, self.shift_title(start, end))

    def shift_title(self, start: datetime, end: datetime) -> str:
        first, last = start.astimezone(self.zone), end.astimezone(self.zone)
        tail = f"{last:%H:%M}" if first.date() == last.date() else f"{last:%a %d %b %H:%M}"
        return f"shift {first:%a %d %b %H:%M} – {tail}"

    def period(self, kind: PeriodKind, now: datetime) -> Period:
        """`/floor report today|yesterday|week|shift`: each ends now, except yesterday (ends at midnight)."""
        if kind == "shift":
            return self.current(now)
        local_now = now.astimezone(self.zone)
        midnight = self.at(local_now.date(), time(0))
        if kind == "today":
            return Period(kind, midnight, now, f"today, {local_now:%a %d %b} to {local_now:%H:%M}")
        if kind == "yesterday":
            day = local_now.date() - timedelta(days=1)
            return Period(kind, self.at(day, time(0)), midnight, f"yesterday, {day:%a %d %b}")
        first = local_now.date() - timedelta(days=6)  # the last seven days, today included
        return Period(kind, self.at(first, time(0)), now,
                      f"the last 7 days, {first:%a %d %b} – {local_now:%a %d %b %H:%M}")


def parse_shift_ends(text: str) -> tuple[time, ...]:
    """`"14:00,22:00"` → (14:00, 22:00); ValueError naming what is wrong."""
    ends = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            clock = datetime.strptime(part, "%H:%M").time()
        except ValueError:
            raise ValueError(f"{part!r} is not a time like 14:00") from None
        ends.append(clock)
    if not ends:
        raise ValueError("must list at least one shift end, e.g. 14:00,22:00")
    if len(set(ends)) != len(ends):
        raise ValueError("lists the same time twice")
    return tuple(sorted(ends))
