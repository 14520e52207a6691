"""Forged Slack requests with odd signing headers are refused with 401 and one warning line (issue 14, point 8)."""
from __future__ import annotations

import logging
import sys
import time

import pytest
from aiohttp.http_exceptions import BadHttpMessage

from bot.logging import MalformedRequests
from sandbox.harness import Sandbox

BODY = b"command=%2Fcook&user_id=U0ANA&trigger_id=1.2.3&channel_id=C0FLOOR"
NOW = str(int(time.time()))
GOOD_SHAPE = "v0=" + "0" * 64

ODD_HEADERS = {
    "no timestamp": {"X-Slack-Signature": GOOD_SHAPE},
    "no signature": {"X-Slack-Request-Timestamp": NOW},
    "empty timestamp": {"X-Slack-Request-Timestamp": "", "X-Slack-Signature": GOOD_SHAPE},
    "words for a timestamp": {"X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": GOOD_SHAPE},
    "5000-digit timestamp": {"X-Slack-Request-Timestamp": "9" * 5000, "X-Slack-Signature": GOOD_SHAPE},
    "non-ASCII signature": {"X-Slack-Request-Timestamp": NOW, "X-Slack-Signature": "v0=" + "é" * 64},
    "short non-ASCII signature": {"X-Slack-Request-Timestamp": NOW, "X-Slack-Signature": "v0=é"},
}


async def test_a_well_signed_looking_body_that_is_not_utf8_is_401(
        shop: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    body = b"\xff\xfe" * 50
    caplog.set_level(logging.WARNING)
    reply = await shop.workspace.post_raw(body, {"Content-Type": "application/x-www-form-urlencoded",
                                                 "X-Slack-Request-Timestamp": NOW, "X-Slack-Signature": GOOD_SHAPE})
    assert reply.status == 401
    assert [r.name for r in caplog.records if r.levelno >= logging.WARNING] == ["bot.slack_guard"]


def test_a_request_aiohttp_cannot_parse_is_logged_as_one_warning_line() -> None:
    try:
        raise BadHttpMessage("Duplicate Content-Length")
    except BadHttpMessage:
        record = logging.LogRecord("aiohttp.server", logging.ERROR, __file__, 1, "Error handling request from %s",
                                   ("127.0.0.1",), sys.exc_info())
    assert MalformedRequests().filter(record)
    assert (record.levelno, record.exc_info, record.exc_text) == (logging.WARNING, None, None)
    assert record.getMessage() == "Error handling request from 127.0.0.1: malformed HTTP refused (BadHttpMessage)"


@pytest.mark.parametrize("case", ODD_HEADERS)
async def test_odd_signing_headers_are_401_with_one_warning_and_no_traceback(
        shop: Sandbox, case: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    reply = await shop.workspace.post_raw(BODY, {"Content-Type": "application/x-www-form-urlencoded",
                                                 **ODD_HEADERS[case]})
    assert reply.status == 401, reply.body
    assert "Traceback" not in reply.body
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 1, [r.getMessage() for r in records]
    assert records[0].name == "bot.slack_guard" and records[0].exc_info is None
    assert shop.slack.calls_to("views.open") == []
