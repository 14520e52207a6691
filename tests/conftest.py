"""Shared fixtures: a whole shop floor on loopback (fake Katana + fake Slack + the real bot)."""
from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from sandbox.harness import Sandbox, shop_floor
from sandbox.slack import FakeSlack


@pytest.fixture
async def shop() -> AsyncIterator[Sandbox]:
    """Every request the bot sends Katana is checked against live-gateway.yaml: a request the
    published spec does not allow fails the test that caused it."""
    async with shop_floor() as sandbox:
        yield sandbox
        await sandbox.settle()
        assert sandbox.katana.violations == [], "requests Katana's published spec does not allow"
        assert sandbox.katana.server_errors == [], "requests to endpoints the fake does not model"


@pytest.fixture
async def slack_fake() -> AsyncIterator[FakeSlack]:
    """The Slack sandbox alone, for the tests of its own rules."""
    slack = FakeSlack()
    await slack.start()
    yield slack
    await slack.stop()


@pytest.fixture
def slack_client(slack_fake: FakeSlack) -> AsyncWebClient:
    """slack_sdk's client with the bot token, pointed at the sandbox."""
    return AsyncWebClient(token=slack_fake.bot_token, base_url=slack_fake.api_url, timeout=5)


@pytest.fixture
def slack(slack_fake: FakeSlack) -> FakeSlack:
    """The same sandbox under the short name the files and permission tests use."""
    return slack_fake
