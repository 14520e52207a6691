"""Slack misbehaving, on request: rate limited, answering garbage, unreachable, or slow (FakeSlack.fail_next).

What the real Web API does on a bad day, so the bot's handling of it is tested over real HTTP: a 429
with `Retry-After`, a 200 whose body is not JSON (a proxy's error page), a connection dropped without
an answer, an answer held until the test releases it.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Literal

from aiohttp import web

FaultKind = Literal["ratelimited", "garbled", "down", "slow"]


@dataclass
class SlackFault:
    method: str
    kind: FaultKind
    times: int | None  # None: until cleared
    retry_after: int = 1
    release: asyncio.Event = field(default_factory=asyncio.Event)  # "slow": answered once set
    taken: int = 0  # calls it has answered (or is holding)

    async def answer(self, request: web.Request) -> web.StreamResponse | None:
        """The faulty answer; None for "slow" once released (then the method answers as usual)."""
        if self.kind == "ratelimited":
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                     headers={"Retry-After": str(self.retry_after)})
        if self.kind == "garbled":
            return web.Response(text="<html><body>502 Bad Gateway</body></html>", content_type="application/json")
        if self.kind == "down":
            request.protocol.force_close()  # the connection drops with no answer at all
            return web.Response()
        await self.release.wait()
        return None


class SlackFaults:
    def __init__(self) -> None:
        self._pending: list[SlackFault] = []

    def add(self, fault: SlackFault) -> SlackFault:
        self._pending.append(fault)
        return fault

    def take(self, method: str) -> SlackFault | None:
        for fault in self._pending:
            if fault.method == method:
                fault.taken += 1
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self._pending.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        for fault in self._pending:
            fault.release.set()
        self._pending.clear()
