"""A loopback stand-in for Slack's Web API, for the demo and the scenario tests.

The bot's `AsyncWebClient(base_url=fake.api_url)` talks to it over real HTTP, so the bytes slack_sdk sends are
the bytes checked here. It keeps what floor staff would see (channel messages, ephemerals, open modals, App
Home) and refuses what real Slack refuses (stale triggers, over-long titles, stale view hashes, unknown
channels, bad tokens), because a fake that accepts everything lets the bugs through that bite on the floor.
Response shapes follow reference/slack/web-api-specs/web-api/slack_web_openapi_v2.json.

It also serves the `response_url`s that SlackWorkspace hands out with slash commands and clicks, so Bolt's
`respond()` lands here instead of hooks.slack.com.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any, Callable

from aiohttp import web
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

TRIGGER_LIFETIME_S = 3.0
VIEW_TEXT_LIMIT = 24  # title, submit and close of a modal
VIEW_BLOCK_LIMIT = 100
MESSAGE_BLOCK_LIMIT = 50
MESSAGE_TEXT_LIMIT = 40_000
PRIVATE_METADATA_LIMIT = 3000
CALLBACK_ID_LIMIT = 255
VIEW_SIZE_LIMIT = 250_000
VIEW_STACK_LIMIT = 3
RESPONSE_URL_USES = 5
RESPONSE_URL_LIFETIME_S = 30 * 60
POSTS_PER_SECOND = 1.0
POST_BURST = 3.0
BOT_SCOPES = "commands,chat:write,chat:write.public,users:read,files:read"

DEFAULT_USERS: dict[str, dict] = {
    "U0ANA": {"real_name": "Ana Lopez", "name": "ana"},
    "U0BEN": {"real_name": "Ben Carter", "name": "ben"},
    "U0SUP": {"real_name": "Sam Supervisor", "name": "sam"},
}
DEFAULT_CHANNELS: dict[str, str] = {"C0FLOOR": "floor", "C0SUPER": "supervisors", "C0KITCH": "kitchen"}


@dataclass
class ApiCall:
    method: str
    args: dict
    ok: bool
    error: str | None
    at: float


class SlackError(Exception):
    """An `{"ok": false}` answer; `messages` become response_metadata.messages as Slack sends them."""

    def __init__(self, error: str, *messages: str, status: int = 200, headers: dict | None = None) -> None:
        super().__init__(error, *messages)
        self.error, self.messages, self.status, self.headers = error, list(messages), status, headers or {}

    def body(self) -> dict:
        body: dict[str, Any] = {"ok": False, "error": self.error}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return body


@dataclass
class _Trigger:
    issued_at: float
    user_id: str | None
    view_id: str | None  # set when the person acted inside a modal: views.push stacks onto it
    used: bool = False


@dataclass
class _ResponseUrl:
    channel_id: str | None
    user_id: str | None
    message_ts: str | None
    issued_at: float
    uses: int = 0


class FakeSlack:
    bot_user_id = "U0SHOPBOT"
    bot_id = "B0SHOPBOT"
    app_id = "A0SHOPFLR"

    def __init__(self, *, bot_token: str = "xoxb-sandbox-token", team_id: str = "T0FLOOR",
                 users: dict[str, dict] | None = None, channels: dict[str, str] | None = None,
                 enforce_rate_limit: bool = False, clock: Callable[[], float] = time.time) -> None:
        self.bot_token, self.team_id, self.clock = bot_token, team_id, clock
        self.enforce_rate_limit = enforce_rate_limit
        self.users = {uid: _full_user(uid, team_id, u) for uid, u in (users or DEFAULT_USERS).items()}
        self.channels = dict(channels or DEFAULT_CHANNELS)
        self.calls: list[ApiCall] = []
        self.views: dict[str, dict] = {}
        self.closed_views: dict[str, dict] = {}
        self.view_errors: dict[str, dict[str, str]] = {}
        self.ui_errors: list[str] = []  # what Slack's client would show as "We had some trouble connecting"
        self.messages: list[dict] = []
        self.ephemerals: list[dict] = []
        self.home_views: dict[str, dict] = {}
        self.api_url = self.base_url = ""
        self._triggers: dict[str, _Trigger] = {}
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._waiters: list[tuple[Callable[[ApiCall], bool], asyncio.Future]] = []
        self._buckets: dict[str, tuple[float, float]] = {}
        self._seq = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._handlers: dict[str, Callable[[dict], dict]] = {
            "auth.test": self._auth_test, "chat.postMessage": self._post_message,
            "chat.update": self._update_message, "chat.postEphemeral": self._post_ephemeral,
            "views.open": self._open_view, "views.update": self._update_view, "views.push": self._push_view,
            "views.publish": self._publish_home, "users.info": self._user_info,
            "conversations.info": self._conversation_info,
        }

    # ---- lifecycle -------------------------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._serve_api)
        app.router.add_post("/hooks/{kind}/{token}", self._serve_response_url)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound_port = self._runner.addresses[0][1]
        self.base_url = f"http://{host}:{bound_port}/"
        self.api_url = f"{self.base_url}api/"
        return self.api_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        for _, future in self._waiters:
            future.cancel()

    # ---- what tests and the workspace simulator use ----------------------------------------------------
    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method == method]

    def issue_trigger_id(self, *, user_id: str | None = None, view_id: str | None = None) -> str:
        trigger_id = f"{int(self.clock())}.{next(self._seq)}.{secrets.token_hex(8)}"
        self._triggers[trigger_id] = _Trigger(self.clock(), user_id, view_id)
        return trigger_id

    def new_response_url(self, kind: str, *, channel_id: str | None, user_id: str | None,
                         message_ts: str | None = None) -> str:
        token = secrets.token_urlsafe(12)
        self._response_urls[token] = _ResponseUrl(channel_id, user_id, message_ts, self.clock())
        return f"{self.base_url}hooks/{kind}/{token}"

    async def wait_for(self, predicate: Callable[[ApiCall], bool], *, timeout: float = 5.0) -> ApiCall:
        for call in self.calls:
            if predicate(call):
                return call
        waiter = (predicate, asyncio.get_running_loop().create_future())
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(waiter[1], timeout)
        except asyncio.TimeoutError:
            raise TimeoutError(f"no matching Slack API call within {timeout}s; recent calls:\n"
                               + self._recent_calls()) from None
        finally:
            self._waiters.remove(waiter)

    def find_message(self, channel_id: str, ts: str) -> dict | None:
        return next((m for m in self.messages + self.ephemerals
                     if m["channel"] == channel_id and m["ts"] == ts), None)

    # Submission acks (response_action) change views on Slack's side without a Web API call.
    def replace_view(self, view_id: str, view: dict) -> dict:
        current = self._view_by_id(view_id)
        _check_view(view)
        return self._store_view(view, view_id=view_id, root=current["root_view_id"],
                                previous=current.get("previous_view_id"), external_id=current["external_id"])

    def push_view(self, onto_view_id: str, view: dict) -> dict:
        _check_view(view)
        return self._stack_view(view, self._view_by_id(onto_view_id))

    def close_view(self, view_id: str, *, whole_stack: bool = False) -> None:
        root = self._view_by_id(view_id)["root_view_id"]
        doomed = [v for v in self.views.values() if v["root_view_id"] == root] if whole_stack else [self.views[view_id]]
        for view in doomed:
            self.closed_views[view["id"]] = self.views.pop(view["id"])

    # ---- HTTP --------------------------------------------------------------------------------------------
    async def _serve_api(self, request: web.Request) -> web.Response:
        method, args = request.match_info["method"], {}
        try:
            args = await _read_args(request)
            self._check_token(request, args)
            handler = self._handlers.get(method)
            if handler is None:
                raise SlackError("unknown_method")
            self._throttle(method, args)
            body, status, headers = {"ok": True, **handler(args)}, 200, {}
        except SlackError as refusal:
            body, status, headers = refusal.body(), refusal.status, refusal.headers
        except (TypeError, AttributeError, KeyError, ValueError) as malformed:  # e.g. a title sent as a string
            body, status, headers = SlackError("invalid_arguments", repr(malformed)).body(), 200, {}
        self._record(ApiCall(method, args, body["ok"], body.get("error"), self.clock()))
        return web.json_response(body, status=status, headers={"X-OAuth-Scopes": BOT_SCOPES, **headers})

    async def _serve_response_url(self, request: web.Request) -> web.Response:
        hook = self._response_urls.get(request.match_info["token"])
        try:
            payload = await request.json()
        except ValueError:
            payload = None
        error = self._response_url_error(hook, payload)
        if error is None and hook is not None:
            hook.uses += 1
            self._deliver_response(hook, payload)
        self._record(ApiCall("response_url", payload if isinstance(payload, dict) else {}, error is None,
                             error, self.clock()))
        return web.Response(status=200 if error is None else 404, text=error or "ok")

    def _response_url_error(self, hook: _ResponseUrl | None, payload: Any) -> str | None:
        if hook is None:
            return "no_service"
        if not isinstance(payload, dict):
            return "invalid_payload"
        if hook.uses >= RESPONSE_URL_USES:
            return "used_url"
        if self.clock() - hook.issued_at > RESPONSE_URL_LIFETIME_S:
            return "expired_url"
        return None

    def _deliver_response(self, hook: _ResponseUrl, payload: dict) -> None:
        original = self.find_message(hook.channel_id or "", hook.message_ts or "") if hook.message_ts else None
        if original is not None and payload.get("delete_original"):
            for pile in (self.messages, self.ephemerals):
                if original in pile:
                    pile.remove(original)
        elif original is not None and payload.get("replace_original"):
            original.update(text=payload.get("text", ""), blocks=payload.get("blocks") or [])
        else:
            record = {"channel": hook.channel_id, "ts": self._next_ts(), "text": payload.get("text", ""),
                      "blocks": payload.get("blocks") or [], "thread_ts": payload.get("thread_ts")}
            if payload.get("response_type") == "in_channel":
                self.messages.append(record)
            else:
                self.ephemerals.append({**record, "user": hook.user_id})

    def _check_token(self, request: web.Request, args: dict) -> None:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else args.pop("token", "")
        args.pop("token", None)  # never keep a token in the recorded calls
        if not token:
            raise SlackError("not_authed")
        if token != self.bot_token:
            raise SlackError("invalid_auth")

    def _throttle(self, method: str, args: dict) -> None:
        if not self.enforce_rate_limit or method != "chat.postMessage":
            return
        channel, now = str(args.get("channel")), self.clock()
        tokens, last = self._buckets.get(channel, (POST_BURST, now))
        tokens = min(POST_BURST, tokens + (now - last) * POSTS_PER_SECOND)
        if tokens < 1:
            self._buckets[channel] = (tokens, now)
            raise SlackError("ratelimited", status=429, headers={"Retry-After": "1"})
        self._buckets[channel] = (tokens - 1, now)

    def _record(self, call: ApiCall) -> None:
        self.calls.append(call)
        for predicate, future in list(self._waiters):
            if future.done():
                continue
            try:
                if predicate(call):
                    future.set_result(call)
            except Exception as error:  # a broken predicate fails the test waiting on it, not the server
                future.set_exception(error)

    def _recent_calls(self, count: int = 15) -> str:
        lines = [f"  {c.method} ok={c.ok} error={c.error} args={json.dumps(c.args, default=str)[:300]}"
                 for c in self.calls[-count:]]
        return "\n".join(lines) or "  (no calls at all)"

    # ---- Web API methods ---------------------------------------------------------------------------------
    def _auth_test(self, args: dict) -> dict:
        return {"url": "https://floor-sandbox.slack.com/", "team": "Floor Sandbox", "user": "shopfloor",
                "team_id": self.team_id, "user_id": self.bot_user_id, "bot_id": self.bot_id,
                "is_enterprise_install": False}

    def _post_message(self, args: dict) -> dict:
        channel, dm_user = self._resolve_channel(args.get("channel"))
        _check_message_content(args)
        message = {"channel": channel, "ts": self._next_ts(), "text": args.get("text", ""),
                   "blocks": args.get("blocks") or [], "thread_ts": args.get("thread_ts")}
        if dm_user:
            message["user"] = dm_user  # the person whose DM this landed in
        self.messages.append(message)
        return {"channel": channel, "ts": message["ts"], "message": self._as_slack_message(message)}

    def _update_message(self, args: dict) -> dict:
        channel, _ = self._resolve_channel(args.get("channel"))
        message = next((m for m in self.messages if m["channel"] == channel and m["ts"] == args.get("ts")), None)
        if message is None:
            raise SlackError("message_not_found")
        _check_message_content(args)
        message.update({key: args[key] for key in ("text", "blocks") if key in args})
        return {"channel": channel, "ts": message["ts"], "text": message["text"],
                "message": self._as_slack_message(message)}

    def _post_ephemeral(self, args: dict) -> dict:
        channel, _ = self._resolve_channel(args.get("channel"))
        if args.get("user") not in self.users:
            raise SlackError("user_not_in_channel")
        _check_message_content(args)
        ephemeral = {"channel": channel, "user": args["user"], "ts": self._next_ts(),
                     "text": args.get("text", ""), "blocks": args.get("blocks") or [],
                     "thread_ts": args.get("thread_ts")}
        self.ephemerals.append(ephemeral)
        return {"message_ts": ephemeral["ts"]}

    def _open_view(self, args: dict) -> dict:
        view = _check_view(args.get("view"))
        self._use_trigger(args.get("trigger_id"))
        external_id = view.get("external_id") or ""
        if external_id and any(v["external_id"] == external_id for v in self.views.values()):
            raise SlackError("duplicate_external_id")
        return {"view": self._store_view(view, view_id=None, root=None, previous=None, external_id=external_id)}

    def _push_view(self, args: dict) -> dict:
        view = _check_view(args.get("view"))
        trigger = self._use_trigger(args.get("trigger_id"))
        under = self.views.get(trigger.view_id or "")
        if under is None:  # not pushed from inside a modal: it starts a stack of its own
            return {"view": self._store_view(view, view_id=None, root=None, previous=None, external_id="")}
        return {"view": self._stack_view(view, under)}

    def _update_view(self, args: dict) -> dict:
        current = self._find_view_to_update(args)
        if args.get("hash") and args["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        view = _check_view(args.get("view"))
        return {"view": self._store_view(view, view_id=current["id"], root=current["root_view_id"],
                                         previous=current.get("previous_view_id"),
                                         external_id=current["external_id"])}

    def _publish_home(self, args: dict) -> dict:
        user_id = args.get("user_id")
        if user_id not in self.users:
            raise SlackError("invalid_arguments", "invalid `user_id`")
        view = _check_view(args.get("view"))
        if view.get("type") != "home":
            raise SlackError("invalid_arguments", "views.publish only takes type home [json-pointer:/view/type]")
        current = self.home_views.get(user_id)
        if current and args.get("hash") and args["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        stored = self._full_view(view, view_id=current["id"] if current else None, root=None, previous=None,
                                 external_id=view.get("external_id") or "")
        self.home_views[user_id] = stored
        return {"view": copy.deepcopy(stored)}

    def _user_info(self, args: dict) -> dict:
        user = self.users.get(args.get("user", ""))
        if user is None:
            raise SlackError("user_not_found")
        return {"user": copy.deepcopy(user)}

    def _conversation_info(self, args: dict) -> dict:
        channel, _ = self._resolve_channel(args.get("channel"))
        name = self.channels.get(channel, "")
        return {"channel": {"id": channel, "name": name, "name_normalized": name, "is_channel": bool(name),
                            "is_im": not name, "is_private": False, "is_archived": False, "is_member": False,
                            "created": 1_600_000_000, "creator": "U0SUP"}}

    # ---- state helpers ---------------------------------------------------------------------------------
    def _resolve_channel(self, channel: Any) -> tuple[str, str | None]:
        """Channel id, '#name'/name, a user id (opens the DM) or a DM id → (channel id, DM person)."""
        if not channel:
            raise SlackError("channel_not_found")
        channel = str(channel)
        if channel in self.channels:
            return channel, None
        by_name = {name: cid for cid, name in self.channels.items()}
        if channel.lstrip("#") in by_name:
            return by_name[channel.lstrip("#")], None
        person = channel if channel in self.users else f"U{channel[1:]}" if channel.startswith("D") else None
        if person in self.users:
            return f"D{person[1:]}", person
        raise SlackError("channel_not_found")

    def _use_trigger(self, trigger_id: Any) -> _Trigger:
        trigger = self._triggers.get(str(trigger_id or ""))
        if trigger is None:
            raise SlackError("invalid_trigger_id")
        if trigger.used or self.clock() - trigger.issued_at > TRIGGER_LIFETIME_S:
            raise SlackError("expired_trigger_id")
        trigger.used = True
        return trigger

    def _find_view_to_update(self, args: dict) -> dict:
        if not args.get("view_id") and not args.get("external_id"):
            raise SlackError("invalid_arguments", "either view_id or external_id is required")
        for view in self.views.values():
            if view["id"] == args.get("view_id") or (args.get("external_id") and
                                                     view["external_id"] == args.get("external_id")):
                return view
        raise SlackError("not_found")

    def _view_by_id(self, view_id: str) -> dict:
        if view_id not in self.views:
            raise SlackError("not_found", f"view {view_id} is not open")
        return self.views[view_id]

    def _stack_view(self, view: dict, under: dict) -> dict:
        root = under["root_view_id"]
        if sum(v["root_view_id"] == root for v in self.views.values()) >= VIEW_STACK_LIMIT:
            raise SlackError("push_limit_reached")
        return self._store_view(view, view_id=None, root=root, previous=under["id"], external_id="")

    def _store_view(self, view: dict, *, view_id: str | None, root: str | None, previous: str | None,
                    external_id: str) -> dict:
        stored = self._full_view(view, view_id=view_id, root=root, previous=previous, external_id=external_id)
        self.views[stored["id"]] = stored
        self.view_errors.pop(stored["id"], None)
        return copy.deepcopy(stored)

    def _full_view(self, view: dict, *, view_id: str | None, root: str | None, previous: str | None,
                   external_id: str) -> dict:
        view_id = view_id or f"V0{next(self._seq):07d}"
        return {
            "id": view_id, "team_id": self.team_id, "type": view.get("type", "modal"),
            "blocks": copy.deepcopy(view.get("blocks", [])), "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""), "state": {"values": {}},
            "hash": f"{int(self.clock())}.{secrets.token_hex(4)}", "title": view.get("title"),
            "clear_on_close": bool(view.get("clear_on_close")), "notify_on_close": bool(view.get("notify_on_close")),
            "close": view.get("close"), "submit": view.get("submit"), "previous_view_id": previous,
            "root_view_id": root or view_id, "app_id": self.app_id, "external_id": external_id,
            "app_installed_team_id": self.team_id, "bot_id": self.bot_id,
        }

    def _as_slack_message(self, message: dict) -> dict:
        return {"type": "message", "user": self.bot_user_id, "bot_id": self.bot_id, "app_id": self.app_id,
                "team": self.team_id, "text": message["text"], "blocks": message["blocks"], "ts": message["ts"],
                **({"thread_ts": message["thread_ts"]} if message.get("thread_ts") else {})}

    def _next_ts(self) -> str:
        return f"{int(self.clock())}.{next(self._seq):06d}"


# ---- request parsing and Slack's checks ------------------------------------------------------------------
async def _read_args(request: web.Request) -> dict:
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


def _check_message_content(args: dict) -> None:
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


def _check_view(view: Any) -> dict:
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


def _full_user(user_id: str, team_id: str, user: dict) -> dict:
    real_name = user.get("real_name", user_id)
    name = user.get("name", real_name.split()[0].lower())
    profile = {"real_name": real_name, "real_name_normalized": real_name, "display_name": user.get("display_name", ""),
               "display_name_normalized": user.get("display_name", ""), "email": f"{name}@floor.example",
               "team": team_id, **user.get("profile", {})}
    return {"id": user_id, "team_id": team_id, "name": name, "real_name": real_name, "deleted": False,
            "is_bot": False, "is_app_user": False, "is_admin": False, "tz": "Europe/London",
            "tz_label": "Greenwich Mean Time", "tz_offset": 0, "updated": 1_700_000_000,
            **{k: v for k, v in user.items() if k not in ("profile", "real_name", "name")}, "profile": profile}
