"""What the floor commands and the production chain need from the outside world.

Built once by the composition root (`bot.app`) and passed in; nothing here is global, so tests
build their own against loopback fakes.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings
from integrations.katana import Katana
from models.store import Store

log = logging.getLogger(__name__)


class Jobs:
    """Background work started after an ack, tracked so shutdown can wait for it."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Awaitable[Any], name: str) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(work)
        task.set_name(name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background job %s failed", task.get_name(), exc_info=task.exception())

    @property
    def running(self) -> int:
        return len(self._tasks)

    async def drain(self, timeout: float) -> int:
        """Wait for in-flight work; returns how many were still running (left for the resume worker).

        What is still running then is cancelled, as a crash would end it: its state is stored and the next
        start resumes it (checking Katana first where the outcome of a request is unknown)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)
        left = set(self._tasks)
        for task in left:
            task.cancel()
        if left:
            await asyncio.wait(left, timeout=5)
        return len(left)


class People:
    """Slack users' display names, cached: Katana operators are matched by name."""

    def __init__(self, slack: AsyncWebClient) -> None:
        self.slack = slack
        self._names: dict[str, str] = {}

    async def name(self, user_id: str, fallback: str | None = None) -> str:
        if user_id not in self._names:
            try:
                user = (await self.slack.users_info(user=user_id))["user"]
                profile = user.get("profile") or {}
                self._names[user_id] = (profile.get("real_name") or user.get("real_name")
                                        or user.get("name") or fallback or user_id)
            except SlackApiError as exc:
                log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
                return fallback or user_id
        return self._names[user_id]


@dataclass
class Floor:
    settings: Settings
    store: Store
    katana: Katana
    slack: AsyncWebClient
    jobs: Jobs = field(default_factory=Jobs)
    people: People | None = None
    orders: Any = None  # commands.orders.OpenOrders, set by the composition root
    permissions: Any = None  # bot.permissions.Permissions, set by the composition root
    on_recorded: list[Callable[[Any], Awaitable[None]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.people is None:
            self.people = People(self.slack)

    def katana_link(self, mo_id: int) -> str:
        # Katana's web app URL scheme is not in the API spec; it is configurable for that reason.
        return f"{str(self.settings.katana_app_url).rstrip('/')}/manufacturingorder/{mo_id}"
