"""Posting alerts at the pace Slack allows: about one message per second per channel.

Posts to one channel are spaced by `interval` seconds (a per-channel lock, so concurrent runs queue up
rather than burst); slack_sdk's rate-limit retry handler covers any 429 that still happens. A post that
fails is logged and returns None: the alert stays "unposted" and the next sync run posts it.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)


class ChannelPacer:
    def __init__(self, interval: float = 1.0, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.interval, self._clock, self._sleep = interval, clock, sleep
        self._last: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def wait_turn(self, channel: str) -> None:
        async with self._locks.setdefault(channel, asyncio.Lock()):
            last = self._last.get(channel)
            if last is not None:
                wait = last + self.interval - self._clock()
                if wait > 0:
                    await self._sleep(wait)
            self._last[channel] = self._clock()


class Pacer(Protocol):
    async def wait_turn(self, channel: str) -> None: ...


class AlertPoster:
    def __init__(self, slack: AsyncWebClient, pacer: Pacer | None = None) -> None:
        self.slack, self.pacer = slack, pacer or ChannelPacer()

    async def post(self, channel: str, message: dict[str, Any]) -> str | None:
        await self.pacer.wait_turn(channel)
        try:
            reply = await self.slack.chat_postMessage(channel=channel, **message)
        except SlackApiError as exc:
            log.warning("could not post an alert to %s: %s", channel, exc.response.get("error"))
            return None
        return str(reply["ts"])

    async def update(self, channel: str, ts: str, message: dict[str, Any]) -> bool:
        try:
            await self.slack.chat_update(channel=channel, ts=ts, **message)
        except SlackApiError as exc:
            log.warning("could not update alert message %s in %s: %s", ts, channel, exc.response.get("error"))
            return False
        return True
