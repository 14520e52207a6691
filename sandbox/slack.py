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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from sandbox.slack_rules import (  # noqa: F401 - limits and SlackError stay importable from here
    CALLBACK_ID_LIMIT,
    MESSAGE_BLOCK_LIMIT,
    MESSAGE_TEXT_LIMIT,
    POST_BURST,
    POSTS_PER_SECOND,
    PRIVATE_METADATA_LIMIT,
    RESPONSE_URL_LIFETIME_S,
    RESPONSE_URL_USES,
    TRIGGER_LIFETIME_S,
    VIEW_BLOCK_LIMIT,
    VIEW_SIZE_LIMIT,
    VIEW_TEXT_LIMIT,
    ResponseUrl,
    SlackError,
    Trigger,
    check_message_content,
    check_token,
    check_view,
    full_user,
    read_args,
    response_url_refusal,
    spend_post_token,
    use_trigger,
)
from sandbox.slack_uploads import FILES_SCOPE, FileUploads

VIEW_STACK_LIMIT = 3
BOT_SCOPES = "commands,chat:write,chat:write.public,users:read,files:read,files:write,usergroups:read"

DEFAULT_USERS: dict[str, dict] = {
    "U0ANA": {"real_name": "Ana Lopez", "name": "ana"},
    "U0BEN": {"real_name": "Ben Carter", "name": "ben"},
    "U0SUP": {"real_name": "Sam Supervisor", "name": "sam"},
}
DEFAULT_CHANNELS: dict[str, str] = {"C0FLOOR": "floor", "C0SUPER": "supervisors", "C0KITCH": "kitchen"}
DEFAULT_USERGROUPS: dict[str, dict] = {
    "S0KITCH": {"handle": "kitchen-team", "name": "Kitchen team", "users": ["U0ANA", "U0BEN"]},
    "S0SUPER": {"handle": "supervisors", "name": "Supervisors", "users": ["U0SUP"]},
}


@dataclass
class ApiCall:
    method: str
    args: dict
    ok: bool
    error: str | None
    at: float


