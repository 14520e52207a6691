"""Task timers: Start, Pause and Block (each with a reason), Resume — and Katana's operation row in step.

The timer lives in the task document (models/tasks.py); every change is a compare-and-set on the
task's `timer_version`, so a double tap, two people tapping Start, or a restarted bot never make two
running timers: one change wins, the other is told who is on the task.

A running timer belongs to the person who started it: only they or a supervisor (SUPERVISORS; unset =
everyone) may pause or block it, because stopping it ends the time counted for their work. A task whose
timer is not running may be blocked by anyone who may record that stage (anyone can report missing
ingredients). The rule is checked when Pause or Block is tapped and again, on the task as it is then,
when the reason form is submitted (a replayed form changes nothing).

Katana follows the task, not the other way round: after each change the stage's operation row is set
to IN_PROGRESS, PAUSED or BLOCKED, with `total_actual_time` = the seconds timed so far when the timer
stops. That PATCH is a state sync (the same body twice is harmless), so a failed one is simply sent
again by the worker's sweep, which also pauses timers left running past TIMER_AUTO_PAUSE_HOURS.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.models.blocks import InputBlock, Option, PlainTextInputElement, RadioButtonsElement

from commands import cards, undo
from commands.announce import tell_privately
from commands.chain import refresh_task_message
from commands.context import Floor
from commands.fields import Form
from commands.mrkdwn import escape
from commands.operations import pick_operation, row_lock
from commands.ports import SlackRefused, Submission, Tap, View
from integrations.katana.errors import KatanaError, KatanaOutcomeUnknown, KatanaRateLimited, KatanaUnavailable
from models.base import utcnow
from models.tasks import KatanaSync, ProductionTask

log = logging.getLogger(__name__)

ROW_STATUS = {"running": "IN_PROGRESS", "paused": "PAUSED", "blocked": "BLOCKED"}
REASONS = {
    "paused": ("Break", "Waiting for ingredients", "Waiting for equipment", "Shift change", "Other"),
    "blocked": ("Missing ingredients", "Equipment broken", "Quality hold", "No crates or packaging", "Other"),
}
FORMS = {"paused": "task_pause_form", "blocked": "task_block_form"}
BOT_NAME = "the bot"


@dataclass
class Change:
    task: ProductionTask | None
    refusal: str | None = None


def now_ms() -> datetime:
    """MongoDB keeps milliseconds: store what it will give back."""
    now = utcnow()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


# ---- the timer's states ----------------------------------------------------------------------------

def cannot_start(task: ProductionTask | None, user_id: str) -> str | None:
    if task is None:
        return "That task no longer exists."
    order = escape(task.mo_order_no)
    if not task.is_open:
        return f"The {task.kind} task for {order} is already {task.status}."
    if task.timer_state == "running":
        if task.assignee == user_id:
            since = cards.clock(task.timer_running_since)
            return f"Your timer on {order} is already running (since {since})."
        return (f"{escape(task.assignee_name)} started {order} {cards.clock(task.timer_running_since)}. "
                "Ask them to pause it if you are taking over.")
    return None


async def start(floor: Floor, tid: str, user_id: str, name: str) -> Change:
    """Start (or resume) the task's timer and claim the task for `user_id`."""
    for _ in range(3):  # lost a race: read again, and say why if it can't start any more
        task = await floor.store.tasks.get(tid)
        refusal = cannot_start(task, user_id)
        if refusal or task is None:
            return Change(task, refusal)
        now = now_ms()
        changed = await floor.store.tasks.change_timer(task, {
            "timer_state": "running", "timer_running_since": now, "status": "in_progress", "assignee": user_id,
            "assignee_name": name, "timer_reason": None, "timer_by": name, "started_at": task.started_at or now,
            "katana_sync": "pending"})
        if changed is not None:
            return Change(changed)
    return Change(None, "Someone changed this task at the same moment; look at it again.")


@dataclass(frozen=True)
class Stopper:
    """Who pauses or blocks: a person (a supervisor or not), or the bot itself (auto-pause)."""

    user_id: str | None = None  # None: the bot
    supervisor: bool = True


THE_BOT = Stopper()


def cannot_stop(task: ProductionTask | None, state: str, by: Stopper = THE_BOT) -> str | None:
    if task is None:
        return "That task no longer exists."
    order = escape(task.mo_order_no)
    if not task.is_open:
        return f"The {task.kind} task for {order} is already {task.status}."
    if state == "paused" and task.timer_state != "running":
        return f"The timer on {order} isn't running."
    if state == "blocked" and task.timer_state == "blocked":
        return f"{order} is already blocked: {escape(task.timer_reason)}."
    if task.timer_state == "running" and by.user_id not in (None, task.assignee) and not by.supervisor:
        verb = "pause" if state == "paused" else "block"
        return (f"{escape(task.assignee_name)}'s timer is running on {order}: only they or a supervisor can "
                f"{verb} it, so nothing changed. Ask them, or a supervisor.")
    return None


