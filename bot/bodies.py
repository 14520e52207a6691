"""Request bodies read within a deadline, on both routes that take one (/slack/events, /webhooks/katana).

aiohttp waits for a declared body as long as the client keeps the connection open, so a client that
sends 2 of 1000 bytes held a connection (and a handler) for good. Slack and Katana send their few
kilobytes at once; a body not complete within BODY_READ_TIMEOUT_SECONDS is answered 408 with one
warning line, and the connection is closed rather than read on (aiohttp would otherwise linger up to
10 s reading the rest).
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TypeVar

from aiohttp import web

log = logging.getLogger(__name__)

T = TypeVar("T")


class BodyTooSlow(Exception):
    """The body did not arrive within the deadline."""


async def within(timeout: float, reading: Awaitable[T]) -> T:
    """`reading`, or BodyTooSlow once `timeout` has passed. A deadline on the request's own task: wait_for
    ran each body read as a task of its own, for every request (bench row 3: ~6 % of the bot's CPU in a
    webhook burst)."""
    try:
        async with asyncio.timeout(timeout):
            return await reading
    except TimeoutError:
        raise BodyTooSlow from None


async def too_slow(request: web.Request, what: str, timeout: float) -> web.StreamResponse:
    """The 408, written now; then the connection is closed (its buffered answer still goes out) instead of
    aiohttp's lingering read of the rest of the body."""
    log.warning("%s from %s: body not received within %g s (too slow): 408, connection closed",
                what, request.remote, timeout)
    answer = web.json_response({"error": "request body too slow"}, status=408, headers={"Connection": "close"})
    await answer.prepare(request)
    await answer.write_eof()
    request.protocol.force_close()
    return answer
