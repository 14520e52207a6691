"""What the floor needs from the things around it, as small Protocols that `bot/` implements.

`commands/` builds Block Kit views and messages (plain data) but never calls Slack itself: it hands them
to a `SlackPort`. The composition root (`bot.app`) plugs in the real one (`bot.slack_port.SlackWeb`, over
slack_sdk's client); nothing here knows Bolt, slack_sdk's client or HTTP.

A call Slack refuses raises `SlackRefused` with Slack's error code (`channel_not_found`, `not_in_channel`,
`view_not_found`…). Callers decide what a refusal means for the floor; none of them may fail a recording.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

Message = dict[str, Any]  # a chat message: `text` (the fallback) and `blocks`
View = dict[str, Any]  # a modal or App Home view


class SlackRefused(Exception):
    """Slack answered `ok: false` (or could not be reached); `error` is its error code."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


@dataclass(frozen=True)
class Posted:
    """Where a message landed: enough to update it later."""

    channel: str
    ts: str


@dataclass(frozen=True)
class OpenedView:
    id: str
    hash: str


class SlackPort(Protocol):
    async def open_view(self, trigger_id: str, view: View) -> OpenedView: ...

    async def update_view(self, view_id: str, view: View, *, hash: str | None = None) -> None: ...

    async def publish_home(self, user_id: str, view: View) -> None: ...

    async def post(self, channel: str, message: Message, *, thread_ts: str | None = None,
                   metadata: dict[str, Any] | None = None) -> Posted: ...

    async def update(self, channel: str, ts: str, message: Message) -> None: ...

    async def post_private(self, channel: str, user: str, text: str) -> None:
        """An ephemeral message: only `user` sees it, in `channel`."""

    async def history(self, channel: str, *, oldest: float, limit: int) -> list[dict[str, Any]]:
        """Messages posted in `channel` since `oldest` (epoch seconds), with their metadata."""

    async def person_name(self, user_id: str, fallback: str | None = None) -> str:
        """The person's name as the floor knows it (real name, else handle, else `fallback`)."""


class Ack(Protocol):
    """Answers the Slack request being handled (Bolt's `ack`): called once, before anything slow."""

    async def __call__(self, *, response_action: str | None = None, errors: dict[str, str] | None = None,
                       view: View | None = None, text: str | None = None) -> None: ...


class Permissions(Protocol):
    """Who may use which command (`bot.permissions`): per-command allow lists of people and groups."""

    async def allows(self, user_id: str, command: str) -> bool: ...

    def refusal(self, command: str) -> str: ...


@dataclass(frozen=True)
class Submission:
    """A submitted modal, as the floor needs it: who, and the view with its state and metadata."""

    user_id: str
    user_name: str
    view: View

    @property
    def key(self) -> str:
        """Slack re-sends the same view id and hash for a double click or a retry: one action."""
        return f"{self.view['id']}:{self.view.get('hash') or ''}"


@dataclass(frozen=True)
class Tap:
    """A button tapped: who, its value, and where (a channel message, or their App Home)."""

    user_id: str
    value: str
    channel: str | None = None
    message_ts: str | None = None
    trigger_id: str | None = None
    in_home: bool = False
