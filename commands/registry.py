"""The floor commands by name. Importing this registers every step they use."""
from __future__ import annotations

from commands import cook, label, pack, steps  # noqa: F401 — steps registers the plan's step names
from commands.forms import FloorCommand

COMMANDS: dict[str, FloorCommand] = {c.name: c for c in (cook.COMMAND, label.COMMAND, pack.COMMAND)}
