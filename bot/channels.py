"""The bot in its channels: joining the floor channel, and saying where it is not a member.

`chat:write.public` lets the bot post in a public channel without joining it, but Slack shows a channel's
history only to members: after a crash in the middle of posting a task, the bot reads the floor channel's
history to find the message before posting it again (commands.chain). So the bot joins FLOOR_CHANNEL at
start-up (`conversations.join`, scope `channels:join`), and joins again when history says it is not in it.
A private channel cannot be joined, only invited to (`/invite @shopfloor`).

`/healthz` and `python -m bot check` show each configured channel: is the bot in it, and what follows if not.
The scheduler refreshes the picture every few minutes, so /healthz never waits for Slack.
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import Any

from bot.settings import Settings
from commands.ports import SlackPort, SlackRefused

log = logging.getLogger(__name__)

CHECK_EVERY_SECONDS = 600
CHANNEL_SETTINGS = ("floor_channel", "supervisor_channel", "report_channel", "alerts_inventory_channel",
                    "alerts_quality_channel", "alerts_escalation_channel")
PRIVATE = "method_not_supported_for_channel_type"
INVITE = "invite the bot there (/invite @shopfloor)"
NOT_IN_FLOOR = ("the bot is not a member: after a crash it cannot look in the channel's history for a task "
                "message it may have posted, and could post it twice. It joins at start-up; " + INVITE +
                ", or reinstall the app so it has channels:join")
REFUSALS = {
    "channel_not_found": "Slack does not show it to the bot: a wrong id, or a private channel — " + INVITE,
    "missing_scope": "the app lacks channels:read/groups:read: reinstall it from manifest.yml",
}


@dataclass
class ChannelCheck:
    variable: str  # the setting, e.g. FLOOR_CHANNEL
    channel: str
    member: bool | None  # None: Slack did not say
    ok: bool
    detail: str


async def join_floor_channel(slack: SlackPort, channel: str | None) -> bool:
    """At start-up (every replica; joining again is harmless). A refusal is logged, never fatal."""
    if not channel:
        return False
    try:
        await slack.join(channel)
        return True
    except SlackRefused as exc:
        why = "it is private: " + INVITE if exc.error == PRIVATE else exc.error
        log.warning("could not join FLOOR_CHANNEL %s (%s); crash recovery cannot read its history", channel, why)
        return False


async def check_channel(slack: SlackPort, variable: str, channel: str) -> ChannelCheck:
    try:
        info = await slack.channel(channel)
    except SlackRefused as exc:
        return ChannelCheck(variable, channel, None, False, REFUSALS.get(exc.error, f"Slack refused: {exc.error}"))
    if info.is_archived:
        return ChannelCheck(variable, channel, info.is_member, False, "archived: nothing can be posted there")
    if info.is_member:
        return ChannelCheck(variable, channel, True, True, "the bot is a member")
    if variable == "FLOOR_CHANNEL":
        return ChannelCheck(variable, channel, False, False, NOT_IN_FLOOR)
    return ChannelCheck(variable, channel, False, True, "not a member; posts without joining (chat:write.public)")


async def check_channels(slack: SlackPort, settings: Settings) -> list[ChannelCheck]:
    checks = []
    for name in CHANNEL_SETTINGS:
        channel = getattr(settings, name)
        if channel:
            checks.append(await check_channel(slack, name.upper(), channel))
    return checks


class ChannelWatch:
    """The last picture of the bot's channels, for /healthz (which must not wait for Slack)."""

    def __init__(self, slack: SlackPort, settings: Settings) -> None:
        self.slack, self.settings = slack, settings
        self.checks: list[ChannelCheck] | None = None  # None: not looked yet

    async def join_and_look(self) -> None:
        await join_floor_channel(self.slack, self.settings.floor_channel)
        await self.look()

    async def look(self) -> None:
        self.checks = await check_channels(self.slack, self.settings)
        for check in self.checks:
            if not check.ok:
                log.warning("%s %s: %s", check.variable, check.channel, check.detail)

    def report(self) -> dict[str, Any]:
        if self.checks is None:
            return {"checked": False, "ok": None, "channels": []}
        return {"checked": True, "ok": all(c.ok for c in self.checks), "channels": [asdict(c) for c in self.checks]}
