"""How a floor action ended this time: recorded, waiting for Katana, or failed — and what was written."""
from __future__ import annotations

from dataclasses import dataclass, field

from models.actions import FloorAction


@dataclass
class Outcome:
    action: FloorAction
    status: str  # "recorded", "waiting" or "failed"
    recorded: list[str] = field(default_factory=list)
    not_recorded: list[str] = field(default_factory=list)
    problem: str | None = None
    uncertain: list[str] = field(default_factory=list)  # sent, answer lost: may have been recorded
    order_closed: bool = False  # stopped for good, its MO finished or deleted in Katana: nothing to decide
