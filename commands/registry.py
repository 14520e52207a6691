"""The floor commands by name. Importing this registers every step they use.

/cook, /label and /pack follow the shared flow (commands/flow.py) as declared. /ship and /receive are
about sales and purchase orders, not MOs, and have a stage before their form, so they bring their own
`open`, `submit` and `outcome` in `FloorCommand.extra`, and listeners for their extra stages.
"""
from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError

from commands import cook, label, pack, receive, ship, steps  # noqa: F401 — steps registers the plan's step names
from commands.context import Floor
from commands.forms import FloorCommand
from commands.recording import Outcome

COMMANDS: dict[str, FloorCommand] = {c.name: c for c in (cook.COMMAND, label.COMMAND, pack.COMMAND,
                                                          ship.COMMAND, receive.COMMAND)}


def register_trade_listeners(app: Any, floor: Floor, receiving: Any) -> None:
    """The stages of /ship and /receive that come before their form (`receiving`: the slip reader and
    the photo downloader, see commands/receiving/)."""
    ship.listeners(app, floor)
    receive.listeners(app, floor, receiving)


async def announce(floor: Floor, outcome: Outcome) -> None:
    """The recorder's announcer: production commands through flow.announce, /ship and /receive with
    their own texts but the same promises (modal once, channel always, supervisors when needed)."""
    from commands import flow, supervision  # flow imports this module

    action = outcome.action
    command = COMMANDS.get(action.command)
    texts = command.extra.get("outcome") if command else None
    if texts is None:
        await flow.announce(floor, outcome)
        return
    if outcome.status == "waiting" and action.attempts > 1:
        return  # they were told once that it is saved; the next word is the final outcome
    view, message = texts(floor, outcome)
    if action.view_id and action.attempts <= 1:
        await flow.let_the_ack_land(action)
        try:
            await floor.slack.views_update(view_id=action.view_id, view=view)
        except SlackApiError:
            pass  # the person closed the modal; the channel message still reaches them
    await flow.post_where_they_work(floor, action, message)
    if supervision.needs_supervisor(outcome):
        await supervision.ask_supervisors(floor, outcome)
