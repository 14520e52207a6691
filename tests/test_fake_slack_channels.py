"""The Slack sandbox's channels: what a bot token may read, join and post, as Slack's method pages say."""
from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from sandbox.slack import FakeSlack
from sandbox.slack_channels import manifest_scopes

FLOOR = "C0FLOOR"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack()
    await slack.start()
    yield slack
    await slack.stop()


@pytest.fixture
def client(fake: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token=fake.bot_token, base_url=fake.api_url, timeout=5)


async def refusal(call: object) -> str:
    with pytest.raises(SlackApiError) as refused:
        await call  # type: ignore[misc]
    return str(refused.value.response["error"])


async def test_history_only_for_members_though_the_bot_may_post_without_joining(fake: FakeSlack,
                                                                                client: AsyncWebClient) -> None:
    await client.chat_postMessage(channel=FLOOR, text="posted with chat:write.public")
    assert await refusal(client.conversations_history(channel=FLOOR)) == "not_in_channel"

    joined = await client.conversations_join(channel=FLOOR)
    assert joined["channel"]["is_member"] is True and "warning" not in joined.data
    assert [m["text"] for m in (await client.conversations_history(channel=FLOOR))["messages"]] == [
        "posted with chat:write.public"]
    assert (await client.conversations_join(channel=FLOOR))["warning"] == "already_in_channel"


async def test_info_says_whether_the_bot_is_a_member(fake: FakeSlack, client: AsyncWebClient) -> None:
    assert (await client.conversations_info(channel=FLOOR))["channel"]["is_member"] is False
    fake.roster.invite(FLOOR)
    assert (await client.conversations_info(channel=FLOOR))["channel"]["is_member"] is True
    fake.roster.remove(FLOOR)
    assert await refusal(client.conversations_history(channel=FLOOR)) == "not_in_channel"


async def test_a_private_channel_needs_an_invite(fake: FakeSlack, client: AsyncWebClient) -> None:
    fake.roster.make_private(FLOOR)
    assert await refusal(client.conversations_join(channel=FLOOR)) == "method_not_supported_for_channel_type"
    assert await refusal(client.conversations_info(channel=FLOOR)) == "channel_not_found"  # invisible to outsiders
    assert await refusal(client.chat_postMessage(channel=FLOOR, text="x")) == "not_in_channel"  # no .public there
    assert await refusal(client.conversations_history(channel=FLOOR)) == "channel_not_found"

    fake.roster.invite(FLOOR)
    await client.chat_postMessage(channel=FLOOR, text="invited")
    info = (await client.conversations_info(channel=FLOOR))["channel"]
    assert info["is_private"] is True and info["is_member"] is True
    assert len((await client.conversations_history(channel=FLOOR))["messages"]) == 1


async def test_each_method_needs_its_scope(fake: FakeSlack, client: AsyncWebClient) -> None:
    fake.scopes.remove("chat:write.public")
    assert await refusal(client.chat_postMessage(channel=FLOOR, text="x")) == "not_in_channel"
    fake.scopes.remove("channels:join")
    assert await refusal(client.conversations_join(channel=FLOOR)) == "missing_scope"
    fake.scopes.remove("channels:read")
    assert await refusal(client.conversations_info(channel=FLOOR)) == "missing_scope"


def test_the_token_has_exactly_the_scopes_the_manifest_asks_for(fake: FakeSlack) -> None:
    assert fake.scopes == manifest_scopes()
    assert {"channels:join", "channels:history", "chat:write.public"} <= set(fake.scopes)
