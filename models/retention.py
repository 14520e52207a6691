"""How long the store keeps what grows with every event and action, and the TTL indexes that forget it.

MongoDB's TTL monitor (about once a minute) deletes a document once the date in its indexed field is older
than the index's `expireAfterSeconds`; a document whose field is missing, null or not a date is never
deleted. So every TTL field here is one that is set only once the document's work is over, and cleared
if the work starts again: an unfinished floor action or an unprocessed webhook event is never forgotten,
whatever its age.

| collection      | forgets                                             | after        |
|-----------------|-----------------------------------------------------|--------------|
| katana_events   | processed or ignored events (`processed_at`)        | `events`     |
| floor_actions   | recorded, failed, cancelled actions (`finished_at`) | `actions`    |
| undo_offers     | Undo buttons (`expires_at`)                         | `actions`    |
| claims          | who recorded a task's stage; same-facts checks (`at`) | `actions`  |
| sync_log        | the audit trail (`at`)                              | `audit`      |
| alerts          | resolved alerts (`resolved_at`)                     | `audit`      |
| shift_reports   | which shift reports were posted (`shift_end`)       | `audit`      |
| modal_drafts    | /ship, /receive and confirm forms (`created_at`)    | `drafts`     |
| katana_orders   | the order memory (`kept_at`)                        | `order_memory` |
| leases          | job leases and locks not taken for a week (`started_at`) | 7 days  |

Kept without a TTL: production tasks (one per MO and stage; a late webhook must still find an old MO's
stage recorded), receipts (the record of which supplier lots came in, what the slip said and who confirmed
it: traceability, a few a day), the inventory cache (one row per item, overwritten by each sync), the
shared budgets (`budgets` and `budget_turns`: per budget, Katana's and each Slack channel's, one document
and one per turn its window allows, overwritten turn after turn).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pymongo.errors import OperationFailure

# MongoDB's codes for "an index of that name exists with other options / other keys".
INDEX_OPTIONS_CONFLICT = (85, 86)


@dataclass(frozen=True)
class Retention:
    """The floors are what other features need: the shift report's week and App Home's last actions
    (actions ≥ 8 days), this month's Unleashed calls counted from the audit (audit ≥ 32 days), the order
    memory's 8 h of trust and Katana's retry ladder (events, order memory ≥ 1 day)."""

    events: timedelta = timedelta(days=30)
    actions: timedelta = timedelta(days=180)
    audit: timedelta = timedelta(days=365)
    drafts: timedelta = timedelta(days=7)
    order_memory: timedelta = timedelta(days=30)


DEFAULT_RETENTION = Retention()  # frozen: shared safely


async def expire_after(col: Any, field: str, keep: timedelta, *, name: str,
                       only: dict[str, Any] | None = None) -> None:
    """A TTL index on `field` (partial when `only` is given). A retention changed since the index was made
    is changed in place (`collMod`): creating it again with another expiry fails on MongoDB."""
    seconds = int(keep.total_seconds())
    options: dict[str, Any] = {"name": name, "expireAfterSeconds": seconds}
    if only is not None:
        options["partialFilterExpression"] = only
    try:
        await col.create_index([(field, 1)], **options)
    except OperationFailure as exc:
        if exc.code not in INDEX_OPTIONS_CONFLICT:
            raise
        await col.database.command("collMod", col.name, index={"name": name, "expireAfterSeconds": seconds})


def once_dated(field: str) -> dict[str, Any]:
    """A partial filter: only documents whose `field` holds a date (the TTL's own rule, stated in the index
    so that it holds only what can expire)."""
    return {field: {"$type": "date"}}
