"""The Slack sandbox's two-step file upload refuses what the published method pages rule out: steps out of
order, a length that does not match the bytes, unknown or reused file ids, a thread that is not a top-level
message of the channel, and a token without `files:write`. Real slack_sdk and raw HTTP talk to it."""
from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from sandbox.slack import FakeSlack

TOKEN = "xoxb-sandbox-token"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack()
    await slack.start()
    yield slack
    await slack.stop()


@pytest.fixture
def client(fake: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token=TOKEN, base_url=fake.api_url, timeout=5)


async def posted(client: AsyncWebClient, channel: str = "C0SUPER") -> str:
    return str((await client.chat_postMessage(channel=channel, text="report"))["ts"])


async def test_files_upload_v2_lands_in_the_thread(fake: FakeSlack, client: AsyncWebClient) -> None:
    ts = await posted(client)
    await client.files_upload_v2(content=b"a,b\r\n1,2\r\n", filename="floor.csv", title="Floor", channel="C0SUPER",
                                 thread_ts=ts)
    assert [c.method for c in fake.calls[1:]] == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
    (shared,) = fake.uploads.shared
    assert (shared.content, shared.channel, shared.thread_ts, shared.title) == (b"a,b\r\n1,2\r\n", "C0SUPER", ts, "Floor")
    assert fake.messages[-1]["thread_ts"] == ts and fake.messages[-1]["files"][0]["id"] == shared.file_id


async def test_steps_out_of_order_and_reused_ids_are_refused(fake: FakeSlack, client: AsyncWebClient) -> None:
    ticket = await client.files_getUploadURLExternal(filename="c.png", length=4)
    with pytest.raises(SlackApiError, match="file_upload_incomplete"):  # completed before the bytes arrived
        await client.files_completeUploadExternal(files=[{"id": ticket["file_id"]}], channel_id="C0SUPER")
    async with httpx.AsyncClient() as http:
        assert (await http.post(ticket["upload_url"], content=b"12345")).status_code == 400  # 5 bytes, 4 declared
        assert (await http.post(ticket["upload_url"], content=b"1234")).status_code == 200
        assert (await http.post(ticket["upload_url"], content=b"1234")).status_code == 400  # the URL is used up
        assert (await http.post(f"{fake.base_url}upload/v1/guessed", content=b"1234")).status_code == 404
    await client.files_completeUploadExternal(files=[{"id": ticket["file_id"]}], channel_id="C0SUPER")
    for files in ([{"id": ticket["file_id"]}], [{"id": "F0NOSUCH"}]):  # completed already; never issued
        with pytest.raises(SlackApiError, match="file_not_found"):
            await client.files_completeUploadExternal(files=files, channel_id="C0SUPER")


async def test_length_and_alt_text_are_checked_when_the_url_is_asked_for(client: AsyncWebClient) -> None:
    with pytest.raises(SlackApiError, match="missing_argument"):
        await client.files_getUploadURLExternal(filename="c.png", length=0)
    with pytest.raises(SlackApiError, match="alt_txt_too_large"):
        await client.files_getUploadURLExternal(filename="c.png", length=4, alt_txt="x" * 1001)


async def test_the_thread_must_be_a_top_level_message_of_that_channel(fake: FakeSlack, client: AsyncWebClient) -> None:
    ts = await posted(client)
    reply = str((await client.chat_postMessage(channel="C0SUPER", text="reply", thread_ts=ts))["ts"])
    for channel, thread in (("C0SUPER", reply), ("C0FLOOR", ts), ("C0SUPER", "1.000001")):
        with pytest.raises(SlackApiError, match="invalid_thread_ts"):
            await client.files_upload_v2(content=b"x", filename="x.csv", channel=channel, thread_ts=thread)
    assert fake.uploads.shared == []


async def test_without_files_write_nothing_is_uploaded(fake: FakeSlack, client: AsyncWebClient) -> None:
    fake.scopes.remove("files:write")
    with pytest.raises(SlackApiError) as refused:
        await client.files_upload_v2(content=b"x", filename="x.csv", channel="C0SUPER")
    assert (refused.value.response["error"], refused.value.response["needed"]) == ("missing_scope", "files:write")
