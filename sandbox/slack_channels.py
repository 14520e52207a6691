"""Who is in which channel, for FakeSlack, and what Slack lets a bot token do there.

The rules, from Slack's method pages (docs.slack.dev/reference/methods/…) and the scopes they name:
- `conversations.history` works only in a conversation the bot is a member of (`not_in_channel` otherwise);
  scope `channels:history` (public) or `groups:history` (private);
- `conversations.join` joins a public channel (scope `channels:join`; `already_in_channel` is a warning, not an
  error); a private channel cannot be joined, only invited to (`method_not_supported_for_channel_type`); an
  archived one answers `is_archived`;
- `conversations.info` answers `is_member` for the caller; scope `channels:read` / `groups:read`; a private
  channel the bot is not in is invisible to it (`channel_not_found`);
- `chat.postMessage` needs membership in a private channel; in a public one membership or `chat:write.public`
  (the scope that lets the bot post "without joining").
A channel starts with every person of the workspace in it and not the bot: the bot is in a channel only when
it joined or was invited (`invite`), the way a freshly installed app finds a workspace.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sandbox.slack_rules import SlackError

MANIFEST = Path(__file__).resolve().parents[1] / "manifest.yml"


def manifest_scopes() -> list[str]:
    """The bot scopes the app asks for: what an install of manifest.yml grants the bot token, so a scope the
    manifest forgot fails here as it would in a real workspace."""
    manifest = yaml.safe_load(MANIFEST.read_text())
    return list(manifest["oauth_config"]["scopes"]["bot"])


@dataclass
class Roster:
    """Members of each channel (by id), which channels are private or archived."""

    people: Iterable[str]  # the workspace's people: every channel has them unless told otherwise
    scopes: Callable[[], list[str]]  # what the bot token was granted, read at each call
    bot: str = "U0SHOPBOT"
    private: set[str] = field(default_factory=set)
    archived: set[str] = field(default_factory=set)
    _members: dict[str, set[str]] = field(default_factory=dict)

    def members(self, channel: str) -> set[str]:
        if channel not in self._members:
            self._members[channel] = set(self.people)
        return self._members[channel]

    def is_member(self, channel: str, user: str | None = None) -> bool:
        return (user or self.bot) in self.members(channel)

    def invite(self, channel: str, user: str | None = None) -> None:
        self.members(channel).add(user or self.bot)

    def remove(self, channel: str, user: str | None = None) -> None:
        """`/remove @shopfloor` (or a person leaving)."""
        self.members(channel).discard(user or self.bot)

    def make_private(self, channel: str) -> None:
        self.private.add(channel)

    # ---- what the bot token may do ----------------------------------------------------------------
    def _needs(self, scope: str) -> None:
        granted = self.scopes()
        if scope not in granted:
            raise SlackError("missing_scope", fields={"needed": scope, "provided": ",".join(granted)})

    def can_see(self, channel: str) -> None:
        """conversations.info: a private channel the bot is not in does not exist for it."""
        self._needs("groups:read" if channel in self.private else "channels:read")
        if channel in self.private and not self.is_member(channel):
            raise SlackError("channel_not_found")

    def can_read(self, channel: str) -> None:
        self._needs("groups:history" if channel in self.private else "channels:history")
        if channel in self.private and not self.is_member(channel):
            raise SlackError("channel_not_found")
        if not self.is_member(channel):
            raise SlackError("not_in_channel")

    def can_post(self, channel: str) -> None:
        self._needs("chat:write")
        if channel in self.archived:
            raise SlackError("is_archived")
        if self.is_member(channel):
            return
        if channel in self.private or "chat:write.public" not in self.scopes():
            raise SlackError("not_in_channel")

    def join(self, channel: str) -> bool:
        """The bot joins; True when it was a member already (Slack's `already_in_channel` warning)."""
        self._needs("channels:join")
        if channel in self.private:  # (what bots report from Slack: github.com/slackapi/bolt-js/issues/1656)
            raise SlackError("method_not_supported_for_channel_type")
        if channel in self.archived:
            raise SlackError("is_archived")
        already = self.is_member(channel)
        self.invite(channel)
        return already
