"""Allow lists naming user groups: the groups are read in the background, one read at a time, and a check
never waits for Slack before the ack (issue 14, point 5). Slack misbehaves on request (sandbox/slack_faults.py);
time moves on an injected clock."""
from __future__ import annotations

import asyncio
import logging

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.permissions import GROUP_CACHE_SECONDS, RETRY_AFTER_FAILURE, Permissions
from bot.settings import Settings
from sandbox.harness import shop_floor
from sandbox.slack import FakeSlack
from tests.fake_clock import FakeClock

ANA, BEN, SAM = "U0ANA", "U0BEN", "U0SUP"
TRY_AGAIN = "Try again in a moment"



def reads(slack: FakeSlack) -> int:
    return len(slack.calls_to("usergroups.list"))


async def test_fifty_cooks_when_the_list_expires_make_one_read_and_none_waits_for_it() -> None:
    clock = FakeClock()
    async with shop_floor(cook_allowed="@kitchen-team", clock=clock) as shop:
        groups = shop.bot.permissions.groups
        assert groups.reading is not None
        await groups.reading  # read at start-up
        assert reads(shop.slack) == 1
        clock.now += GROUP_CACHE_SECONDS + 1
        held = shop.slack.fail_next("usergroups.list", "slow")  # Slack sits on the refresh
        cooks = [shop.workspace.slash_command(user, "/cook") for user in (ANA, BEN) * 25]
        replies = await asyncio.wait_for(asyncio.gather(*cooks), timeout=20)
        assert all(r.acked_in_time and "not on the list" not in r.body for r in replies), [r.body for r in replies]
        assert held.taken == 1, "one refresh for fifty checks"
        held.release.set()
        await groups.reading
        assert reads(shop.slack) == 2


async def test_a_429_keeps_the_last_list_and_is_not_retried_on_every_request() -> None:
    clock = FakeClock()
    async with shop_floor(cook_allowed="@kitchen-team", clock=clock) as shop:
        groups = shop.bot.permissions.groups
        await groups.reading
        groups.read_timeout = 0.2  # (2 s in production) the client would otherwise sit out Retry-After
        clock.now += GROUP_CACHE_SECONDS + 1
        limited = shop.slack.fail_next("usergroups.list", "ratelimited", times=None, retry_after=4)
        form = await shop.form_from_command(ANA, "/cook")  # the trigger (3 s) is still good: nothing waited
        assert form["callback_id"] == "cook_form"
        await groups.reading
        tried = limited.taken
        for _ in range(5):
            assert (await shop.workspace.slash_command(BEN, "/cook")).acked_in_time
        assert limited.taken == tried, "a failed read is not repeated on every request"
        shop.slack.faults.clear()
        clock.now += RETRY_AFTER_FAILURE
        assert (await shop.workspace.slash_command(SAM, "/cook")).status == 200
        await groups.reading
        assert "not on the list" in (await shop.workspace.slash_command(SAM, "/cook")).body


def permissions(slack: FakeSlack, clock: FakeClock) -> Permissions:
    settings = Settings(_env_file=None, cook_allowed="@kitchen-team", supervisors="U0SUP")  # type: ignore[call-arg]
    checker = Permissions(settings, AsyncWebClient(token=slack.bot_token, base_url=slack.api_url), clock=clock)
    checker.groups.first_load_wait = 0.05
    return checker


async def test_before_the_first_list_a_person_is_asked_to_try_again_not_refused(slack: FakeSlack) -> None:
    clock = FakeClock()
    down = slack.fail_next("usergroups.list", "down", times=None)  # Slack unreachable from the start
    checker = permissions(slack, clock)
    tried = 0
    for _ in range(3):
        refusal = await checker.refusal(ANA, "cook")
        assert refusal is not None and TRY_AGAIN in refusal and "not on the list" not in refusal
        tried = tried or down.taken  # (the client itself retries a dropped connection once)
    assert not await checker.allows(ANA, "cook")
    assert down.taken == tried, "a failed read is not tried again on every check"
    slack.faults.clear()
    clock.now += RETRY_AFTER_FAILURE
    checker.groups.first_load_wait = 5.0
    assert await checker.refusal(ANA, "cook") is None
    assert "not on the list" in (await checker.refusal(SAM, "cook") or "")


async def test_an_answer_that_is_not_json_keeps_the_last_list_with_one_warning(
        slack: FakeSlack, caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    checker = permissions(slack, clock)
    assert await checker.allows(BEN, "cook")
    clock.now += GROUP_CACHE_SECONDS + 1
    slack.fail_next("usergroups.list", "garbled")
    with caplog.at_level(logging.WARNING):
        assert await checker.allows(BEN, "cook")
        await checker.groups.reading
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "keeping the last list" in warnings[0].getMessage(), warnings
    assert "502" not in warnings[0].getMessage() and warnings[0].exc_info is None  # no raw body in the log
    assert await checker.allows(BEN, "cook") and not await checker.allows(SAM, "cook")
