"""The Slack sandbox must behave like Slack where the bot can get it wrong: real slack_sdk and Bolt talk to it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs

import aiohttp
import pytest
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from sandbox.slack import FakeSlack
from sandbox.slack_user import SlackWorkspace, build_state_values
from sandbox.transcript import render_message, render_view

SECRET = "sandbox-signing-secret"
TOKEN = "xoxb-sandbox-token"


class ManualClock:
    def __init__(self) -> None:
        self.now = 1_760_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def fake(clock: ManualClock) -> AsyncIterator[FakeSlack]:
    slack = FakeSlack(clock=clock, enforce_rate_limit=True)
    await slack.start()
    yield slack
    await slack.stop()


@pytest.fixture
def client(fake: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token=TOKEN, base_url=fake.api_url, timeout=5)


def _modal(title: str = "Record a cook", **extra: Any) -> dict:
    return {"type": "modal", "callback_id": "cook", "title": {"type": "plain_text", "text": title},
            "submit": {"type": "plain_text", "text": "Record"}, "blocks": [_text_input("batch", "Batch")], **extra}


def _text_input(block_id: str, label: str, **element: Any) -> dict:
    return {"type": "input", "block_id": block_id, "label": {"type": "plain_text", "text": label},
            "element": {"type": "plain_text_input", "action_id": "value", **element}}


# ---- Web API ---------------------------------------------------------------------------------------------
async def test_post_and_update_are_what_the_floor_sees(fake: FakeSlack, client: AsyncWebClient) -> None:
    posted = await client.chat_postMessage(channel="C0FLOOR", text="*MO-7* cooked", blocks=[
        {"type": "section", "text": {"type": "mrkdwn", "text": "*MO-7* cooked"}}])
    assert posted["channel"] == "C0FLOOR" and posted["message"]["text"] == "*MO-7* cooked"
    await client.chat_update(channel="C0FLOOR", ts=posted["ts"], text="MO-7 undone", blocks=[])
    assert [(m["channel"], m["ts"], m["text"]) for m in fake.messages] == [("C0FLOOR", posted["ts"], "MO-7 undone")]
    assert [c.method for c in fake.calls] == ["chat.postMessage", "chat.update"]
    assert fake.calls[0].args["blocks"][0]["type"] == "section" and "token" not in fake.calls[0].args


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
async def test_messages_need_a_known_channel_and_content(client: AsyncWebClient) -> None:
    for kwargs, error in (({"channel": "C0NOPE", "text": "x"}, "channel_not_found"),
                          ({"channel": "C0FLOOR"}, "no_text")):
        with pytest.raises(SlackApiError) as refused:
            await client.chat_postMessage(**kwargs)
        assert refused.value.response["error"] == error
    dm = await client.chat_postMessage(channel="U0ANA", text="your label task")
    assert dm["channel"].startswith("D")


async def test_trigger_opens_one_modal_within_three_seconds(fake: FakeSlack, client: AsyncWebClient,
                                                            clock: ManualClock) -> None:
    trigger = fake.issue_trigger_id()
    opened = await client.views_open(trigger_id=trigger, view=_modal())
    assert fake.views[opened["view"]["id"]]["callback_id"] == "cook"
    stale = fake.issue_trigger_id()
    for trigger_id, error, wait in ((trigger, "expired_trigger_id", 0), (stale, "expired_trigger_id", 3.5),
                                    ("123.456.made-up", "invalid_trigger_id", 0)):
        clock.now += wait
        with pytest.raises(SlackApiError) as refused:
            await client.views_open(trigger_id=trigger_id, view=_modal())
        assert refused.value.response["error"] == error
    assert len(fake.views) == 1


async def test_views_update_refuses_a_stale_hash(fake: FakeSlack, client: AsyncWebClient) -> None:
    opened = (await client.views_open(trigger_id=fake.issue_trigger_id(), view=_modal(external_id="cook-1")))["view"]
    reply = await client.views_update(view_id=opened["id"], hash=opened["hash"], view=_modal("Recording…"))
    updated = reply["view"]
    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    with pytest.raises(SlackApiError) as refused:
        await client.views_update(view_id=opened["id"], hash=opened["hash"], view=_modal("Recorded"))
    assert refused.value.response["error"] == "hash_conflict"
    await client.views_update(external_id="cook-1", view=_modal("Recorded"))
    assert fake.views[opened["id"]]["title"]["text"] == "Recorded"


async def test_a_modal_stack_holds_three_views(fake: FakeSlack, client: AsyncWebClient) -> None:
    root = (await client.views_open(trigger_id=fake.issue_trigger_id(), view=_modal()))["view"]
    top = root
    for _ in range(2):
        top = (await client.views_push(trigger_id=fake.issue_trigger_id(view_id=top["id"]), view=_modal()))["view"]
        assert top["root_view_id"] == root["id"]
    with pytest.raises(SlackApiError) as refused:
        await client.views_push(trigger_id=fake.issue_trigger_id(view_id=top["id"]), view=_modal())
    assert refused.value.response["error"] == "push_limit_reached" and len(fake.views) == 3


async def test_wrong_token_is_invalid_auth(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as refused:
        await AsyncWebClient(token="xoxb-wrong", base_url=fake.api_url).chat_postMessage(channel="C0FLOOR", text="x")
    assert refused.value.response["error"] == "invalid_auth"
    assert fake.messages == [] and fake.calls[-1].error == "invalid_auth"


async def test_view_limits_are_slacks(fake: FakeSlack, client: AsyncWebClient) -> None:
    too_long = "Record a cook for MO-1042"  # 25 characters
    for view in (_modal(too_long), _modal(private_metadata="x" * 3001),
                 _modal(blocks=[{"type": "divider"}] * 101),
                 _modal(blocks=[_text_input("qty", "Qty"), _text_input("qty", "Again")])):
        with pytest.raises(SlackApiError) as refused:
            await client.views_open(trigger_id=fake.issue_trigger_id(), view=view)
        assert refused.value.response["error"] == "invalid_arguments"
        assert refused.value.response["response_metadata"]["messages"]
    assert fake.views == {}


async def test_posting_faster_than_once_a_second_is_rate_limited(fake: FakeSlack, client: AsyncWebClient,
                                                                 clock: ManualClock) -> None:
    for _ in range(3):
        await client.chat_postMessage(channel="C0FLOOR", text="burst")
    with pytest.raises(SlackApiError) as refused:
        await client.chat_postMessage(channel="C0FLOOR", text="one too many")
    assert refused.value.response.status_code == 429
    assert refused.value.response.headers["Retry-After"] == "1"
    assert refused.value.response["error"] == "ratelimited"
    await client.chat_postMessage(channel="C0SUPER", text="other channel has its own budget")
    clock.now += 1.0
    await client.chat_postMessage(channel="C0FLOOR", text="after a second")
    assert len(fake.messages) == 5


async def test_form_bodies_and_get_are_accepted(fake: FakeSlack, client: AsyncWebClient) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{fake.api_url}chat.postMessage", headers={"Authorization": f"Bearer {TOKEN}"},
                             data={"channel": "#kitchen", "blocks": json.dumps([{"type": "divider"}])}) as reply:
            assert (await reply.json())["channel"] == "C0KITCH"
    assert fake.messages[-1]["blocks"] == [{"type": "divider"}]
    assert (await client.users_info(user="U0ANA"))["user"]["real_name"] == "Ana Lopez"
    assert (await client.conversations_info(channel="C0SUPER"))["channel"]["name"] == "supervisors"
    assert (await client.auth_test())["bot_id"] == fake.bot_id


async def test_wait_for_sees_past_and_future_calls(fake: FakeSlack, client: AsyncWebClient) -> None:
    await client.chat_postMessage(channel="C0FLOOR", text="first")
    assert (await fake.wait_for(lambda c: c.method == "chat.postMessage")).args["text"] == "first"
    with pytest.raises(TimeoutError, match="chat.postMessage"):
        await fake.wait_for(lambda c: c.method == "views.open", timeout=0.05)


# ---- the person's side -----------------------------------------------------------------------------------
class BotStandIn:
    """Captures what Slack would deliver to the bot and answers with a chosen ack."""

    def __init__(self) -> None:
        self.received: list[tuple[bytes, dict[str, str]]] = []
        self.ack: dict | None = None

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append((await request.read(), dict(request.headers)))
        return web.json_response(self.ack) if self.ack else web.Response(status=200)

    def payload(self, index: int = -1) -> dict:
        form = parse_qs(self.received[index][0].decode())
        return json.loads(form["payload"][0]) if "payload" in form else {k: v[0] for k, v in form.items()}


@pytest.fixture
async def stand_in() -> AsyncIterator[tuple[BotStandIn, str]]:
    bot = BotStandIn()
    app = web.Application()
    app.router.add_post("/slack/events", bot.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield bot, f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events"
    await runner.cleanup()


@pytest.fixture
async def workspace(fake: FakeSlack, stand_in: tuple[BotStandIn, str]) -> AsyncIterator[SlackWorkspace]:
    person = SlackWorkspace(events_url=stand_in[1], signing_secret=SECRET, slack=fake)
    yield person
    await person.close()


async def test_slash_command_is_signed_like_slack(fake: FakeSlack, workspace: SlackWorkspace,
                                                  stand_in: tuple[BotStandIn, str]) -> None:
    bot, _ = stand_in
    response = await workspace.slash_command("U0ANA", "/cook", "MO-1042")
    body, headers = bot.received[0]
    verifier = SignatureVerifier(SECRET)
    assert response.status == 200
    assert verifier.is_valid(body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"])
    assert not SignatureVerifier("another-secret").is_valid_request(body, headers)
    form = bot.payload()
    assert (form["command"], form["text"], form["user_name"]) == ("/cook", "MO-1042", "ana")
    assert form["channel_id"] == "C0FLOOR"
    client = AsyncWebClient(token=TOKEN, base_url=fake.api_url)
    await client.views_open(trigger_id=form["trigger_id"], view=_modal())  # the trigger is live in the fake
    async with aiohttp.ClientSession() as http:  # what Bolt's respond() does
        await http.post(form["response_url"], json={"text": "Opening MO-1042…"})
    seen = [(e["channel"], e["user"], e["text"]) for e in fake.ephemerals]
    assert seen == [("C0FLOOR", "U0ANA", "Opening MO-1042…")]


async def test_submit_view_builds_state_for_each_element(fake: FakeSlack, client: AsyncWebClient) -> None:
    option = {"text": {"type": "plain_text", "text": "MO-7 Tomato sauce"}, "value": "7"}
    blocks = [
        _text_input("batch", "Batch"), _text_input("note", "Note") | {"optional": True},
        _input("qty", {"type": "number_input", "is_decimal_allowed": True}),
        _input("mo", {"type": "static_select", "options": [option]}),
        _input("so", {"type": "external_select", "min_query_length": 0}),
        _input("day", {"type": "datepicker"}), _input("who", {"type": "users_select"}),
        _input("checks", {"type": "checkboxes", "options": [option]}),
        _input("line", {"type": "static_select", "options": [option], "initial_option": option}),
    ]
    view = (await client.views_open(trigger_id=fake.issue_trigger_id(), view=_modal(blocks=blocks)))["view"]
    values = build_state_values(view, {"batch": "B-77", "qty": "12.5", "mo": "7", "so": "SO-9", "day": "2025-06-02",
                                       "who": "U0BEN", "checks": ["7"]})
    assert values == {
        "batch": {"value": {"type": "plain_text_input", "value": "B-77"}},
        "note": {"value": {"type": "plain_text_input", "value": None}},
        "qty": {"value": {"type": "number_input", "value": "12.5"}},
        "mo": {"value": {"type": "static_select", "selected_option": option}},
        "so": {"value": {"type": "external_select", "selected_option": {
            "text": {"type": "plain_text", "text": "SO-9"}, "value": "SO-9"}}},
        "day": {"value": {"type": "datepicker", "selected_date": "2025-06-02"}},
        "who": {"value": {"type": "users_select", "selected_user": "U0BEN"}},
        "checks": {"value": {"type": "checkboxes", "selected_options": [option]}},
        "line": {"value": {"type": "static_select", "selected_option": option}},  # untouched: initial option
    }
    with pytest.raises(ValueError, match="required"):
        build_state_values(view, {"qty": "1"})
    with pytest.raises(ValueError, match="no option"):
        build_state_values(view, {"batch": "B", "qty": "1", "mo": "99", "so": "x", "day": "2025-01-01",
                                  "who": "U0ANA", "checks": []})


def _input(block_id: str, element: dict) -> dict:
    return {"type": "input", "block_id": block_id, "label": {"type": "plain_text", "text": block_id},
            "element": {"action_id": "value", **element}}


async def test_submission_acks_change_the_modal(fake: FakeSlack, client: AsyncWebClient, workspace: SlackWorkspace,
                                                stand_in: tuple[BotStandIn, str]) -> None:
    bot, _ = stand_in
    view = (await client.views_open(trigger_id=fake.issue_trigger_id(), view=_modal()))["view"]
    bot.ack = {"response_action": "errors", "errors": {"batch": "No batch B-0 in Katana"}}
    response = await workspace.submit_view("U0ANA", fake.views[view["id"]], {"batch": "B-0"})
    sent = bot.payload()
    assert sent["type"] == "view_submission" and sent["view"]["callback_id"] == "cook"
    assert sent["view"]["state"]["values"]["batch"]["value"]["value"] == "B-0"
    assert response.json == bot.ack and fake.view_errors[view["id"]] == {"batch": "No batch B-0 in Katana"}
    bot.ack = {"response_action": "update", "view": _modal("Recording…", blocks=[])}
    await workspace.submit_view("U0ANA", fake.views[view["id"]], {"batch": "B-77"})
    assert fake.views[view["id"]]["title"]["text"] == "Recording…" and view["id"] not in fake.view_errors
    bot.ack = None
    await workspace.submit_view("U0ANA", fake.views[view["id"]], {})
    assert fake.views == {} and view["id"] in fake.closed_views and fake.ui_errors == []


async def test_click_delivers_the_button_and_respond_lands_in_slack(
        fake: FakeSlack, client: AsyncWebClient, workspace: SlackWorkspace, stand_in: tuple[BotStandIn, str]) -> None:
    bot, _ = stand_in
    await client.chat_postMessage(channel="C0FLOOR", text="Label task", blocks=[
        {"type": "section", "block_id": "task", "text": {"type": "mrkdwn", "text": "Label *B-77*"},
         "accessory": {"type": "button", "action_id": "label_done", "value": "task-1",
                       "text": {"type": "plain_text", "text": "Labelled"}}}])
    await workspace.click_button("U0BEN", fake.messages[0], "label_done")
    payload = bot.payload()
    assert payload["actions"][0] | {"action_ts": ""} == {
        "type": "button", "action_id": "label_done", "block_id": "task", "value": "task-1", "action_ts": "",
        "text": {"type": "plain_text", "text": "Labelled"}}
    assert payload["container"]["message_ts"] == fake.messages[0]["ts"] and payload["user"]["id"] == "U0BEN"
    async with aiohttp.ClientSession() as http:
        await http.post(payload["response_url"], json={"replace_original": True, "text": "Labelled by Ben"})
    assert fake.messages[0]["text"] == "Labelled by Ben"
    with pytest.raises(ValueError, match="label_done"):
        await workspace.click_button("U0BEN", fake.messages[0] | {"blocks": []}, "label_done")


async def test_bolt_accepts_what_the_workspace_sends(fake: FakeSlack, stand_in: tuple[BotStandIn, str]) -> None:
    app = AsyncApp(token=TOKEN, signing_secret=SECRET, client=AsyncWebClient(token=TOKEN, base_url=fake.api_url))

    @app.command("/cook")
    async def open_cook(ack, body, client) -> None:  # type: ignore[no-untyped-def]
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=_modal())

    @app.view("cook")
    async def check_cook(ack, view) -> None:  # type: ignore[no-untyped-def]
        batch = view["state"]["values"]["batch"]["value"]["value"]
        await ack(response_action="errors", errors={"batch": f"No batch {batch}"})

    runner = web.AppRunner(app.web_app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    person = SlackWorkspace(events_url=f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events",
                            signing_secret=SECRET, slack=fake)
    try:
        assert (await person.slash_command("U0ANA", "/cook")).status == 200
        opened = await fake.wait_for(lambda c: c.method == "views.open", timeout=3)
        assert opened.ok, opened.error
        view = next(iter(fake.views.values()))
        answer = await person.submit_view("U0ANA", view, {"batch": "B-0"})
        assert answer.json == {"response_action": "errors", "errors": {"batch": "No batch B-0"}}
        bad = await person.post_raw(b"command=%2Fcook", {"Content-Type": "application/x-www-form-urlencoded",
                                                         **person.sign(b"something else")})
        assert bad.status == 401
    finally:
        await person.close()
        await runner.cleanup()


def test_transcript_reads_like_the_screen() -> None:
    view = _modal(blocks=[_text_input("batch", "Batch", placeholder={"type": "plain_text", "text": "B-…"}),
                          {"type": "actions", "elements": [{"type": "button", "action_id": "x",
                                                            "text": {"type": "plain_text", "text": "Scan"}}]}])
    assert render_view(view, {"batch": "Unknown batch"}).splitlines() == [
        "┌ Record a cook ┐", "  Batch: <B-…>", "  ⚠ Unknown batch", "  [ Scan ]", "  [ Record ]"]
    message = {"channel": "C0FLOOR", "ts": "1.1", "blocks": [{"type": "section", "text": {
        "type": "mrkdwn", "text": "*Cooked* <https://katana.example/mo/7|MO-7>"}}]}
    assert render_message(message, {"C0FLOOR": "floor"}) == "#floor\n  Cooked MO-7 (https://katana.example/mo/7)"