class FakeSlack:
    bot_user_id = "U0SHOPBOT"
    bot_id = "B0SHOPBOT"
    app_id = "A0SHOPFLR"

    def __init__(self, *, bot_token: str = "xoxb-sandbox-token", team_id: str = "T0FLOOR",
                 users: dict[str, dict] | None = None, channels: dict[str, str] | None = None,
                 enforce_rate_limit: bool = False, clock: Callable[[], float] = time.time) -> None:
        self.bot_token, self.team_id, self.clock = bot_token, team_id, clock
        self.enforce_rate_limit = enforce_rate_limit
        self.users = {uid: full_user(uid, team_id, u) for uid, u in (users or DEFAULT_USERS).items()}
        self.channels = dict(channels or DEFAULT_CHANNELS)
        self.calls: list[ApiCall] = []
        self.views: dict[str, dict] = {}
        self.closed_views: dict[str, dict] = {}
        self.view_errors: dict[str, dict[str, str]] = {}
        self.ui_errors: list[str] = []  # what Slack's client would show as "We had some trouble connecting"
        self.messages: list[dict] = []
        self.ephemerals: list[dict] = []
        self.home_views: dict[str, dict] = {}
        self.files: dict[str, dict] = {}
        self.uploads = FileUploads()  # the two-step upload (sandbox/slack_uploads.py); `.shared` holds the files
        self.scopes = BOT_SCOPES.split(",")  # what the bot token was granted (a test may take one away)
        self.api_url = self.base_url = ""
        self._triggers: dict[str, Trigger] = {}
        self._response_urls: dict[str, ResponseUrl] = {}
        self._waiters: list[tuple[Callable[[ApiCall], bool], asyncio.Future]] = []
        self._buckets: dict[str, tuple[float, float]] = {}
        self._seq = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._handlers: dict[str, Callable[[dict], dict]] = {
            "auth.test": self._auth_test, "chat.postMessage": self._post_message,
            "chat.update": self._update_message, "chat.postEphemeral": self._post_ephemeral,
            "views.open": self._open_view, "views.update": self._update_view, "views.push": self._push_view,
            "views.publish": self._publish_home, "users.info": self._user_info,
            "conversations.info": self._conversation_info, "usergroups.list": self._usergroups,
            "usergroups.users.list": self._usergroup_users, "conversations.history": self._history,
            "files.getUploadURLExternal": self._get_upload_url, "files.completeUploadExternal": self._complete_upload,
        }
        # User groups (@handles) people can be allowed by: {id: {"handle", "name", "users"}}.
        self.usergroups: dict[str, dict] = copy.deepcopy(DEFAULT_USERGROUPS)

    # ---- files (what a file_input submission points at) ----------------------------------------------
    def add_file(self, name: str, content: bytes, mimetype: str, *, served_as: str | None = None) -> dict:
        """Store a file as Slack would after an upload; returns the file object a submission carries.
        `served_as` overrides the Content-Type the download answers with (to model odd hosts)."""
        file_id = f"F{next(self._seq):08d}"
        self.files[file_id] = {"content": content, "content_type": served_as or mimetype}
        url = f"{self.base_url}files-pri/{self.team_id}-{file_id}/download/{name}"
        return {"id": file_id, "name": name, "title": name, "mimetype": mimetype,
                "filetype": name.rsplit(".", 1)[-1], "size": len(content), "url_private": url,
                "url_private_download": url, "is_external": False}

    async def _serve_file(self, request: web.Request) -> web.StreamResponse:
        # Like Slack: without the bot token, an HTML login page (status 200), not an error.
        if request.headers.get("Authorization") != f"Bearer {self.bot_token}":
            return web.Response(text="<html><body>Sign in to Slack</body></html>", content_type="text/html")
        stored = self.files.get(request.match_info["file_id"])
        if stored is None:
            return web.Response(status=404, text="not found")
        return web.Response(body=stored["content"], headers={"Content-Type": stored["content_type"]})

    # ---- lifecycle -------------------------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._serve_api)
        app.router.add_post("/hooks/{kind}/{token}", self._serve_response_url)
        app.router.add_get("/files-pri/{team}-{file_id}/download/{name}", self._serve_file)
        app.router.add_post("/upload/v1/{token}", self._serve_upload)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound_port = self._runner.addresses[0][1]
        self.base_url = f"http://{host}:{bound_port}/"
        self.api_url = f"{self.base_url}api/"
        self.uploads.base_url = self.base_url
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
        self._triggers[trigger_id] = Trigger(self.clock(), user_id, view_id)
        return trigger_id

    def new_response_url(self, kind: str, *, channel_id: str | None, user_id: str | None,
                         message_ts: str | None = None) -> str:
        token = secrets.token_urlsafe(12)
        self._response_urls[token] = ResponseUrl(channel_id, user_id, message_ts, self.clock())
        return f"{self.base_url}hooks/{kind}/{token}"

    async def wait_for(self, predicate: Callable[[ApiCall], bool], *, timeout: float = 5.0) -> ApiCall:
        for call in self.calls:
            if predicate(call):
                return call
        waiter = (predicate, asyncio.get_running_loop().create_future())
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(waiter[1], timeout)
        except TimeoutError:
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
        check_view(view)
        return self._store_view(view, view_id=view_id, root=current["root_view_id"],
                                previous=current.get("previous_view_id"), external_id=current["external_id"])

    def push_view(self, onto_view_id: str, view: dict) -> dict:
        check_view(view)
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
            args = await read_args(request)
            check_token(request.headers.get("Authorization", ""), args, self.bot_token)
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
        return web.json_response(body, status=status, headers={"X-OAuth-Scopes": ",".join(self.scopes), **headers})

    async def _serve_upload(self, request: web.Request) -> web.Response:
        """Step 2 of a file upload: the bytes, POSTed to the URL files.getUploadURLExternal gave out."""
        status, text, seen = await self.uploads.receive(request)
        self._record(ApiCall("upload", seen, status == 200, None if status == 200 else text, self.clock()))
        return web.Response(status=status, text=text)

    async def _serve_response_url(self, request: web.Request) -> web.Response:
        hook = self._response_urls.get(request.match_info["token"])
        try:
            payload = await request.json()
        except ValueError:
            payload = None
        error = response_url_refusal(hook, payload, self.clock())
        if error is None and hook is not None:
            hook.uses += 1
            self._deliver_response(hook, payload)
        self._record(ApiCall("response_url", payload if isinstance(payload, dict) else {}, error is None,
                             error, self.clock()))
        return web.Response(status=200 if error is None else 404, text=error or "ok")

    def _deliver_response(self, hook: ResponseUrl, payload: dict) -> None:
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

    def _throttle(self, method: str, args: dict) -> None:
        if not self.enforce_rate_limit or method != "chat.postMessage":
            return
        channel = str(args.get("channel"))
        self._buckets[channel], allowed = spend_post_token(self._buckets.get(channel), self.clock())
        if not allowed:
            raise SlackError("ratelimited", status=429, headers={"Retry-After": "1"})

    def _record(self, call: ApiCall) -> None:
        self.calls.append(call)
        for predicate, future in list(self._waiters):
            if future.done():
                continue
            try:
                if predicate(call):
                    future.set_result(call)
            except Exception as error:  # noqa: BLE001 — a broken predicate fails the test waiting on it, not the server
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
        check_message_content(args)
        message = {"channel": channel, "ts": self._next_ts(), "text": args.get("text", ""),
                   "blocks": args.get("blocks") or [], "thread_ts": args.get("thread_ts")}
        metadata = args.get("metadata")
        if metadata:  # form posts carry it as a JSON string, JSON posts as an object
            message["metadata"] = json.loads(metadata) if isinstance(metadata, str) else metadata
        if dm_user:
            message["user"] = dm_user  # the person whose DM this landed in
        self.messages.append(message)
        return {"channel": channel, "ts": message["ts"], "message": self._as_slack_message(message)}

    def _update_message(self, args: dict) -> dict:
        channel, _ = self._resolve_channel(args.get("channel"))
        message = next((m for m in self.messages if m["channel"] == channel and m["ts"] == args.get("ts")), None)
        if message is None:
            raise SlackError("message_not_found")
        check_message_content(args)
        message.update({key: args[key] for key in ("text", "blocks") if key in args})
        return {"channel": channel, "ts": message["ts"], "text": message["text"],
                "message": self._as_slack_message(message)}

    def _post_ephemeral(self, args: dict) -> dict:
        channel, _ = self._resolve_channel(args.get("channel"))
        if args.get("user") not in self.users:
            raise SlackError("user_not_in_channel")
        check_message_content(args)
        ephemeral = {"channel": channel, "user": args["user"], "ts": self._next_ts(),
                     "text": args.get("text", ""), "blocks": args.get("blocks") or [],
                     "thread_ts": args.get("thread_ts")}
        self.ephemerals.append(ephemeral)
        return {"message_ts": ephemeral["ts"]}

    def _open_view(self, args: dict) -> dict:
        view = check_view(args.get("view"))
        self._use_trigger(args.get("trigger_id"))
        external_id = view.get("external_id") or ""
        if external_id and any(v["external_id"] == external_id for v in self.views.values()):
            raise SlackError("duplicate_external_id")
        return {"view": self._store_view(view, view_id=None, root=None, previous=None, external_id=external_id)}

    def _push_view(self, args: dict) -> dict:
        view = check_view(args.get("view"))
        trigger = self._use_trigger(args.get("trigger_id"))
        under = self.views.get(trigger.view_id or "")
        if under is None:  # not pushed from inside a modal: it starts a stack of its own
            return {"view": self._store_view(view, view_id=None, root=None, previous=None, external_id="")}
        return {"view": self._stack_view(view, under)}

    def _update_view(self, args: dict) -> dict:
        current = self._find_view_to_update(args)
        if args.get("hash") and args["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        view = check_view(args.get("view"))
        return {"view": self._store_view(view, view_id=current["id"], root=current["root_view_id"],
                                         previous=current.get("previous_view_id"),
                                         external_id=current["external_id"])}

    def _publish_home(self, args: dict) -> dict:
        user_id = args.get("user_id")
        if user_id not in self.users:
            raise SlackError("invalid_arguments", "invalid `user_id`")
        view = check_view(args.get("view"))
        if view.get("type") != "home":
            raise SlackError("invalid_arguments", "views.publish only takes type home [json-pointer:/view/type]")
        current = self.home_views.get(user_id)
        if current and args.get("hash") and args["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        stored = self._full_view(view, view_id=current["id"] if current else None, root=None, previous=None,
                                 external_id=view.get("external_id") or "")
        self.home_views[user_id] = stored
        return {"view": copy.deepcopy(stored)}

    def _needs_scope(self, scope: str) -> None:
        if scope not in self.scopes:
            raise SlackError("missing_scope", fields={"needed": scope, "provided": ",".join(self.scopes)})

    def _get_upload_url(self, args: dict) -> dict:
        self._needs_scope(FILES_SCOPE)
        return self.uploads.get_upload_url(args)

    def _complete_upload(self, args: dict) -> dict:
        self._needs_scope(FILES_SCOPE)
        for key in ("channel_id", "channels"):
            if args.get(key):
                args[key] = ",".join(self._resolve_channel(c)[0] for c in str(args[key]).split(",") if c)
        answer = self.uploads.complete(args, self._is_thread)
        files = [f for f in self.uploads.shared if f.file_id in {a["id"] for a in answer["files"]}]
        if files and files[0].channel:  # Slack shares them as one message (in the thread, when given)
            self.messages.append({"channel": files[0].channel, "ts": self._next_ts(), "thread_ts": files[0].thread_ts,
                                  "text": str(args.get("initial_comment") or ""), "blocks": [],
                                  "files": [{"id": f.file_id, "name": f.filename, "title": f.title} for f in files]})
        return answer

    def _is_thread(self, channel: str, ts: str) -> bool:
        return any(m["channel"] == channel and m["ts"] == ts and m.get("thread_ts") in (None, ts)
                   for m in self.messages)

    def _user_info(self, args: dict) -> dict:
        user = self.users.get(args.get("user", ""))
        if user is None:
            raise SlackError("user_not_found")
        return {"user": copy.deepcopy(user)}

    def _usergroups(self, args: dict) -> dict:
        with_users = str(args.get("include_users", "")).lower() in ("1", "true")
        groups = [{"id": gid, "handle": g["handle"], "name": g["name"], "is_usergroup": True,
                   "team_id": self.team_id, "user_count": str(len(g["users"])),
                   **({"users": list(g["users"])} if with_users else {})} for gid, g in self.usergroups.items()]
        return {"usergroups": groups}

    def _usergroup_users(self, args: dict) -> dict:
        group = self.usergroups.get(args.get("usergroup", ""))
        if group is None:
            raise SlackError("no_such_subteam")
        return {"users": list(group["users"])}

    def _history(self, args: dict) -> dict:
        """Newest first, after `oldest`; metadata only with include_all_metadata (as Slack does)."""
        channel, _ = self._resolve_channel(args.get("channel"))
        oldest = float(args.get("oldest") or 0)
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        found = [m for m in reversed(self.messages) if m["channel"] == channel and float(m["ts"]) > oldest
                 and not m.get("thread_ts")][: int(args.get("limit") or 100)]
        messages = [{**self._as_slack_message(m), **({"metadata": m["metadata"]} if with_metadata and m.get("metadata") else {})}
                    for m in found]
        return {"messages": messages, "has_more": False, "pin_count": 0, "response_metadata": {"next_cursor": ""}}

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

    def _use_trigger(self, trigger_id: Any) -> Trigger:
        return use_trigger(self._triggers.get(str(trigger_id or "")), self.clock())

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
