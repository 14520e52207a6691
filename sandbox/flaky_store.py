"""A MongoDB that fails on purpose: store errors injected at any call, at the driver's boundary.

`FlakyDatabase` wraps a (mongomock-motor) database; every collection it hands out asks `rule` before
each call whether to fail it, and raises pymongo's `AutoReconnect` (what a failover looks like to the
driver) instead of doing it. The bot's own code is not touched: the store is built over this database
(`models.store.store_over`), exactly as over a real one.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pymongo.errors import AutoReconnect

from models.clock import Clock, LocalClock
from models.store import Store, store_over

CALLS = ("insert_one", "insert_many", "find_one", "find_one_and_update", "find_one_and_delete", "update_one",
         "update_many", "delete_one", "delete_many", "count_documents", "create_index", "replace_one")


@dataclass(frozen=True)
class Call:
    collection: str
    method: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]

    def sets_only(self, *fields: str) -> bool:
        """An update whose `$set` touches exactly these fields (e.g. a lease renewal)."""
        update = self.args[1] if len(self.args) > 1 else self.kwargs.get("update") or {}
        return isinstance(update, dict) and set(update.get("$set") or {}) == set(fields)


Rule = Callable[[Call], bool]


@dataclass
class Faults:
    """The rule deciding which calls fail, and a record of what was failed."""

    rule: Rule = lambda call: False
    failed: list[Call] = field(default_factory=list)
    pause: bool = False  # yield to the loop before each call, as a round trip to a real server does
    cursors: bool = False  # `find` may fail too (where the driver would raise as the cursor is read)

    def should_fail(self, call: Call) -> bool:
        if self.rule(call):
            self.failed.append(call)
            return True
        return False


class FlakyCollection:
    def __init__(self, collection: Any, name: str, faults: Faults) -> None:
        self._collection, self._name, self._faults = collection, name, faults

    def __getattr__(self, attribute: str) -> Any:
        real = getattr(self._collection, attribute)
        if attribute == "find" and self._faults.cursors:
            def find(*args: Any, **kwargs: Any) -> Any:
                if self._faults.should_fail(Call(self._name, attribute, args, kwargs)):
                    raise AutoReconnect(f"injected: {self._name}.find")
                return real(*args, **kwargs)
            return find
        if attribute not in CALLS:
            return real  # find() cursors, names…: failures come from the calls that write or read one

        async def call(*args: Any, **kwargs: Any) -> Any:
            if self._faults.pause:
                await asyncio.sleep(0)
            if self._faults.should_fail(Call(self._name, attribute, args, kwargs)):
                raise AutoReconnect(f"injected: {self._name}.{attribute}")
            return await real(*args, **kwargs)
        return call


class FlakyDatabase:
    def __init__(self, db: Any, faults: Faults) -> None:
        self._db, self._faults = db, faults

    def __getitem__(self, name: str) -> FlakyCollection:
        return FlakyCollection(self._db[name], name, self._faults)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._db, attribute)


def flaky_store(faults: Faults, *, clock: Clock | None = None, name: str = "flaky") -> Store:
    """An in-memory store whose every collection call may fail as `faults` decides."""
    from mongomock_motor import AsyncMongoMockClient

    client = AsyncMongoMockClient()
    return store_over("memory", client, FlakyDatabase(client[name], faults), clock or LocalClock())
