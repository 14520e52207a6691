"""Supervisors' listeners: `/floor` (status, sync, alerts, report), the alert buttons (Acknowledge, Snooze)
and the decisions on floor actions that need one (Retry, Cancel → Undo in Katana / Keep).

`/floor` and every button are for the people in SUPERVISORS (everyone when unset); the buttons are
checked again on each tap, because a message can be forwarded to anyone.
"""
from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot import floor_status
from bot.alerts import Alerts
from bot.alerts.messages import ACK_ACTION, SNOOZE_ACTIONS, alerts_list
from bot.listeners.payloads import tap_of
from bot.report.periods import PERIOD_KINDS, PeriodKind
from bot.report.post import ShiftReports
from commands import flow
from commands.announce import tell_privately
from commands.context import Floor
from commands.decisions import DECISIONS
from commands.ports import SlackRefused, Tap
from commands.recording import Recorder
from models.base import utcnow

log = logging.getLogger(__name__)


def register(app: AsyncApp, floor: Floor, recorder: Recorder, alerts: Alerts, reports: ShiftReports) -> None:
    app.command("/floor")(floor_handler(floor, alerts, reports))
    app.action(ACK_ACTION)(alert_button(floor, alerts, hours=None))
    for action, hours in SNOOZE_ACTIONS.items():
        app.action(action)(alert_button(floor, alerts, hours=hours))
    for choice in DECISIONS:
        app.action(choice)(decision_listener(floor, recorder, choice))


def floor_handler(floor: Floor, alerts: Alerts, reports: ShiftReports) -> Any:
    async def on_floor(ack: Any, body: dict[str, Any], respond: Any) -> None:
        verb, argument = floor_status.parse(body.get("text", ""))
        if verb == "help":
            await ack(**flow.floor_help(floor_status.HELP))  # every command, two lines each
            return
        if not await floor.permissions.allows(body.get("user_id", ""), "floor"):
            await ack(text=floor.permissions.refusal("floor"))
            return
        if verb == "sync":
            await ack(text=f"Syncing {argument or '…'} now — I'll say here what it found.")
            floor.jobs.spawn(_sync_and_report(alerts, argument, respond), name=f"floor sync {argument}")
            return
        if verb == "report":
            kind = argument or "shift"
            if kind not in PERIOD_KINDS:
                await ack(text=f"Which period? `/floor report {'|'.join(PERIOD_KINDS)}`")
                return
            await ack(text=f"Putting the report for {kind} together — it will be posted here in a moment.")
            floor.jobs.spawn(_post_report(reports, body, respond, kind), name=f"floor report {kind}")
            return
        await ack()
        if verb == "status":
            await respond(**await floor_status.status_message(alerts.settings, floor.store, alerts))
        elif verb == "alerts":
            await respond(**await floor_status.alerts_message(floor.store, utcnow()))
        else:
            await respond(text=f"I don't know `/floor {verb}`. {floor_status.HELP}")
    return on_floor


async def _sync_and_report(alerts: Alerts, job: str | None, respond: Any) -> None:
    await respond(text=await floor_status.sync_now(alerts, job))


async def _post_report(reports: ShiftReports, body: dict[str, Any], respond: Any, kind: PeriodKind) -> None:
    """In the channel the command came from. Where the bot cannot post (a private channel it is not in, a DM
    between people), the numbers go to the person alone; the chart and CSV need a channel to live in."""
    report = await reports.report_for(kind)
    if await reports.send(str(body.get("channel_id") or ""), report) is not None:
        return
    note = {"type": "context", "elements": [{"type": "mrkdwn", "text": (
        "I can't post in this channel, so only you see this, without the chart and CSV: "
        "invite me here, or ask in a channel I'm in.")}]}
    await respond(text=report.message["text"], blocks=[*report.message["blocks"], note], replace_original=False)


def alert_button(floor: Floor, alerts: Alerts, *, hours: int | None) -> Any:
    async def on_click(ack: Any, body: dict[str, Any], respond: Any) -> None:
        await ack()
        user = (body.get("user") or {}).get("id", "")
        alert_id = str(body["actions"][0].get("value"))
        if not await floor.permissions.allows(user, "floor"):
            await respond(text=floor.permissions.refusal("floor").replace("/floor", "the alert buttons"),
                          replace_original=False)
            return
        if hours is None:
            changed = await alerts.desk.acknowledge(alert_id, user)
        else:
            changed = await alerts.desk.snooze(alert_id, user, hours)
        if changed is None:
            await respond(text=await _why_not(alerts, alert_id), replace_original=False)
        elif (body.get("container") or {}).get("is_ephemeral"):  # clicked in the /floor alerts list
            await respond(replace_original=True, **alerts_list(await floor.store.alerts.all_open(), utcnow()))
    return on_click


async def _why_not(alerts: Alerts, alert_id: str) -> str:
    alert = await alerts.store.alerts.get(alert_id)
    if alert is None:
        return "That alert no longer exists."
    if not alert.is_open:
        return f"That alert is already resolved ({alert.facts.get('resolution', 'back to normal')})."
    return f"<@{alert.acknowledged_by}> already acknowledged it."


def decision_listener(floor: Floor, recorder: Recorder, choice: str) -> Any:
    async def on_decision(ack: Any, body: dict[str, Any]) -> None:
        # A tracked job: shutdown (and the scenario tests' settle) waits for the decision's Katana work.
        floor.jobs.spawn(decide(floor, recorder, tap_of(body), choice), name=f"decision {choice}")
        await ack()
    return on_decision


async def decide(floor: Floor, recorder: Recorder, tap: Tap, choice: str) -> None:
    if not await floor.permissions.allows(tap.user_id, "floor"):
        await tell_privately(floor, tap, floor.permissions.refusal("floor").replace("/floor", "supervisor buttons"))
        return
    name = await floor.slack.person_name(tap.user_id)
    where = {"channel": tap.channel, "ts": tap.message_ts} if tap.channel and tap.message_ts else None
    update = await DECISIONS[choice](floor, recorder, tap.value, name, where)
    if update is None:
        await tell_privately(floor, tap, "That action was already handled.")
    elif tap.channel and tap.message_ts:
        try:
            await floor.slack.update(tap.channel, tap.message_ts, update)
        except SlackRefused as exc:
            log.warning("could not update the decision message: %s", exc.error)
