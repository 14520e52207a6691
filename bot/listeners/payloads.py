"""Slack's interaction payloads, read into what the floor needs: who tapped what, where; who submitted
which view. Slack's shapes differ by surface (a channel message, an ephemeral, App Home)."""
from __future__ import annotations

from typing import Any

from commands.ports import Submission, Tap


def tap_of(body: dict[str, Any]) -> Tap:
    container = body.get("container") or {}
    actions = body.get("actions") or [{}]
    return Tap(
        user_id=str((body.get("user") or {}).get("id") or ""), value=str(actions[0].get("value") or ""),
        channel=container.get("channel_id") or (body.get("channel") or {}).get("id"),
        message_ts=container.get("message_ts") or (body.get("message") or {}).get("ts"),
        trigger_id=body.get("trigger_id"),
        in_home=container.get("type") == "view" and (body.get("view") or {}).get("type") == "home")


def submission_of(body: dict[str, Any]) -> Submission:
    user = body.get("user") or {}
    user_id = str(user.get("id") or "?")
    return Submission(user_id=user_id, user_name=str(user.get("name") or user.get("username") or user_id),
                      view=body["view"])


def first_input(view: dict[str, Any], default: str = "mo") -> str:
    """The block id of the view's first input: where a refusal shows when no field is at fault."""
    return next((str(b.get("block_id")) for b in view.get("blocks") or [] if b.get("type") == "input"), default)
