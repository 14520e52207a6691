"""Who may do what: per-command allow lists of Slack user ids and user-group handles.

An unset list means everyone in the workspace (the README says so). Groups are resolved through
Slack's usergroups API, so a supervisor adding someone to @kitchen-team in Slack takes effect without
touching the bot's configuration.

The check runs before the ack (Slack allows 3 s), so reading the groups must never hold it up:
- one read at a time, in the background, with a short timeout (GROUP_READ_TIMEOUT): fifty /cook at the
  moment the list expires make one `usergroups.list` call, not fifty;
- the list is read again after GROUP_CACHE_SECONDS; meanwhile, and whenever a read fails (429, Slack
  unreachable, an answer that is not JSON), the last good list is used;
- a failed read is not tried again for RETRY_AFTER_FAILURE seconds, whatever the traffic;
- before the first list has ever arrived (the bot starts reading it at start-up), a check waits at most
  FIRST_LOAD_WAIT for it and then says "try again in a moment": a person the bot cannot judge yet is
  never told they are not on the list, and is not let in either.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any, Literal

from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings

log = logging.getLogger(__name__)
GROUP_CACHE_SECONDS = 300.0
GROUP_READ_TIMEOUT = 2.0
RETRY_AFTER_FAILURE = 30.0
FIRST_LOAD_WAIT = 1.0
COMMANDS = ("cook", "label", "pack", "ship", "receive", "floor")  # every allow list (floor: SUPERVISORS)

Verdict = Literal["allowed", "refused", "unknown"]
Members = dict[str, frozenset[str]]  # group handle and id (lower case) → member user ids


def parse_allow_list(raw: str | None) -> list[str]:
    """`U0ANA, @kitchen-team,S0SUPER` → ["U0ANA", "@kitchen-team", "S0SUPER"]; unset/blank → []."""
    return [entry.strip() for entry in (raw or "").replace(";", ",").split(",") if entry.strip()]


class GroupDirectory:
    """Slack's user groups and their members, read in the background (see the module docstring)."""

    def __init__(self, slack: AsyncWebClient, *, clock: Callable[[], float] = time.monotonic,
                 read_timeout: float = GROUP_READ_TIMEOUT, first_load_wait: float = FIRST_LOAD_WAIT) -> None:
        self.slack, self.clock = slack, clock
        self.read_timeout, self.first_load_wait = read_timeout, first_load_wait
        self.members: Members | None = None  # None: no list has arrived yet
        self.read_at = self.failed_at = float("-inf")
        self.reading: asyncio.Task[None] | None = None

    def refresh_if_due(self) -> asyncio.Task[None] | None:
        """The read in progress, or a new one when the list is stale and no read failed lately."""
        if self.reading is not None and not self.reading.done():
            return self.reading
        now = self.clock()
        if now - self.read_at < GROUP_CACHE_SECONDS or now - self.failed_at < RETRY_AFTER_FAILURE:
            return None
        self.reading = asyncio.create_task(self._read(), name="read Slack user groups")
        return self.reading

    async def current(self) -> Members | None:
        """The last good list at once; with none yet, the first read is waited for briefly."""
        reading = self.refresh_if_due()
        if self.members is None and reading is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(reading), self.first_load_wait)
        return self.members

    async def _read(self) -> None:
        try:
            reply = await asyncio.wait_for(self.slack.usergroups_list(include_users=True), self.read_timeout)
            self.members, self.read_at = members_of(reply), self.clock()
        except Exception as exc:  # noqa: BLE001 — whatever went wrong, the last good list stands
            self.failed_at = self.clock()
            kept = "keeping the last list" if self.members is not None else "no list yet"
            log.warning("could not read Slack user groups (%s); %s, next try in %g s",
                        why_not(exc), kept, RETRY_AFTER_FAILURE)

    def close(self) -> None:
        if self.reading is not None:
            self.reading.cancel()


def members_of(reply: Any) -> Members:
    groups: Members = {}
    for group in reply.get("usergroups") or []:
        members = frozenset(str(u) for u in group.get("users") or [])
        groups[str(group.get("handle", "")).lower()] = members
        groups[str(group.get("id", "")).lower()] = members
    return groups


def why_not(exc: BaseException) -> str:
    """Slack's error code when its answer was JSON; else the exception's kind (never the raw body)."""
    data = getattr(getattr(exc, "response", None), "data", None)
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return type(exc).__name__


class Permissions:
    def __init__(self, settings: Settings, slack: AsyncWebClient, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.groups = GroupDirectory(slack, clock=clock)

    def start(self) -> None:
        """Read the groups now (when any list names one), so the first command finds them."""
        if any(e.startswith(("@", "S")) for command in COMMANDS for e in self.allow_list(command)):
            self.groups.refresh_if_due()

    def stop(self) -> None:
        self.groups.close()

    def allow_list(self, command: str) -> list[str]:
        return parse_allow_list(self.settings.allow_list(command))

    async def allows(self, user_id: str, command: str) -> bool:
        return await self.verdict(user_id, command) == "allowed"

    async def refusal(self, user_id: str, command: str) -> str | None:
        """None when `user_id` may use `command`; else what to tell them, privately."""
        verdict = await self.verdict(user_id, command)
        if verdict == "allowed":
            return None
        if verdict == "unknown":
            return (f"I can't check the list of people who can use /{command} right now (Slack's user groups "
                    "haven't loaded yet), so nothing was done. Try again in a moment.")
        return (f"You're not on the list of people who can use /{command}, so nothing was recorded. "
                f"Ask {self.who_to_ask(command)} to add you.")

    async def verdict(self, user_id: str, command: str) -> Verdict:
        entries = self.allow_list(command)
        if not entries or user_id in entries:
            return "allowed"
        groups = [e.lstrip("@").lower() for e in entries if e.startswith(("@", "S"))]
        if not groups:
            return "refused"
        members = await self.groups.current()
        if members is None:
            return "unknown"
        return "allowed" if any(user_id in members.get(g, frozenset()) for g in groups) else "refused"

    def who_to_ask(self, command: str) -> str:
        """Names people can act on: supervisors first, else the allowed people themselves."""
        entries = parse_allow_list(self.settings.supervisors) or self.allow_list(command)
        return ", ".join(mention(e) for e in entries[:5]) or "your supervisor"


def mention(entry: str) -> str:
    if entry.startswith("@"):
        return entry
    if entry.startswith("S"):
        return f"<!subteam^{entry}>"
    return f"<@{entry}>"
