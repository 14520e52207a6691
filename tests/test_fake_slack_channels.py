"""The Slack sandbox's channels: what a bot token may read, join and post, as Slack's method pages say."""
from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from sandbox.slack import FakeSlack
from sandbox.slack_channels import manifest_scopes

FLOOR = "C0FLOOR"


async def refusal(call: object) -> str:
    with pytest.raises(SlackApiError) as refused:
        await call  # type: ignore[misc]
    return str(refused.value.response["error"])


async def test_history_only_for_members_though_the_bot_may_post_without_joining(slack_fake: FakeSlack,
                                                                                slack_client: AsyncWebClient) -> None:
    await slack_client.chat_postMessage(channel=FLOOR, text="posted with chat:write.public")
    assert await refusal(slack_client.conversations_history(channel=FLOOR)) == "not_in_channel"

    joined = await slack_client.conversations_join(channel=FLOOR)
    assert joined["channel"]["is_member"] is True and "warning" not in joined.data
    assert [m["text"] for m in (await slack_client.conversations_history(channel=FLOOR))["messages"]] == [
        "posted with chat:write.public"]
    assert (await slack_client.conversations_join(channel=FLOOR))["warning"] == "already_in_channel"


async def test_info_says_whether_the_bot_is_a_member(slack_fake: FakeSlack, slack_client: AsyncWebClient) -> None:
    assert (await slack_client.conversations_info(channel=FLOOR))["channel"]["is_member"] is False
    slack_fake.roster.invite(FLOOR)
    assert (await slack_client.conversations_info(channel=FLOOR))["channel"]["is_member"] is True
    slack_fake.roster.remove(FLOOR)
    assert await refusal(slack_client.conversations_history(channel=FLOOR)) == "not_in_channel"


async def test_a_private_channel_needs_an_invite(slack_fake: FakeSlack, slack_client: AsyncWebClient) -> None:
    slack_fake.roster.make_private(FLOOR)
    assert await refusal(slack_client.conversations_join(channel=FLOOR)) == "method_not_supported_for_channel_type"
    assert await refusal(slack_client.conversations_info(channel=FLOOR)) == "channel_not_found"  # invisible to outsiders
    assert await refusal(slack_client.chat_postMessage(channel=FLOOR, text="x")) == "not_in_channel"  # no .public there
    assert await refusal(slack_client.conversations_history(channel=FLOOR)) == "channel_not_found"

    slack_fake.roster.invite(FLOOR)
    await slack_client.chat_postMessage(channel=FLOOR, text="invited")
    info = (await slack_client.conversations_info(channel=FLOOR))["channel"]
    assert info["is_private"] is True and info["is_member"] is True
    assert len((await slack_client.conversations_history(channel=FLOOR))["messages"]) == 1


async def test_each_method_needs_its_scope(slack_fake: FakeSlack, slack_client: AsyncWebClient) -> None:
    slack_fake.scopes.remove("chat:write.public")
    assert await refusal(slack_client.chat_postMessage(channel=FLOOR, text="x")) == "not_in_channel"
    slack_fake.scopes.remove("channels:join")
    assert await refusal(slack_client.conversations_join(channel=FLOOR)) == "missing_scope"
    slack_fake.scopes.remove("channels:read")
    assert await refusal(slack_client.conversations_info(channel=FLOOR)) == "missing_scope"


def test_the_token_has_exactly_the_scopes_the_manifest_asks_for(slack_fake: FakeSlack) -> None:
    assert slack_fake.scopes == manifest_scopes()
    assert {"channels:join", "channels:history", "chat:write.public"} <= set(slack_fake.scopes)
