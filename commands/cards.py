"""What people see: modal views and channel messages, built with slack_sdk's block models.

slack_sdk validates Slack's limits (24-char titles, 100 blocks, option lengths) when a model is
serialised, so a view that Slack would refuse fails here, in our tests, not on the floor.

Phones first: every message has a fallback `text` (notifications, screen readers), a short first
line, and facts as short lines or a context note — never a wide table in one block.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from commands.facts import OrderFacts
from models.tasks import ProductionTask

STAGE_EMOJI = {"cook": ":stew:", "label": ":label:", "pack": ":package:", "ship": ":truck:"}
STAGE_VERB = {"cook": "Cook", "label": "Label", "pack": "Pack", "ship": "Ship"}
RECORD_TASK_ACTION = "task_record"
START_TASK_ACTION = "task_start"  # also Resume: a paused or blocked task starts again
PAUSE_TASK_ACTION = "task_pause"
BLOCK_TASK_ACTION = "task_block"
AUTHOR_UNDO_ACTION = "action_author_undo"
TIMED_STAGES = ("cook", "label", "pack")


def escaped(text: str) -> str:
    """Text a person typed (or a slip or Katana holds) as Slack shows it literally: no link, no mention,
    no @channel can come of it (Slack's mrkdwn escaping: &, <, >)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def read_metadata(view: dict[str, Any]) -> dict[str, Any]:
    """What modal() put in private_metadata; {} for anything else (a crafted view can hold anything)."""
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
        return metadata if isinstance(metadata, dict) else {}
    except ValueError:
        return {}


def modal(title: str, blocks: Sequence[Block], *, callback_id: str | None = None, submit: str | None = None,
          close: str = "Close", metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    view = View(type="modal", title=title, blocks=list(blocks), callback_id=callback_id, submit=submit,
                close=close, private_metadata=json.dumps(metadata, separators=(",", ":")) if metadata else None)
    return view.to_dict()  # raises SlackObjectFormationError on any Slack limit


def text(markdown: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=markdown[:3000]))


def note(markdown: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=markdown[:2000])])


def message_view(title: str, markdown: str, *, footer: str | None = None) -> dict[str, Any]:
    """A modal that only says something: loading, recording, outcome, can't-open."""
    blocks: list[Block] = [text(markdown)]
    if footer:
        blocks.append(note(footer))
    return modal(title, blocks)


def clock(moment: datetime | None) -> str:
    """A time Slack shows in each reader's own time zone (UTC in the fallback)."""
    if moment is None:
        return "?"
    return f"<!date^{int(moment.timestamp())}^{{time}}|{moment:%H:%M} UTC>"


def minutes_text(seconds: int) -> str:
    minutes = seconds // 60
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


# ---- task messages in the floor channel -------------------------------------------------------

def task_summary(task: ProductionTask) -> str:
    parts = [f"*{task.mo_order_no}*"]
    if task.sku:
        parts.append(task.sku)
    if task.quantity is not None:
        parts.append(f"{task.quantity:f} to {task.kind}")
    elif task.planned_quantity is not None:
        parts.append(f"{task.planned_quantity:f} planned")
    if task.batch_number:
        parts.append(f"batch {task.batch_number}")
    if task.crate:
        parts.append(f"crate {task.crate}")
    return " · ".join(parts)


def timer_line(task: ProductionTask) -> str | None:
    """Who is on the task and since when; why it stopped. Nothing for a task nobody started."""
    timed = f" · {minutes_text(task.timer_seconds)} timed" if task.timer_seconds >= 60 else ""
    if task.timer_state == "running":
        return f":arrow_forward: *{task.assignee_name}* started {clock(task.timer_running_since)}{timed}"
    if task.timer_state == "paused":
        return f":double_vertical_bar: Paused by {task.timer_by}: {task.timer_reason}{timed}"
    if task.timer_state == "blocked":
        return f":no_entry: Blocked by {task.timer_by}: {task.timer_reason}{timed}"
    return None


def task_buttons(task: ProductionTask, block_id: str) -> ActionsBlock:
    """The buttons that make sense now: Start (or Resume), Record, Pause while it runs, Block."""
    record = ButtonElement(text="Record", action_id=RECORD_TASK_ACTION, value=task.id)
    start_text = "Start" if task.timer_state == "idle" else "Resume"
    start = ButtonElement(text=start_text, action_id=START_TASK_ACTION, value=task.id, style="primary")
    pause = ButtonElement(text="Pause", action_id=PAUSE_TASK_ACTION, value=task.id)
    block = ButtonElement(text="Block", action_id=BLOCK_TASK_ACTION, value=task.id)
    if task.timer_state == "running":
        record.style = "primary"
        elements = [record, pause, block]
    elif task.timer_state == "blocked":
        elements = [start, record]
    else:
        elements = [start, record, block]
    return ActionsBlock(block_id=block_id, elements=elements)


