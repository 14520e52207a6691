"""Buttons on task messages and confirmations: Start/Resume, Pause and Block (with the reason forms),
and the author's Undo. Each acks at once and does its work as a tracked job (a shutdown, or a test's
settle, waits for it instead of cutting it off)."""
from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.listeners.payloads import submission_of, tap_of
from commands import cards, timers
from commands.announce import tell_privately
from commands.context import Floor
from commands.ports import Tap
from commands.recording import Recorder
from commands.undo import author_undo


def register(app: AsyncApp, floor: Floor, recorder: Recorder) -> None:
    async def on_start(ack: Any, body: dict[str, Any]) -> None:
        await in_background(floor, ack, timers.start_from_button(floor, tap_of(body)), "task start")

    def ask_reason(state: str) -> Any:
        async def on_button(ack: Any, body: dict[str, Any]) -> None:
            await in_background(floor, ack, timers.open_reason_form(floor, tap_of(body), state), f"ask why {state}")
        return on_button

    def submit_reason(state: str) -> Any:
        async def on_submit(ack: Any, body: dict[str, Any]) -> None:
            reason, error = timers.read_reason(state, (body["view"].get("state") or {}).get("values") or {})
            if error:
                await ack(response_action="errors", errors={"reason": error})
                return
            work = timers.stop_from_form(floor, submission_of(body), state, str(reason))
            await in_background(floor, ack, work, f"task {state}")
        return on_submit

    async def on_undo(ack: Any, body: dict[str, Any]) -> None:
        await in_background(floor, ack, undo_for(floor, recorder, tap_of(body)), "author undo")

    app.action(cards.START_TASK_ACTION)(on_start)
    app.action(cards.PAUSE_TASK_ACTION)(ask_reason("paused"))
    app.action(cards.BLOCK_TASK_ACTION)(ask_reason("blocked"))
    for state, callback in timers.FORMS.items():
        app.view(callback)(submit_reason(state))
    app.action(cards.AUTHOR_UNDO_ACTION)(on_undo)


async def in_background(floor: Floor, ack: Any, work: Awaitable[None], name: str) -> None:
    floor.jobs.spawn(work, name=name)
    await ack()


async def undo_for(floor: Floor, recorder: Recorder, tap: Tap) -> None:
    problem = await author_undo(floor, recorder, tap.value, tap.user_id)
    if problem is not None:
        await tell_privately(floor, tap, problem)
    else:
        await floor.refresh_home(tap.user_id, None)
