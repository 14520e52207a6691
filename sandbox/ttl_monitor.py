"""MongoDB's TTL monitor, for the in-memory store, on demand (mongomock's own expiry ignores partial filters and
runs only on the wall clock: sandbox.memory_indexes paces it to once a minute, as the server does).

One pass of what the server does about once a minute (docs: "Expire Data from Collections by Setting TTL"):
for every TTL index, delete the documents its partial filter (if any) admits whose indexed field is a date
— or an array holding one — older than `expireAfterSeconds` before `now`. A document whose field is missing,
null or not a date is never deleted. Tests run it with `now` far in the future to see what retention forgets.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any


async def sweep(db: Any, now: datetime) -> dict[str, int]:
    """One pass over every collection; returns how many documents each lost."""
    deleted: dict[str, int] = {}
    for name in await db.list_collection_names():
        col = db[name]
        for index in (await col.index_information()).values():
            if "expireAfterSeconds" not in index:
                continue
            [(field, _)] = index["key"]
            expired = {field: {"$type": "date", "$lt": now - timedelta(seconds=index["expireAfterSeconds"])}}
            only = index.get("partialFilterExpression")
            result = await col.delete_many({"$and": [only, expired]} if only else expired)
            deleted[name] = deleted.get(name, 0) + result.deleted_count
    return deleted
