"""Forged Slack requests with odd signing headers are refused with 401 and one warning line (issue 14, point 8)."""
from __future__ import annotations

import logging
import time

import pytest

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
