"""/healthz says whether the bot is in each configured channel (bot/channels.py)."""
from __future__ import annotations

import aiohttp

from sandbox.harness import FLOOR, Sandbox, shop_floor


async def health(shop: Sandbox) -> dict:
    async with aiohttp.ClientSession() as http, http.get(f"{shop.url}/healthz") as reply:
        assert reply.status == 200
        return dict(await reply.json())


async def test_healthz_shows_the_bot_in_the_floor_channel_and_posting_elsewhere(shop: Sandbox) -> None:
    await shop.settle()  # the start-up join and first look
    channels = (await health(shop))["channels"]
    assert channels["ok"] is True
    [floor] = channels["channels"]
    assert (floor["variable"], floor["channel"], floor["member"]) == ("FLOOR_CHANNEL", FLOOR, True)

    shop.slack.roster.remove(FLOOR)
    await shop.bot.channels.look()  # the scheduler's look, every few minutes
    [floor] = (await health(shop))["channels"]["channels"]
    assert floor["member"] is False and floor["ok"] is False and "/invite @shopfloor" in floor["detail"]


async def test_a_private_floor_channel_cannot_be_joined_and_healthz_says_to_invite_the_bot() -> None:
    async with shop_floor(supervisor_channel="C0SUPER") as shop:
        await shop.settle()
        shop.slack.roster.remove(FLOOR)
        shop.slack.roster.make_private(FLOOR)
        await shop.bot.channels.join_and_look()  # as at the next start
        report = (await health(shop))["channels"]
        by_variable = {c["variable"]: c for c in report["channels"]}
        assert report["ok"] is False
        assert by_variable["FLOOR_CHANNEL"]["member"] is None and "/invite" in by_variable["FLOOR_CHANNEL"]["detail"]
        supervisors = by_variable["SUPERVISOR_CHANNEL"]
        assert supervisors["ok"] is True and supervisors["member"] is False and "chat:write.public" in supervisors["detail"]
