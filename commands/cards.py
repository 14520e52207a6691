"""What people see: modal views and channel messages, built with slack_sdk's block models.

slack_sdk validates Slack's limits (24-char titles, 100 blocks, option lengths) when a model is
serialised, so a view that Slack would refuse fails here, in our tests, not on the floor.
"""
from __future__ import annotations

import json
from typing import Any, Sequence

from slack_sdk.models.blocks import (ActionsBlock, Block, ButtonElement, ContextBlock, DividerBlock,
                                     MarkdownTextObject, SectionBlock)
from slack_sdk.models.views import View

from models.tasks import ProductionTask

STAGE_EMOJI = {"cook": ":stew:", "label": ":label:", "pack": ":package:", "ship": ":truck:"}
STAGE_VERB = {"cook": "Cook", "label": "Label", "pack": "Pack", "ship": "Ship"}
RECORD_TASK_ACTION = "task_record"


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


def task_message(task: ProductionTask, katana_link: str) -> dict[str, Any]:
    """An open task: one line that reads on a phone, one big button that opens the right modal."""
    verb = STAGE_VERB[task.kind]
    headline = f"{STAGE_EMOJI[task.kind]} {verb} task — {task_summary(task)}"
    blocks: list[Block] = [text(headline)]
    if task.kind in ("cook", "label", "pack"):
        blocks.append(ActionsBlock(block_id="task", elements=[ButtonElement(
            text=f"Record {task.kind}", action_id=RECORD_TASK_ACTION, value=task.id, style="primary")]))
    blocks.append(note(f"<{katana_link}|Open {task.mo_order_no} in Katana>"))
    return {"text": f"{verb} task: {task.mo_order_no}", "blocks": [b.to_dict() for b in blocks]}


def task_done_message(task: ProductionTask, katana_link: str) -> dict[str, Any]:
    who = f"by {task.done_by}" if task.done_by else ""
    if task.status == "closed":
        line = f":white_check_mark: ~{STAGE_VERB[task.kind]} task~ — {task_summary(task)} · closed: {task.close_reason}"
    else:
        line = f":white_check_mark: {STAGE_VERB[task.kind]} done {who} — {task_summary(task)}"
    blocks = [text(line), note(f"<{katana_link}|Open {task.mo_order_no} in Katana>")]
    return {"text": f"{STAGE_VERB[task.kind]} done: {task.mo_order_no}", "blocks": [b.to_dict() for b in blocks]}


def confirmation_message(headline: str, facts: list[str], katana_link: str, order_no: str) -> dict[str, Any]:
    blocks: list[Block] = [text(headline)]
    if facts:
        blocks.append(note(" · ".join(facts)))
    blocks.append(note(f"<{katana_link}|Open {order_no} in Katana>"))
    return {"text": headline.replace("*", ""), "blocks": [b.to_dict() for b in blocks]}


def divider() -> DividerBlock:
    return DividerBlock()
