"""The floor commands by name: the slash command a person types, and the `command` a stored action names.

/cook, /label and /pack follow the shared flow (commands/flow.py) as declared. /ship and /receive are
about sales and purchase orders, not MOs, and have a stage before their form, so they bring their own
`opens` and `submits` (commands/shipping, commands/receiving); their listeners are in bot/listeners.
"""
from __future__ import annotations

from typing import Any

from commands import cook, label, pack, receive, ship
from commands.forms import FloorCommand

COMMANDS: dict[str, FloorCommand[Any]] = {c.name: c for c in (cook.COMMAND, label.COMMAND, pack.COMMAND,
                                                              ship.COMMAND, receive.COMMAND)}
