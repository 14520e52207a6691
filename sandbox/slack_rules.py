"""What real Slack refuses, for FakeSlack: reading a Web API request's arguments and checking them.

Kept apart from the server in sandbox.slack so the rules can be read (and tightened) in one place. The
limits and error strings follow Slack's documented behaviour and
reference/slack/web-api-specs/web-api/slack_web_openapi_v2.json; each refusal raises SlackError, which the
server turns into an `{"ok": false}` answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

TRIGGER_LIFETIME_S = 3.0
RESPONSE_URL_USES = 5
RESPONSE_URL_LIFETIME_S = 30 * 60
POSTS_PER_SECOND = 1.0  # chat.postMessage per channel, with a small burst on top
POST_BURST = 3.0
VIEW_TEXT_LIMIT = 24  # title, submit and close of a modal
VIEW_BLOCK_LIMIT = 100
MESSAGE_BLOCK_LIMIT = 50
MESSAGE_TEXT_LIMIT = 40_000
PRIVATE_METADATA_LIMIT = 3000
CALLBACK_ID_LIMIT = 255
VIEW_SIZE_LIMIT = 250_000


class SlackError(Exception):
    """An `{"ok": false}` answer; `messages` become response_metadata.messages as Slack sends them."""

    def __init__(self, error: str, *messages: str, status: int = 200, headers: dict | None = None,
                 fields: dict | None = None) -> None:
        super().__init__(error, *messages)
        self.error, self.messages, self.status, self.headers = error, list(messages), status, headers or {}
        self.fields = fields or {}  # e.g. missing_scope's `needed` and `provided`

    def body(self) -> dict:
        body: dict[str, Any] = {"ok": False, "error": self.error, **self.fields}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return body


@dataclass
class Trigger:
    issued_at: float
    user_id: str | None
    view_id: str | None  # set when the person acted inside a modal: views.push stacks onto it
    used: bool = False


@dataclass
class ResponseUrl:
    channel_id: str | None
    user_id: str | None
    message_ts: str | None
    issued_at: float
    uses: int = 0


async def read_args(request: web.Request) -> dict:
    args: dict[str, Any] = dict(request.query)
    if request.method == "POST" and request.body_exists:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise SlackError("invalid_json") from None
            if not isinstance(body, dict):
                raise SlackError("json_not_object")
            args.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            args.update({key: str(value) for key, value in (await request.post()).items()})
        else:
            raise SlackError("invalid_post_type")
    for key in ("blocks", "view", "attachments"):  # form bodies carry these as JSON text
        if isinstance(args.get(key), str):
            try:
                args[key] = json.loads(args[key])
            except ValueError:
                raise SlackError("invalid_arguments", f"`{key}` is not valid JSON") from None
    return args


def check_message_content(args: dict) -> None:
    if not (args.get("text") or args.get("blocks") or args.get("attachments")):
        raise SlackError("no_text")
    if len(str(args.get("text") or "")) > MESSAGE_TEXT_LIMIT:
        raise SlackError("msg_too_long")
    blocks = args.get("blocks") or []
    problems = [f"must be less than {MESSAGE_BLOCK_LIMIT + 1} items [json-pointer:/blocks]"] \
        if len(blocks) > MESSAGE_BLOCK_LIMIT else []
    problems += _block_problems(blocks, "/blocks")
    if problems:
        raise SlackError("invalid_blocks", *problems)


def check_view(view: Any) -> dict:
    if not isinstance(view, dict):
        raise SlackError("invalid_arguments", "missing required field: view")
    if len(json.dumps(view)) > VIEW_SIZE_LIMIT:
        raise SlackError("view_too_large")
    problems = _view_problems(view) + _block_problems(view.get("blocks") or [], "/view/blocks")
    if problems:
        raise SlackError("invalid_arguments", *problems)
    return view


def _view_problems(view: dict) -> list[str]:
    problems = []
    if view.get("type") not in ("modal", "home"):
        problems.append("must be one of modal, home [json-pointer:/view/type]")
    if view.get("type") == "modal" and not view.get("title"):
        problems.append("missing required field: title [json-pointer:/view]")
    for key in ("title", "submit", "close"):
        text = (view.get(key) or {}).get("text", "")
        if len(text) > VIEW_TEXT_LIMIT:
            problems.append(f"must be less than {VIEW_TEXT_LIMIT + 1} characters [json-pointer:/view/{key}/text]")
    blocks = view.get("blocks") or []
    if view.get("type") == "modal" and not view.get("submit") and any(b.get("type") == "input" for b in blocks):
        problems.append("submit is required when blocks contain input [json-pointer:/view/submit]")
    if len(blocks) > VIEW_BLOCK_LIMIT:
        problems.append(f"must be less than {VIEW_BLOCK_LIMIT + 1} items [json-pointer:/view/blocks]")
    for key, limit in (("private_metadata", PRIVATE_METADATA_LIMIT), ("callback_id", CALLBACK_ID_LIMIT),
                       ("external_id", CALLBACK_ID_LIMIT)):
        if len(str(view.get(key) or "")) > limit:
            problems.append(f"must be less than {limit + 1} characters [json-pointer:/view/{key}]")
    return problems


def _block_problems(blocks: list, pointer: str) -> list[str]:
    problems, seen_ids = [], set()
    for index, block in enumerate(blocks):
        where = f"[json-pointer:{pointer}/{index}]"
        block_id = block.get("block_id") if isinstance(block, dict) else None
        if block_id and block_id in seen_ids:
            problems.append(f"duplicate block_id {block_id!r} {where}")
        seen_ids.add(block_id)
        try:  # slack_sdk's models carry Slack's per-element limits (text lengths, option counts, …)
            parsed = Block.parse(block) if isinstance(block, dict) else None
            if parsed is None:
                problems.append(f"unsupported block {str(block)[:80]} {where}")
            else:
                parsed.to_dict()
        except (SlackObjectFormationError, KeyError, TypeError, ValueError) as error:
            problems.append(f"{error} {where}")
    return problems


def full_user(user_id: str, team_id: str, user: dict) -> dict:
    real_name = user.get("real_name", user_id)
    name = user.get("name", real_name.split()[0].lower())
    profile = {"real_name": real_name, "real_name_normalized": real_name, "display_name": user.get("display_name", ""),
               "display_name_normalized": user.get("display_name", ""), "email": f"{name}@floor.example",
               "team": team_id, **user.get("profile", {})}
    return {"id": user_id, "team_id": team_id, "name": name, "real_name": real_name, "deleted": False,
            "is_bot": False, "is_app_user": False, "is_admin": False, "tz": "Europe/London",
            "tz_label": "Greenwich Mean Time", "tz_offset": 0, "updated": 1_700_000_000,
            **{k: v for k, v in user.items() if k not in ("profile", "real_name", "name")}, "profile": profile}


# ---- tokens, triggers, response_urls and the posting budget -------------------------------------------------
def check_token(authorization: str, args: dict, bot_token: str) -> None:
    token = (authorization.removeprefix("Bearer ").strip() if authorization.startswith("Bearer ")
             else args.pop("token", ""))
    args.pop("token", None)  # never keep a token in the recorded calls
    if not token:
        raise SlackError("not_authed")
    if token != bot_token:
        raise SlackError("invalid_auth")


def use_trigger(trigger: Trigger | None, now: float) -> Trigger:
    """A trigger_id opens one modal, within a few seconds of the click or command that minted it."""
    if trigger is None:
        raise SlackError("invalid_trigger_id")
    if trigger.used or now - trigger.issued_at > TRIGGER_LIFETIME_S:
        raise SlackError("expired_trigger_id")
    trigger.used = True
    return trigger


def response_url_refusal(hook: ResponseUrl | None, payload: Any, now: float) -> str | None:
    if hook is None:
        return "no_service"
    if not isinstance(payload, dict):
        return "invalid_payload"
    if hook.uses >= RESPONSE_URL_USES:
        return "used_url"
    if now - hook.issued_at > RESPONSE_URL_LIFETIME_S:
        return "expired_url"
    return None


def spend_post_token(bucket: tuple[float, float] | None, now: float) -> tuple[tuple[float, float], bool]:
    """One channel's token bucket (tokens, last refill) after a post attempt, and whether the post may go."""
    tokens, last = bucket or (POST_BURST, now)
    tokens = min(POST_BURST, tokens + (now - last) * POSTS_PER_SECOND)
    if tokens < 1:
        return (tokens, now), False
    return (tokens - 1, now), True