async def stop(floor: Floor, tid: str, name: str, state: str, reason: str, *,
               cap: timedelta | None = None, by: Stopper = THE_BOT) -> Change:
    """Pause or block: a running timer's interval is added to the task's time (at most `cap` of it)."""
    for _ in range(3):
        task = await floor.store.tasks.get(tid)
        refusal = cannot_stop(task, state, by)
        if refusal or task is None:
            return Change(task, refusal)
        changes = {"timer_state": state, "timer_running_since": None, "timer_reason": reason, "timer_by": name,
                   "katana_sync": "pending"}
        seconds, interval = 0, None
        if task.timer_state == "running" and task.timer_running_since is not None:
            began = task.timer_running_since
            ended = min(now_ms(), began + cap) if cap else now_ms()
            seconds = max(int((ended - began).total_seconds()), 0)
            interval = {"from": began, "to": ended, "by": task.assignee_name, "seconds": seconds,
                        "ended": f"{state}: {reason}"}
        changed = await floor.store.tasks.change_timer(task, changes, interval=interval, add_seconds=seconds)
        if changed is not None:
            return Change(changed)
    return Change(None, "Someone changed this task at the same moment; look at it again.")


async def after_change(floor: Floor, task: ProductionTask, name: str) -> None:
    """Everyone sees the change; the audit keeps it; Katana's row follows in the background."""
    await floor.store.audit.write("floor_action", "task timer", task.timer_state, mo_id=task.mo_id, actor=name,
                                  task=task.id, reason=task.timer_reason, seconds=task.timer_seconds)
    await refresh_task_message(floor, task, cards.task_message)
    floor.jobs.spawn(sync_row(floor, task.id), name=f"sync row of {task.id}")


# ---- Katana's operation row --------------------------------------------------------------------------

async def sync_row(floor: Floor, tid: str) -> None:
    """Make the stage's operation row show the task's timer (latest state wins; a failure is retried)."""
    async with floor.locks.hold(row_lock(tid)):  # the task's row writes go out in order, the recording's too
        for _ in range(3):
            task = await floor.store.tasks.get(tid)
            if task is None or task.katana_sync != "pending" or not task.is_open or task.row_completed:
                return
            try:
                synced = await push_row(floor, task)
            except (KatanaUnavailable, KatanaRateLimited, KatanaOutcomeUnknown) as exc:
                log.info("operation row of %s not updated yet (%s); the worker retries", tid, exc.user_message)
                return
            except KatanaError as exc:
                log.warning("Katana refused the operation row update of %s: %s", tid, exc.user_message)
                await floor.store.tasks.mark_synced(tid, task.timer_version, "failed")
                return
            if await floor.store.tasks.mark_synced(tid, task.timer_version, synced):
                return  # else the timer changed meanwhile: send the newer state


async def push_row(floor: Floor, task: ProductionTask) -> KatanaSync:
    """Never moves a COMPLETED row: it is read first (someone may have completed it in Katana's app), and
    the task is read again after the write (in case it was completed meanwhile, the row is put back)."""
    status = ROW_STATUS.get(task.timer_state)
    row_id = task.operation_row_id or await find_row(floor, task)
    if status is None or row_id is None:
        return "synced"  # nothing to show, or the step is done in Katana already: leave it as it is
    if (await floor.katana.manufacturing.get_operation_row(row_id)).status == "COMPLETED":
        await floor.store.tasks.mark_row_completed(task.id)
        return "synced"
    seconds = task.timer_seconds if task.timer_state != "running" else None  # Katana keeps its time on a start
    await floor.katana.manufacturing.set_operation_progress(row_id, status, seconds=seconds)
    after = await floor.store.tasks.get(task.id)
    if after is None or after.row_completed:  # completed while this went out: put it back as it was
        log.warning("operation row %s was completed while its timer sync went out; completing it again", row_id)
        await floor.katana.manufacturing.set_operation_status(row_id, "COMPLETED")
    return "synced"


async def find_row(floor: Floor, task: ProductionTask) -> int | None:
    row = pick_operation(await floor.katana.manufacturing.operation_rows(task.mo_id), task.kind)
    if row is None or row.status == "COMPLETED":
        return None
    await floor.store.tasks.remember_row(task.id, row.id)
    return row.id


# ---- the worker's sweep ------------------------------------------------------------------------------

async def sweep(floor: Floor) -> int:
    """Pause forgotten timers, resend operation rows Katana did not take, take expired Undo buttons off."""
    paused = await auto_pause_due(floor)
    for task in await floor.store.tasks.unsynced():
        floor.jobs.spawn(sync_row(floor, task.id), name=f"resync row of {task.id}")
    await undo.expire_due(floor)
    return paused


