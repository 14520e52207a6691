"""The floor's way to Slack (`commands.ports.SlackPort`), over slack_sdk's async Web API client.

Every Web API call the floor makes goes through here: a refusal becomes `SlackRefused` with Slack's
error code, whatever the client raised (an `ok: false` answer, or Slack unreachable). People's names
are remembered for a while, in a map of bounded size: Katana operators are matched by them.
"""
from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from commands.ports import Message, OpenedView, Posted, SlackRefused, View

log = logging.getLogger(__name__)


class Pacer(Protocol):
    async def wait_turn(self, channel: str) -> None: ...
NAMES_KEPT = 2000  # people a bot instance remembers by name (a big site has a few hundred)
NAME_FOR_SECONDS = 3600.0  # a renamed person is called by the new name within the hour


class SlackWeb:
    def __init__(self, client: AsyncWebClient, *, clock: Callable[[], float] = time.monotonic,
                 pacer: Pacer | None = None) -> None:
        self.client = client
        self.clock = clock
        self.pacer = pacer  # Slack's pace per channel, shared by every replica (bot.slack_pacing)
        self._names: OrderedDict[str, tuple[float, str]] = OrderedDict()

    async def _call(self, method: str, **args: Any) -> Any:
        try:
            return await getattr(self.client, method)(**args)
        except SlackApiError as exc:
            raise SlackRefused(str(exc.response.get("error") or "error")) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise SlackRefused(f"unreachable ({type(exc).__name__})") from None

    async def open_view(self, trigger_id: str, view: View) -> OpenedView:
        reply = await self._call("views_open", trigger_id=trigger_id, view=view)
        return OpenedView(id=str(reply["view"]["id"]), hash=str(reply["view"].get("hash") or ""))

    async def update_view(self, view_id: str, view: View, *, hash: str | None = None) -> None:
        await self._call("views_update", view_id=view_id, view=view, **({"hash": hash} if hash else {}))

    async def publish_home(self, user_id: str, view: View) -> None:
        await self._call("views_publish", user_id=user_id, view=view)

    async def post(self, channel: str, message: Message, *, thread_ts: str | None = None,
                   metadata: dict[str, Any] | None = None) -> Posted:
        extra: dict[str, Any] = {}
        if thread_ts:
            extra["thread_ts"] = thread_ts
        if metadata:
            extra["metadata"] = metadata
        if self.pacer is not None:
            await self.pacer.wait_turn(channel)
        reply = await self._call("chat_postMessage", channel=channel, **message, **extra)
        return Posted(channel=str(reply["channel"]), ts=str(reply["ts"]))

    async def update(self, channel: str, ts: str, message: Message) -> None:
        await self._call("chat_update", channel=channel, ts=ts, **message)

    async def post_private(self, channel: str, user: str, text: str) -> None:
        await self._call("chat_postEphemeral", channel=channel, user=user, text=text)

    async def history(self, channel: str, *, oldest: float, limit: int) -> list[dict[str, Any]]:
        reply = await self._call("conversations_history", channel=channel, oldest=f"{oldest:.6f}",
                                 include_all_metadata=True, limit=limit)
        return list(reply.get("messages") or [])

    async def person_name(self, user_id: str, fallback: str | None = None) -> str:
        known = self._names.get(user_id)
        if known is not None and self.clock() - known[0] < NAME_FOR_SECONDS:
            return known[1]
        try:
            user = (await self._call("users_info", user=user_id))["user"]
        except SlackRefused as exc:
            log.warning("users.info failed for %s: %s", user_id, exc.error)
            return known[1] if known else (fallback or user_id)
        profile = user.get("profile") or {}
        name = str(profile.get("real_name") or user.get("real_name") or user.get("name") or fallback or user_id)
        self._names[user_id] = (self.clock(), name)
        self._names.move_to_end(user_id)
        while len(self._names) > NAMES_KEPT:
            self._names.popitem(last=False)
        return name
