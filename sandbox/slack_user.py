"""Plays Slack's servers delivering a person's actions to the bot: signed slash commands, clicks, submissions.

Bodies are shaped like reference/slack/payloads/ and signed as Slack signs them, and they go to the bot's real
HTTP endpoint, so Bolt's signature check, parsing and ack path all run. Whatever the bot acks to a view
submission (errors, update, push, clear, or nothing) is applied to FakeSlack's views the way Slack's client
would apply it, so the next step of a scenario sees what the person sees.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from sandbox.slack import FakeSlack, SlackError
from sandbox.slack_rules import OPTION_TEXT_LIMIT, OPTION_VALUE_LIMIT, OPTIONS_LIMIT

ACK_DEADLINE_S = 3.0  # Slack shows the person an error when the app takes longer to answer
VERIFICATION_TOKEN = "sandbox-verification-token"  # legacy field Slack still sends; Bolt ignores it


@dataclass
class Response:
    status: int
    body: str
    json: Any | None
    elapsed: float

    @property
    def acked_in_time(self) -> bool:
        return self.status == 200 and self.elapsed <= ACK_DEADLINE_S


class SlackWorkspace:
    def __init__(self, *, events_url: str, signing_secret: str, slack: FakeSlack,
                 http: aiohttp.ClientSession | None = None) -> None:
        self.events_url, self.slack = events_url, slack
        self._verifier = SignatureVerifier(signing_secret)
        self._http, self._owns_http = http, http is None

    async def close(self) -> None:
        if self._owns_http and self._http is not None:
            await self._http.close()
        self._http = None

    # ---- what a person does --------------------------------------------------------------------------
    async def slash_command(self, user_id: str, command: str, text: str = "",
                            channel_id: str = "C0FLOOR") -> Response:
        form = {
            "token": VERIFICATION_TOKEN, "team_id": self.slack.team_id, "team_domain": "floor-sandbox",
            "channel_id": channel_id, "channel_name": self.slack.channels.get(channel_id, "directmessage"),
            "user_id": user_id, "user_name": self._user(user_id)["name"], "command": command, "text": text,
            "api_app_id": self.slack.app_id, "is_enterprise_install": "false",
            "response_url": self.slack.new_response_url("commands", channel_id=channel_id, user_id=user_id),
            "trigger_id": self.slack.issue_trigger_id(user_id=user_id),
        }
        return await self._deliver(urlencode(form).encode())

    async def click_button(self, user_id: str, message: dict, action_id: str, *,
                           channel_id: str | None = None) -> Response:
        """`message` is a posted message (from slack.messages/ephemerals) or an open view / home view."""
        block, button = _find_button(message, action_id)
        action = {"type": "button", "action_id": action_id, "block_id": block.get("block_id", ""),
                  "text": button["text"], "value": button.get("value", ""), "action_ts": f"{time.time():.6f}"}
        if _is_view(message):
            payload = self._view_click(user_id, message)
        else:
            payload = self._message_click(user_id, message, channel_id or message.get("channel") or "C0FLOOR")
        return await self._deliver_payload({**payload, "actions": [action]})

    async def suggest(self, user_id: str, view: dict, action_id: str, typed: str) -> list[dict]:
        """The person types `typed` into the type-ahead select `action_id`: Slack's signed `block_suggestion`
        (reference/slack/payloads/block_suggestion.json), its answer checked as Slack would (and
        stricter); returns the options shown, which the person can then pick (`submit_view`)."""
        block, element = _find_input(view, action_id)
        if element.get("type") not in ("external_select", "multi_external_select"):
            raise ValueError(f"{action_id} is a {element.get('type')}: Slack asks for no options")
        if len(typed) < int(element.get("min_query_length", 3)):
            raise ValueError(f"Slack sends nothing until {element.get('min_query_length', 3)} characters are typed")
        payload = {"type": "block_suggestion", "user": self._user_ref(user_id),
                   "container": {"type": "view", "view_id": view["id"]}, "api_app_id": self.slack.app_id,
                   "token": VERIFICATION_TOKEN, "action_id": action_id, "block_id": block["block_id"], "value": typed,
                   "team": self._team(), "view": {**view, "state": view.get("state") or {"values": {}}}}
        response = await self._deliver_payload(payload)
        options = check_options(response)
        self.slack.suggested[(view["id"], block["block_id"])] = options
        return options

    async def submit_view(self, user_id: str, view: dict, values: dict[str, Any]) -> Response:
        suggested = {block: options for (view_id, block), options in self.slack.suggested.items()
                     if view_id == view["id"]}
        submitted = {**view, "state": {"values": build_state_values(view, values, suggested)}}
        payload = {"type": "view_submission", "team": self._team(), "user": self._user_ref(user_id),
                   "api_app_id": self.slack.app_id, "token": VERIFICATION_TOKEN,
                   "trigger_id": self.slack.issue_trigger_id(user_id=user_id, view_id=view["id"]),
                   "view": submitted, "response_urls": [], "is_enterprise_install": False, "enterprise": None}
        response = await self._deliver_payload(payload)
        self._apply_submission_ack(view["id"], response)
        return response

    async def submit_crafted(self, user_id: str, view: dict, state_values: dict[str, dict]) -> Response:
        """A submission whose state is exactly `state_values`, skipping the checks Slack's client
        makes: what a modified client or a replayed request could send. The bot must cope."""
        submitted = {**view, "state": {"values": state_values}}
        payload = {"type": "view_submission", "team": self._team(), "user": self._user_ref(user_id),
                   "api_app_id": self.slack.app_id, "token": VERIFICATION_TOKEN,
                   "trigger_id": self.slack.issue_trigger_id(user_id=user_id, view_id=view["id"]),
                   "view": submitted, "response_urls": [], "is_enterprise_install": False, "enterprise": None}
        return await self._deliver_payload(payload)

    async def post_raw(self, body: bytes, headers: dict[str, str]) -> Response:
        session = self._session()
        started = time.perf_counter()
        async with session.post(self.events_url, data=body, headers=headers) as reply:
            text = await reply.text()
        elapsed = time.perf_counter() - started
        return Response(reply.status, text, _maybe_json(text, reply.content_type), elapsed)

    def sign(self, body: bytes, timestamp: int | None = None) -> dict[str, str]:
        # Bolt checks the timestamp against the real clock, so this uses wall time, not the fake's clock.
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signature = self._verifier.generate_signature(timestamp=stamp, body=body)
        return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature or ""}

    # ---- payload parts -----------------------------------------------------------------------------
    def _message_click(self, user_id: str, message: dict, channel_id: str) -> dict:
        is_ephemeral = message in self.slack.ephemerals
        payload = {
            "type": "block_actions", "user": self._user_ref(user_id), "api_app_id": self.slack.app_id,
            "token": VERIFICATION_TOKEN, "trigger_id": self.slack.issue_trigger_id(user_id=user_id),
            "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel_id,
                          "is_ephemeral": is_ephemeral},
            "team": self._team(), "enterprise": None, "is_enterprise_install": False,
            "channel": {"id": channel_id, "name": self.slack.channels.get(channel_id, "directmessage")},
            "state": {"values": {}},
            "response_url": self.slack.new_response_url("actions", channel_id=channel_id, user_id=user_id,
                                                        message_ts=message["ts"]),
        }
        if not is_ephemeral:  # Slack does not echo ephemeral messages back to the app
            payload["message"] = {"type": "message", "user": self.slack.bot_user_id, "bot_id": self.slack.bot_id,
                                  "text": message.get("text", ""), "blocks": message.get("blocks", []),
                                  "ts": message["ts"]}
        return payload

    def _view_click(self, user_id: str, view: dict) -> dict:
        return {"type": "block_actions", "user": self._user_ref(user_id), "api_app_id": self.slack.app_id,
                "token": VERIFICATION_TOKEN,
                "trigger_id": self.slack.issue_trigger_id(user_id=user_id, view_id=view["id"]),
                "container": {"type": "view", "view_id": view["id"]}, "team": self._team(),
                "enterprise": None, "is_enterprise_install": False,
                "view": {**view, "state": view.get("state") or {"values": {}}}}

    def _user(self, user_id: str) -> dict:
        if user_id not in self.slack.users:
            raise ValueError(f"{user_id} is not in the sandbox workspace: {sorted(self.slack.users)}")
        return self.slack.users[user_id]

    def _user_ref(self, user_id: str) -> dict:
        name = self._user(user_id)["name"]
        return {"id": user_id, "username": name, "name": name, "team_id": self.slack.team_id}

    def _team(self) -> dict:
        return {"id": self.slack.team_id, "domain": "floor-sandbox"}

    # ---- delivery ----------------------------------------------------------------------------------
    async def _deliver_payload(self, payload: dict) -> Response:
        return await self._deliver(urlencode({"payload": json.dumps(payload)}).encode())

    async def _deliver(self, body: bytes) -> Response:
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)", **self.sign(body)}
        return await self.post_raw(body, headers)

    def _session(self) -> aiohttp.ClientSession:
        if self._http is None:
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        return self._http

    def _apply_submission_ack(self, view_id: str, response: Response) -> None:
        if response.status != 200 or view_id not in self.slack.views:
            self.slack.ui_errors.append(f"submit of {view_id}: HTTP {response.status} {response.body[:200]}")
            return
        ack = response.json if isinstance(response.json, dict) else {}
        action = ack.get("response_action")
        try:
            if action == "errors":
                self._show_field_errors(view_id, ack.get("errors") or {})
            elif action == "update":
                self.slack.replace_view(view_id, ack.get("view") or {})
            elif action == "push":
                self.slack.push_view(view_id, ack.get("view") or {})
            else:
                self.slack.close_view(view_id, whole_stack=action == "clear")
        except SlackError as refusal:  # Slack's client shows a generic error and keeps the view as it was
            self.slack.ui_errors.append(f"response_action {action} refused: {refusal.error} {refusal.messages}")

    def _show_field_errors(self, view_id: str, errors: dict[str, str]) -> None:
        input_ids = {b.get("block_id") for b in self.slack.views[view_id]["blocks"] if b.get("type") == "input"}
        strays = sorted(set(errors) - input_ids)
        if strays:  # Slack rejects an errors ack naming anything but an input block
            raise SlackError("invalid_arguments", f"errors name no input block: {strays}")
        self.slack.view_errors[view_id] = dict(errors)


# ---- view_submission state --------------------------------------------------------------------------
def crafted_state_values(view: dict, values: dict[str, Any]) -> dict[str, dict[str, dict]]:
    """state.values holding exactly `values` (raw, unchecked; None = a select left empty): what a
    modified client could send for `submit_crafted`. Text inputs and static selects only."""
    state: dict[str, dict[str, dict]] = {}
    for block in view["blocks"]:
        element = block.get("element") or {}
        if not element:
            continue
        raw = values.get(block["block_id"])
        if element["type"] in ("static_select", "external_select"):
            option = None if raw is None else {"text": {"type": "plain_text", "text": str(raw)}, "value": raw}
            state[block["block_id"]] = {element["action_id"]: {"type": element["type"], "selected_option": option}}
        else:
            state[block["block_id"]] = {element["action_id"]: {"type": element["type"], "value": raw}}
    return state


def check_options(response: Response) -> list[dict]:
    """An options answer as Slack takes it: 200 within its deadline, JSON `{"options": [...]}` of at most 100
    options, each a plain_text of 1–75 characters and a value of 1–150, values unique. Anything else Slack
    shows as an error (or nothing): refused here outright, so a test sees it."""
    problems = [] if response.acked_in_time else [f"HTTP {response.status} after {response.elapsed:.2f} s"]
    body = response.json if isinstance(response.json, dict) else {}
    options = body.get("options")
    if not isinstance(options, list) or set(body) - {"options"}:
        problems.append(f"not an options list: {response.body[:200]}")
        options = []
    if len(options) > OPTIONS_LIMIT:
        problems.append(f"{len(options)} options; at most {OPTIONS_LIMIT}")
    for option in options:
        text = option.get("text") if isinstance(option, dict) else None
        value = option.get("value") if isinstance(option, dict) else None
        if not (isinstance(text, dict) and text.get("type") == "plain_text"
                and isinstance(text.get("text"), str) and 1 <= len(text["text"]) <= OPTION_TEXT_LIMIT):
            problems.append(f"option text must be plain_text of 1–{OPTION_TEXT_LIMIT} characters: {option}")
        if not (isinstance(value, str) and 1 <= len(value) <= OPTION_VALUE_LIMIT):
            problems.append(f"option value must be 1–{OPTION_VALUE_LIMIT} characters: {option}")
    if len({o.get("value") for o in options if isinstance(o, dict)}) != len(options):
        problems.append("option values repeat")
    if problems:
        raise SlackError("invalid_options", *problems)
    return options


def _find_input(view: dict, action_id: str) -> tuple[dict, dict]:
    for block in view.get("blocks") or []:
        element = block.get("element") or {}
        if block.get("type") == "input" and element.get("action_id") == action_id:
            return block, element
    raise ValueError(f"no input {action_id!r} in view {view.get('callback_id')}")


def build_state_values(view: dict, values: dict[str, Any],
                       suggested: dict[str, list[dict]] | None = None) -> dict[str, dict[str, dict]]:
    """`values` keyed by input block_id → state.values as Slack builds it from what the person entered
    (`suggested`: by block_id, the options a type-ahead select last showed — all it can submit).

    Inputs left out submit their initial value (as the person would, by not touching them), or nothing.
    Raises ValueError where Slack's client would not let the person submit (required field empty).
    """
    inputs = {b["block_id"]: b for b in view.get("blocks", []) if b.get("type") == "input" and "block_id" in b}
    unknown = sorted(set(values) - set(inputs))
    if unknown:
        raise ValueError(f"no input block {unknown} in view {view.get('callback_id')}; inputs: {sorted(inputs)}")
    state = {}
    for block_id, block in inputs.items():
        element = block["element"]
        entered = values[block_id] if block_id in values else _initial(element)
        if entered is None and not block.get("optional"):
            raise ValueError(f"Slack would not submit: required input {block_id!r} is empty")
        offered = (suggested or {}).get(block_id, [])
        state[block_id] = {element["action_id"]: _element_state(element, entered, offered)}
    return state


_INITIAL_KEYS = ("initial_value", "initial_option", "initial_options", "initial_date", "initial_time",
                 "initial_user", "initial_users", "initial_conversation", "initial_channel", "initial_date_time")


def _initial(element: dict) -> Any:
    for key in _INITIAL_KEYS:
        if element.get(key) not in (None, "", []):
            initial = element[key]
            if isinstance(initial, dict) and "value" in initial:
                return initial["value"]
            if isinstance(initial, list) and initial and isinstance(initial[0], dict):
                return [option["value"] for option in initial]
            return initial
    return None


def _element_state(element: dict, entered: Any, suggested: list[dict] | None = None) -> dict:
    kind = element["type"]
    state: dict[str, Any] = {"type": kind}
    if kind in ("plain_text_input", "email_text_input", "url_text_input"):
        state["value"] = _checked_text(element, entered)
    elif kind == "number_input":
        state["value"] = _checked_number(element, entered)
    elif kind in ("static_select", "external_select", "radio_buttons"):
        state["selected_option"] = None if entered is None else _option(element, entered, suggested)
    elif kind in ("checkboxes", "multi_static_select", "multi_external_select"):
        state["selected_options"] = [_option(element, item, suggested) for item in entered or []]
    elif kind == "file_input":
        state["files"] = list(entered or [])
    else:
        state[_SELECTION_KEYS.get(kind, "value")] = _plain(entered)
    return state


_SELECTION_KEYS = {
    "datepicker": "selected_date", "timepicker": "selected_time", "datetimepicker": "selected_date_time",
    "users_select": "selected_user", "multi_users_select": "selected_users",
    "conversations_select": "selected_conversation", "multi_conversations_select": "selected_conversations",
    "channels_select": "selected_channel", "multi_channels_select": "selected_channels",
}


def _plain(entered: Any) -> Any:
    if isinstance(entered, (dt.date, dt.time)):
        return entered.isoformat() if not isinstance(entered, dt.datetime) else int(entered.timestamp())
    return entered


def _checked_text(element: dict, entered: Any) -> str | None:
    if entered is None or entered == "":
        return None
    text = str(entered)
    if not element.get("min_length", 0) <= len(text) <= element.get("max_length", 3000):
        raise ValueError(f"Slack would not submit {text!r}: length outside the input's min/max_length")
    return text


def _checked_number(element: dict, entered: Any) -> str | None:
    if entered is None or entered == "":
        return None
    try:
        number = Decimal(str(entered))
    except InvalidOperation:
        raise ValueError(f"Slack would not submit {entered!r}: not a number") from None
    if number != number.to_integral_value() and not element.get("is_decimal_allowed"):
        raise ValueError(f"Slack would not submit {entered!r}: this input takes whole numbers")
    low, high = element.get("min_value"), element.get("max_value")
    if (low is not None and number < Decimal(low)) or (high is not None and number > Decimal(high)):
        raise ValueError(f"Slack would not submit {entered!r}: outside {low}..{high}")
    return str(entered)


def _option(element: dict, entered: Any, suggested: list[dict] | None = None) -> dict:
    """The option the person picked: one the element lists, or for a type-ahead select one its last
    suggestions showed (or its initial option) — Slack's client offers nothing else."""
    if isinstance(entered, dict):
        return entered
    options = list(element.get("options", []))
    for group in element.get("option_groups", []):
        options += group.get("options", [])
    if element["type"].endswith("external_select"):
        options = [*(suggested or []), *([element["initial_option"]] if element.get("initial_option") else [])]
    match = next((o for o in options if o.get("value") == str(entered)), None)
    if match is not None:
        return match
    raise ValueError(f"no option {entered!r} in {element.get('action_id')}: {[o.get('value') for o in options]}")


def _find_button(container: dict, action_id: str) -> tuple[dict, dict]:
    found = []
    for block in container.get("blocks") or []:
        candidates = list(block.get("elements") or []) + [block.get("accessory") or {}]
        for element in candidates:
            if isinstance(element, dict) and element.get("type") == "button":
                if element.get("action_id") == action_id:
                    return block, element
                found.append(element.get("action_id"))
    raise ValueError(f"no button {action_id!r} here; buttons: {found}")


def _is_view(container: dict) -> bool:
    return container.get("type") in ("modal", "home") and "id" in container


def _maybe_json(text: str, content_type: str) -> Any | None:
    if not text or "json" not in content_type and not text.lstrip().startswith(("{", "[")):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None