def task_headline(task: ProductionTask) -> str:
    return f"{STAGE_EMOJI[task.kind]} {STAGE_VERB[task.kind]} task — {task_summary(task)}"


def task_message(task: ProductionTask, katana_link: str) -> dict[str, Any]:
    """An open task: one line that reads on a phone, its state, and one-tap buttons."""
    verb = STAGE_VERB[task.kind]
    blocks: list[Block] = [text(task_headline(task))]
    state = timer_line(task)
    if state:
        blocks.append(text(state))
    if task.kind in TIMED_STAGES:
        blocks.append(task_buttons(task, "task"))
    else:  # a ship task is not timed: Record opens /ship for its order
        blocks.append(ActionsBlock(block_id="task", elements=[ButtonElement(
            text="Record", action_id=RECORD_TASK_ACTION, value=task.id, style="primary")]))
    blocks.append(note(f"<{katana_link}|Open {task.mo_order_no} in Katana>"))
    fallback = f"{verb} task: {task.mo_order_no}"
    if task.timer_state in ("running", "paused", "blocked"):
        fallback += f" — {task.timer_state} ({task.assignee_name or task.timer_by})"
    return {"text": fallback, "blocks": [b.to_dict() for b in blocks]}


def task_done_message(task: ProductionTask, katana_link: str) -> dict[str, Any]:
    who = f"by {task.done_by}" if task.done_by else ""
    if task.status == "closed":
        line = f":white_check_mark: ~{STAGE_VERB[task.kind]} task~ — {task_summary(task)} · closed: {task.close_reason}"
    else:
        line = f":white_check_mark: {STAGE_VERB[task.kind]} done {who} — {task_summary(task)}"
    blocks = [text(line), note(f"<{katana_link}|Open {task.mo_order_no} in Katana>")]
    return {"text": f"{STAGE_VERB[task.kind]} done: {task.mo_order_no}", "blocks": [b.to_dict() for b in blocks]}


# ---- confirmations ------------------------------------------------------------------------------

def confirmation_message(headline: str, facts: list[str], katana_link: str, order_no: str, *,
                         undo: tuple[str, str, float] | None = None) -> dict[str, Any]:
    """`undo` = (action id, author's name, minutes): an Undo button only its author may use."""
    blocks: list[Block] = [text(headline)]
    if facts:
        blocks.append(note(" · ".join(facts)))
    blocks.append(note(f"<{katana_link}|Open {order_no} in Katana>"))
    if undo is not None:
        action_id, author, minutes = undo
        blocks.append(ActionsBlock(block_id="undo", elements=[
            ButtonElement(text="Undo", action_id=AUTHOR_UNDO_ACTION, value=action_id)]))
        blocks.append(ContextBlock(block_id="undo_note", elements=[MarkdownTextObject(
            text=f"Entered something wrong? {author} can undo this for {minutes:g} min.")]))
    return {"text": headline.replace("*", ""), "blocks": [b.to_dict() for b in blocks]}


def without_undo(message: dict[str, Any]) -> dict[str, Any]:
    """The same confirmation once its Undo window is over."""
    blocks = [b for b in message.get("blocks", []) if b.get("block_id") not in ("undo", "undo_note")]
    return {"text": message.get("text", ""), "blocks": blocks}


# ---- scrap (asked by /cook and /pack) ----------------------------------------------------------

def scrap_blocks(reasons: Sequence[str]) -> list[InputBlock]:
    options = [Option(value=code, text=code) for code in list(reasons)[:100]]
    return [
        InputBlock(block_id="scrap", label="Scrap", optional=True,
                   hint="Quantity thrown away; choose why below.", element=NumberInputElement(
                       action_id="scrap", is_decimal_allowed=True, min_value="0")),
        InputBlock(block_id="scrap_reason", label="Why scrapped", optional=True, element=StaticSelectElement(
            action_id="scrap_reason", placeholder="Reason", options=options)),
    ]


def scrap_fact(facts: OrderFacts) -> str | None:
    """"scrap 4 (burnt)" — the wording the quality alerts read back from the MO's notes."""
    if facts.scrap is None or facts.scrap <= 0:
        return None
    return f"scrap {facts.scrap} ({facts.scrap_reason})"


def divider() -> DividerBlock:
    return DividerBlock()
