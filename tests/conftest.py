"""Shared fixtures: a whole shop floor on loopback (fake Katana + fake Slack + the real bot)."""
from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from sandbox.harness import Sandbox, shop_floor


@pytest.fixture
async def shop() -> AsyncIterator[Sandbox]:
    """Every request the bot sends Katana is checked against live-gateway.yaml: a request the
    published spec does not allow fails the test that caused it."""
    async with shop_floor() as sandbox:
        yield sandbox
        await sandbox.settle()
        assert sandbox.katana.violations == [], "requests Katana's published spec does not allow"
        assert sandbox.katana.server_errors == [], "requests to endpoints the fake does not model"
