"""App Home: the floor from one person's point of view, on their phone.

Three short sections, each a phone screen at most (supervisors see the shift's numbers above them):
- *Your tasks* — tasks you started (running first, then paused, then blocked), with Pause/Resume and Record;
- *Next up* — open tasks of your stations in the order they can be taken: free to start first (oldest
  first), then paused by someone else, then under way by someone else, then blocked;
- *Your last actions* — what you recorded and how it went (recorded, waiting for Katana, failed, undone).

Your stations are the stages you may record (COOK_ALLOWED, LABEL_ALLOWED, PACK_ALLOWED; unset = all).
Published on `app_home_opened` and again after you act through a button or your recording finishes,
always through `floor.refresh_home` (the `publisher` the composition root built, which knows the shift).
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock

from commands import cards
from commands.context import Floor
from commands.outcome import Outcome
from commands.ports import SlackRefused, View
from models.actions import FloorAction
from models.tasks import PRODUCTION_STAGES, ProductionTask

log = logging.getLogger(__name__)
ShiftSoFar = Callable[[], Awaitable[tuple[str, list[str]]]]  # (heading, lines) of the shift under way
MY_TASKS, QUEUE_TASKS, LAST_ACTIONS = 10, 15, 5  # 2 blocks a task: well under Slack's 100 per view
MINE_ORDER = {"running": 0, "paused": 1, "blocked": 2}
OUTCOME_WORDS = {"recorded": ":white_check_mark: recorded", "waiting": ":floppy_disk: saved, waiting for Katana",
                 "failed": ":x: not fully recorded", "cancelled": ":no_entry_sign: cancelled by a supervisor",
                 "pending": ":hourglass_flowing_sand: recording…", "running": ":hourglass_flowing_sand: recording…",
                 "undone": ":leftwards_arrow_with_hook: undone"}


def home_handler(floor: Floor) -> Any:
    async def on_home_opened(event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        await floor.refresh_home(event["user"], None)
    return on_home_opened


def refresh_after_recording(floor: Floor) -> Any:
    """A Floor.on_recorded hook: the author's Home shows the new outcome and the changed queue."""
    async def refresh(outcome: Outcome) -> None:
        if outcome.status != "waiting":
            await floor.refresh_home(outcome.action.user_id, None)
    return refresh


def publisher(floor: Floor, *, shift: ShiftSoFar | None = None) -> Any:
    """`Floor.refresh_home`: the person's App Home, published again (with a `notice` on top)."""
    async def refresh(user_id: str, notice: str | None = None) -> None:
        await publish(floor, user_id, notice=notice, shift=shift)
    return refresh


async def publish(floor: Floor, user_id: str, *, notice: str | None = None, shift: ShiftSoFar | None = None) -> None:
    """`notice`: a word for this person on top (e.g. why their tap did nothing); `shift`: the shift's
    numbers so far, shown to supervisors."""
    numbers = await shift() if shift is not None and await floor.permissions.allows(user_id, "floor") else None
    try:
        await floor.slack.publish_home(user_id, await home_view(floor, user_id, notice, numbers))
    except SlackRefused as exc:
        log.warning("could not publish App Home for %s: %s", user_id, exc.error)


async def home_view(floor: Floor, user_id: str, notice: str | None = None,
                    shift: tuple[str, list[str]] | None = None) -> View:
    stations = [s for s in PRODUCTION_STAGES if await floor.permissions.allows(user_id, s)]
    tasks = await floor.store.tasks.open_for_kinds(list(PRODUCTION_STAGES))
    mine, queue = split(tasks, user_id, stations)
    blocks: list[Block] = [cards.text(f":information_source: {notice}"), cards.divider()] if notice else []
    if shift is not None:
        heading, lines = shift
        blocks += [cards.text(heading), *(verbatim(line) for line in lines), cards.divider()]
    blocks.append(cards.text("*Your tasks*"))
    blocks += task_blocks(mine[:MY_TASKS]) or [cards.note("None started. Tap Start on a task below.")]
    blocks += [cards.divider(), cards.text(f"*Next up* — {', '.join(stations) or 'no station'}")]
    blocks += task_blocks(queue[:QUEUE_TASKS]) or [cards.note("Nothing waiting. New tasks appear here and in "
                                                              "the floor channel.")]
    blocks += [cards.divider(), cards.text("*Your last actions*")]
    blocks += [cards.note(line) for line in await last_actions(floor, user_id)] or [cards.note("None yet.")]
    return {"type": "home", "blocks": [b.to_dict() for b in blocks[:100]]}


def verbatim(markdown: str) -> SectionBlock:
    """A line holding text people typed: Slack shows it as is (no links, no mentions)."""
    return SectionBlock(text=MarkdownTextObject(text=markdown[:3000], verbatim=True))


def split(tasks: list[ProductionTask], user_id: str,
          stations: list[str]) -> tuple[list[ProductionTask], list[ProductionTask]]:
    """(my started tasks, my stations' queue), each in the order to work on it."""
    mine = [t for t in tasks if t.assignee == user_id and t.timer_state in MINE_ORDER]
    mine.sort(key=lambda t: (MINE_ORDER[t.timer_state], t.created_at))
    queue = [t for t in tasks if t not in mine and t.kind in stations]
    queue.sort(key=lambda t: (queue_rank(t), t.created_at))
    return mine, queue


def queue_rank(task: ProductionTask) -> int:
    """What can start next first: free tasks, then ones someone paused, then under way, then blocked."""
    return {"idle": 0, "paused": 1, "running": 2, "blocked": 3}.get(task.timer_state, 4)


def task_blocks(tasks: list[ProductionTask]) -> list[Block]:
    blocks: list[Block] = []
    for task in tasks:
        line = cards.task_headline(task)
        state = cards.timer_line(task)
        blocks.append(cards.text(line + (f"\n{state}" if state else "")))
        blocks.append(cards.task_buttons(task, f"home:{task.id}"))
    return blocks


async def last_actions(floor: Floor, user_id: str) -> list[str]:
    actions = await floor.store.actions.latest_of(user_id, LAST_ACTIONS)
    undone = await floor.store.undo_offers.states([a.id for a in actions])
    return [action_line(a, undone.get(a.id)) for a in actions]


def action_line(action: FloorAction, undo_state: str | None) -> str:
    facts = {**action.input, **action.results()}
    order = facts.get("order_no") or (f"MO {action.mo_id}" if action.mo_id else "")
    quantity = f" · {facts['quantity']}" if facts.get("quantity") is not None else ""
    status = "undone" if undo_state == "undone" else action.status
    said = OUTCOME_WORDS.get(status, status)
    line = f"{said} — /{action.command} {order}{quantity} · {cards.clock(action.created_at)}"
    if status == "failed" and action.error:
        line += f"\n{action.error[:200]}"
    return line
