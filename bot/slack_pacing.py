"""Slack's pace for posts — about one message a second per channel, short bursts allowed — kept by every
replica together: each post takes a turn in a window per channel shared through MongoDB
(models.budget.SharedWindow: `burst` posts in any `burst / per_second` seconds). Task messages,
confirmations and alerts all go through it. If the store cannot be asked, the post goes anyway (Slack's
429 and slack_sdk's retry handler are the last line) and the log says so.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from models.budget import SharedWindow
from models.clock import Clock

log = logging.getLogger(__name__)
MARGIN = timedelta(seconds=0.25)  # Slack refills its bucket smoothly: a turn comes a little after the window


class SlackPacer:
    def __init__(self, db: Any, clock: Clock, *, per_second: float, burst: int,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.db, self.clock, self.sleep = db, clock, sleep
        self.burst, self.window = burst, timedelta(seconds=burst / per_second)
        self._windows: dict[str, SharedWindow] = {}  # per channel this replica posts to (a few dozen)

    async def wait_turn(self, channel: str) -> None:
        window = self._windows.get(channel)
        if window is None:
            window = self._windows[channel] = SharedWindow(self.db, self.clock, f"slack:{channel}",
                                                           limit=self.burst, window=self.window, margin=MARGIN)
        for _ in range(600):  # at most a few minutes, even for a channel flooded by every replica
            try:
                wait = await window.take()
            except Exception:  # noqa: BLE001 — never hold a post hostage to the store
                log.warning("the shared Slack pace for %s cannot be read; posting anyway", channel)
                return
            if wait <= 0:
                return
            await self.sleep(min(wait, 1.0))
