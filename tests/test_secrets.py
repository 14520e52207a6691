"""Known tokens and keys never reach logs, anything a person sees, or what is stored."""
from __future__ import annotations

import json
import logging

import pytest

from bot.logging import install_secret_filter
from sandbox.harness import SIGNING_SECRET, WEBHOOK_TOKEN, shop_floor
from sandbox.katana_seed import MO101_ID

ANA = "U0ANA"


async def test_no_secret_in_logs_messages_or_store(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    async with shop_floor(supervisor_channel="C0SUPER") as shop:
        secrets = [shop.slack.bot_token, SIGNING_SECRET, shop.katana.api_key, WEBHOOK_TOKEN]
        install_secret_filter(secrets)  # what `serve` installs from the settings
        caplog.handler.addFilter(logging.getLogger().handlers[0].filters[-1])
        mo = shop.katana.create_manufacturing_order(variant_id=2001, planned_quantity=10)
        form = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")
        shop.katana.go_down()  # errors, retries and "saved" messages are where leaks hide
        await shop.workspace.submit_view(ANA, form, {"quantity": "10", "batch": "B-1", "crate": "C-1"})
        await shop.settle()
        shop.katana.come_up()
        cook = await shop.form_from_command(ANA, "/cook")
        shop.katana.fail_next(1, status=401, method="GET", path_prefix="/manufacturing_orders/")  # key refused
        await shop.workspace.submit_view(ANA, cook, {"mo": str(MO101_ID), "quantity": "5", "batch": "B-2", "crate": "C-2"})
        await shop.settle()

        seen_by_people = json.dumps([c.args for c in shop.slack.calls], default=str)
        stored = json.dumps([d for name in await shop.store.db.list_collection_names()
                             async for d in shop.store.db[name].find({})], default=str)
        logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
        assert "Katana isn't answering" in seen_by_people and "refused" in stored.lower() + seen_by_people.lower()
        for secret in secrets:
            assert secret not in seen_by_people
            assert secret not in stored
            assert secret not in logged
