"""An MO's operation rows as the floor sees them: which row is a stage's, and one writer per row at a time.

Two things change a stage's operation row in Katana: the task timer (IN_PROGRESS, PAUSED, BLOCKED with
the time so far; commands.timers) and the recording (COMPLETED with time and operator; commands.steps).
Both hold `row_lock` of the task while they write, and the recording marks the task's row completed:
a timer sync that was waiting, or comes later, never moves a COMPLETED row back.
"""
from __future__ import annotations

from integrations.katana.models import OperationRow

STAGE_WORDS = {"cook": ("cook",), "label": ("label",), "pack": ("pack",)}
STAGE_ORDER = ("cook", "label", "pack")


def pick_operation(rows: list[OperationRow], stage: str) -> OperationRow | None:
    """The MO's operation row for a stage: by name ("Cooking", "Label jars"), else by position."""
    for row in rows:
        if any(word in (row.operation_name or "").lower() for word in STAGE_WORDS[stage]):
            return row
    position = STAGE_ORDER.index(stage)
    return rows[position] if len(rows) == len(STAGE_ORDER) else None


def row_lock(task_id: str) -> str:
    """The lock both writers of a task's operation row hold (commands.context.KeyedLocks)."""
    return f"row of {task_id}"
