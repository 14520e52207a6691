"""A request whose body trickles in is answered 408 and its connection closed once the body-read timeout
passes, on both routes (issue 14, point 12). Real sockets on loopback; the timeout is configured short."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest

from sandbox.harness import Sandbox, shop_floor

TIMEOUT = 0.3  # BODY_READ_TIMEOUT_SECONDS for these tests (10 s by default)
ROUTES = ("/slack/events", "/webhooks/katana")


@pytest.fixture
async def quick_shop() -> AsyncIterator[Sandbox]:
    async with shop_floor(body_read_timeout_seconds=TIMEOUT) as sandbox:
        yield sandbox


async def trickle(url: str, path: str, *, sent: bytes, declared: int, wait_close: bool = True) -> tuple[bytes, bool]:
    """POST declaring `declared` body bytes, send only `sent`, keep the socket open: (the answer, closed?)."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"X-Slack-Request-Timestamp: 1\r\nX-Slack-Signature: v0=00\r\nx-sha2-signature: 00\r\n"
            f"Content-Length: {declared}\r\n\r\n").encode()
    writer.write(head + sent)
    await writer.drain()
    try:
        answer = await asyncio.wait_for(reader.read(4096), timeout=20 * TIMEOUT)  # bounded: the test ends
        closed = wait_close and await asyncio.wait_for(reader.read(1), timeout=20 * TIMEOUT) == b""
    finally:
        writer.close()
    return answer, closed


@pytest.mark.parametrize("path", ROUTES)
async def test_a_body_that_trickles_gets_408_and_the_connection_closes(
        quick_shop: Sandbox, path: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    answer, closed = await trickle(quick_shop.url, path, sent=b"{}", declared=1000)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:100]
    assert closed, "the connection stays open after the 408"
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1 and "too slow" in lines[0].getMessage() and lines[0].exc_info is None, \
        [r.getMessage() for r in caplog.records]


@pytest.mark.parametrize("path", ROUTES)
async def test_a_whole_body_in_time_is_judged_as_usual(quick_shop: Sandbox, path: str) -> None:
    answer, _ = await trickle(quick_shop.url, path, sent=b"{}", declared=2, wait_close=False)
    assert answer.startswith(b"HTTP/1.1 401"), answer[:100]  # read in time; then refused for its signature
