"""Counting Unleashed calls against the account's monthly quota.

Unleashed blocks every call once the month's quota is used, until the 1st (UTC). The quota depends on
the plan and is not readable through the API, so it is configured (`UNLEASHED_MONTHLY_CALL_LIMIT`);
without it the bot still counts and reports, but cannot warn. The count covers this process (seeded at
start-up from the sync log), not calls other tools make with the same key.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

log = logging.getLogger(__name__)
WARN_AT = (0.8, 0.95)  # share of the quota at which a warning is logged (once each per month)


def month_of(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m")


class CallCounter:
    def __init__(self, monthly_limit: int | None = None, *,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.monthly_limit = monthly_limit
        self._now = now
        self.month = month_of(now())
        self.used = 0
        self._warned: set[float] = set()

    def seed(self, calls_this_month: int) -> None:
        """Start from what earlier runs of the bot spent this month (read from the sync log)."""
        self.used = max(self.used, calls_this_month)

    def count(self) -> None:
        month = month_of(self._now())
        if month != self.month:  # the quota resets on the 1st, UTC
            self.month, self.used, self._warned = month, 0, set()
        self.used += 1
        self._maybe_warn()

    @property
    def share_used(self) -> float | None:
        return self.used / self.monthly_limit if self.monthly_limit else None

    def describe(self) -> str:
        if not self.monthly_limit:
            return f"{self.used} Unleashed calls this month (set UNLEASHED_MONTHLY_CALL_LIMIT to be warned)"
        return f"{self.used} of {self.monthly_limit} Unleashed calls this month ({self.share_used:.0%})"

    def _maybe_warn(self) -> None:
        share = self.share_used
        for level in WARN_AT:
            if share is not None and share >= level and level not in self._warned:
                self._warned.add(level)
                log.warning("Unleashed API quota: %s — at 100%% every call is blocked until the 1st (UTC)",
                            self.describe())
