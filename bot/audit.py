"""`python -m bot audit --mo MO-101`: everything that happened to one MO, oldest first."""
from __future__ import annotations

from typing import Any, TextIO

from models.store import Store


async def order_id(store: Store, order_no: str) -> int | None:
    """The MO's Katana id, from what the bot has stored (tasks carry the order number)."""
    task = await store.db["production_tasks"].find_one({"mo_order_no": order_no})
    if task is not None:
        return int(task["mo_id"])
    action = await store.db["floor_actions"].find_one({"steps.result.order_no": order_no})
    return int(action["mo_id"]) if action is not None else None


def describe(entry: Any) -> str:
    details = entry.details
    parts = [f"{entry.at:%Y-%m-%d %H:%M:%S}Z", f"{entry.kind:<12}", entry.subject, "→", entry.outcome]
    if entry.actor:
        parts.append(f"by {entry.actor}")
    ids = {step: {k: v for k, v in result.items() if k.endswith("_id")}
           for step, result in (details.get("katana") or {}).items()}
    ids = {step: found for step, found in ids.items() if found}
    if ids:
        parts.append(f"katana ids {ids}")
    for key in ("problem", "error", "report"):
        if details.get(key):
            parts.append(f"{key}: {details[key]}")
    return " ".join(str(p) for p in parts)


async def print_history(store: Store, order_no: str, out: TextIO) -> int:
    mo_id = await order_id(store, order_no)
    if mo_id is None:
        in_memory = store.kind == "memory"
        note = " (the store is in memory: history lives only as long as the bot process)" if in_memory else ""
        print(f"No history for {order_no}{note}.", file=out)
        return 1
    print(f"{order_no} (Katana id {mo_id})", file=out)
    for entry in await store.audit.for_order(mo_id):
        print("  " + describe(entry), file=out)
    print("Tasks:", file=out)
    for task in await store.tasks.for_order(mo_id):
        who = f" by {task.done_by}" if task.done_by else ""
        print(f"  {task.kind:<6} {task.status:<8}{who}", file=out)
    return 0
