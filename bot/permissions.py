"""Who may do what: per-command allow lists of Slack user ids and user-group handles.

An unset list means everyone in the workspace (the README says so). Groups are resolved through
Slack's usergroups API and cached for a few minutes, so a supervisor adding someone to
@kitchen-team in Slack takes effect without touching the bot's configuration.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings

log = logging.getLogger(__name__)
GROUP_CACHE_SECONDS = 300.0


def parse_allow_list(raw: str | None) -> list[str]:
    """`U0ANA, @kitchen-team,S0SUPER` → ["U0ANA", "@kitchen-team", "S0SUPER"]; unset/blank → []."""
    return [entry.strip() for entry in (raw or "").replace(";", ",").split(",") if entry.strip()]


class Permissions:
    def __init__(self, settings: Settings, slack: AsyncWebClient, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings, self.slack, self.clock = settings, slack, clock
        self._groups: dict[str, set[str]] = {}  # handle and id → members
        self._groups_at = float("-inf")

    def allow_list(self, command: str) -> list[str]:
        return parse_allow_list(self.settings.allow_list(command))

    async def allows(self, user_id: str, command: str) -> bool:
        entries = self.allow_list(command)
        if not entries:
            return True
        if user_id in entries:
            return True
        groups = [e for e in entries if e.startswith(("@", "S"))]
        if not groups:
            return False
        members = await self._group_members()
        return any(user_id in members.get(g.lstrip("@").lower(), set()) for g in groups)

    def who_to_ask(self, command: str) -> str:
        """Names people can act on: supervisors first, else the allowed people themselves."""
        entries = parse_allow_list(self.settings.supervisors) or self.allow_list(command)
        return ", ".join(mention(e) for e in entries[:5]) or "your supervisor"

    def refusal(self, command: str) -> str:
        return (f"You're not on the list of people who can use /{command}, so nothing was recorded. "
                f"Ask {self.who_to_ask(command)} to add you.")

    async def _group_members(self) -> dict[str, set[str]]:
        if self.clock() - self._groups_at < GROUP_CACHE_SECONDS:
            return self._groups
        try:
            reply = await self.slack.usergroups_list(include_users=True)
        except SlackApiError as exc:  # fail closed: a group we can't read grants nobody
            log.warning("could not read Slack user groups: %s", exc.response.get("error"))
            return self._groups
        groups: dict[str, set[str]] = {}
        for group in reply.get("usergroups") or []:
            members = set(group.get("users") or [])
            groups[str(group.get("handle", "")).lower()] = members
            groups[str(group.get("id", "")).lower()] = members
        self._groups, self._groups_at = groups, self.clock()
        return groups


def mention(entry: str) -> str:
    if entry.startswith("@"):
        return entry
    if entry.startswith("S"):
        return f"<!subteam^{entry}>"
    return f"<@{entry}>"
