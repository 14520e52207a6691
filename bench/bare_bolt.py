"""The baseline for row 1: a bare Bolt `AsyncApp` whose /cook only acks and opens a modal.

Run as its own process (`python -m bench.bare_bolt`), configured like the bot by SLACK_BOT_TOKEN,
SLACK_SIGNING_SECRET, SLACK_API_URL and PORT, so both are measured the same way.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

MODAL = {"type": "modal", "callback_id": "cook_form", "title": {"type": "plain_text", "text": "Record cooking"},
         "submit": {"type": "plain_text", "text": "Record"}, "close": {"type": "plain_text", "text": "Cancel"},
         "blocks": [{"type": "input", "block_id": "quantity", "label": {"type": "plain_text", "text": "Quantity"},
                     "element": {"type": "plain_text_input", "action_id": "quantity"}}]}


def build(token: str, signing_secret: str, api_url: str, modal: dict[str, Any] | None = None) -> web.Application:
    app = AsyncApp(client=AsyncWebClient(token=token, base_url=api_url), signing_secret=signing_secret)
    view = modal or MODAL

    @app.command("/cook")
    async def cook(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    web_app = app.web_app(path="/slack/events")

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    web_app.router.add_get("/healthz", healthz)
    return web_app


def main() -> None:
    env = os.environ
    modal = json.loads(Path(env["BARE_MODAL_FILE"]).read_text()) if env.get("BARE_MODAL_FILE") else None
    web.run_app(build(env["SLACK_BOT_TOKEN"], env["SLACK_SIGNING_SECRET"], env["SLACK_API_URL"], modal),
                host="127.0.0.1", port=int(env["PORT"]), access_log=None, print=None, handle_signals=True)


if __name__ == "__main__":
    main()