async def auto_pause_due(floor: Floor) -> int:
    hours = floor.settings.timer_auto_pause_hours
    cap = timedelta(hours=hours)
    paused = 0
    for task in await floor.store.tasks.running_since_before(utcnow() - cap):
        change = await stop(floor, task.id, BOT_NAME, "paused", f"still running after {hours:g} h", cap=cap)
        if change.task is None or change.refusal:
            continue
        paused += 1
        await after_change(floor, change.task, BOT_NAME)
        await tell_operator(floor, change.task, hours)
    return paused


async def tell_operator(floor: Floor, task: ProductionTask, hours: float) -> None:
    """In the task message's thread, mentioning them (the app has no Messages tab for DMs to land in)."""
    if not task.assignee:
        return
    text = (f":double_vertical_bar: <@{task.assignee}> your timer on {escape(task.mo_order_no)} ran over "
            f"{hours:g} h, so I paused it (counted {cards.minutes_text(task.timer_seconds)}). Tap Resume if you "
            "are still on it; correct the minutes when you record.")
    try:
        if task.channel:
            await floor.slack.post(task.channel, {"text": text}, thread_ts=task.message_ts)
        else:
            await floor.slack.post(task.assignee, {"text": text})
    except SlackRefused as exc:
        log.warning("could not tell %s about the paused timer: %s", task.assignee, exc.error)


# ---- Slack: the buttons and the reason forms ------------------------------------------------------------

def reason_form(state: str, task: ProductionTask, metadata: dict[str, Any]) -> View:
    verb = "Pause" if state == "paused" else "Block"
    options = [Option(value=r, text=r) for r in REASONS[state]]
    blocks = [cards.text(cards.task_headline(task)),
              InputBlock(block_id="reason", label=f"Why {verb.lower()}?", element=RadioButtonsElement(
                  action_id="reason", options=options)),
              InputBlock(block_id="detail", label="Anything to add", optional=True, element=PlainTextInputElement(
                  action_id="detail", max_length=100, placeholder="e.g. waiting for jars from the store"))]
    return cards.modal(f"{verb} task", blocks, callback_id=FORMS[state], submit=verb, close="Cancel",
                       metadata={**metadata, "task": task.id})


def read_reason(state: str, values: dict[str, Any]) -> tuple[str | None, str | None]:
    """(reason, error): one of the offered reasons, with the optional detail after it."""
    form = Form(values)  # (shaped as Slack sends it, or read as nothing)
    reason = form.raw("reason")
    if reason not in REASONS[state]:
        return None, "Choose a reason."
    detail = " ".join(str(form.raw("detail") or "").split())[:100]
    return (f"{reason} — {detail}" if detail else reason), None


async def allowed(floor: Floor, tap: Tap, task: ProductionTask | None) -> bool:
    refusal = await floor.permissions.refusal(tap.user_id, task.kind) if task is not None else None
    if refusal:
        await tell_privately(floor, tap, refusal)
        return False
    return True


async def start_from_button(floor: Floor, tap: Tap) -> None:
    """Start or Resume tapped: `tap.value` is the task id."""
    if not await allowed(floor, tap, await floor.store.tasks.get(tap.value)):
        return
    name = await floor.slack.person_name(tap.user_id)
    await settle_change(floor, tap, name, await start(floor, tap.value, tap.user_id, name))


async def open_reason_form(floor: Floor, tap: Tap, state: str) -> None:
    """Pause or Block tapped: ask why (the form remembers where they tapped)."""
    task = await floor.store.tasks.get(tap.value)
    if not await allowed(floor, tap, task):
        return
    refusal = cannot_stop(task, state, await stopper(floor, tap))
    if refusal or task is None or tap.trigger_id is None:
        await tell_privately(floor, tap, refusal or "That task no longer exists.")
        return
    await floor.slack.open_view(tap.trigger_id, reason_form(state, task, {"ch": tap.channel, "home": tap.in_home}))


async def stop_from_form(floor: Floor, submission: Submission, state: str, reason: str) -> None:
    place = cards.read_metadata(submission.view)
    tap = Tap(submission.user_id, str(place.get("task")), channel=place.get("ch"), in_home=bool(place.get("home")))
    if not await allowed(floor, tap, await floor.store.tasks.get(tap.value)):
        return
    name = await floor.slack.person_name(tap.user_id)
    by = await stopper(floor, tap)
    await settle_change(floor, tap, name, await stop(floor, tap.value, name, state, reason, by=by))


async def stopper(floor: Floor, tap: Tap) -> Stopper:
    return Stopper(tap.user_id, supervisor=await floor.permissions.allows(tap.user_id, "floor"))


async def settle_change(floor: Floor, tap: Tap, name: str, change: Change) -> None:
    if change.refusal or change.task is None:
        await tell_privately(floor, tap, change.refusal or "That task no longer exists.")
        return
    await after_change(floor, change.task, name)
    if tap.in_home:
        await floor.refresh_home(tap.user_id, None)
