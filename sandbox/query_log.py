"""The queries a bot sends to its store, as shapes, and whether a declared index serves a shape.

`RecordingDatabase` wraps a database (the in-memory one) and notes the filter and sort of every query any
repository sends through it; `shape_of` turns one into a `models.query_shapes.QueryShape`; `served` tells
whether an index's keys serve it, by MongoDB's prefix rule (ESR): the index begins with equality fields of
the query (one or more; the rest are checked on the documents found), then holds the sort keys in order (or
all reversed), and — for a query with neither — begins with a field it compares by range.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from models.query_shapes import QueryShape

EQUALITY_OPERATORS = frozenset({"$eq", "$in"})
QUERY_METHODS = ("find_one", "find_one_and_update", "find_one_and_delete", "update_one", "update_many",
                 "delete_one", "delete_many", "count_documents")


def shape_of(collection: str, query: dict[str, Any], sort: Iterable[tuple[str, int]] = ()) -> QueryShape:
    equality, ranged = set(), set()
    for key, value in query.items():
        if key.startswith("$"):  # $or / $and / $nor: every field inside is a range for the planner
            ranged |= fields_in(value)
        elif isinstance(value, dict) and value and all(k.startswith("$") for k in value):
            (equality if set(value) <= EQUALITY_OPERATORS else ranged).add(key)
        else:
            equality.add(key)
    return QueryShape(collection, frozenset(equality), tuple((f, int(d)) for f, d in sort), frozenset(ranged))


def fields_in(clauses: Any) -> set[str]:
    found: set[str] = set()
    for clause in clauses if isinstance(clauses, list) else [clauses]:
        for key, value in clause.items():
            found |= fields_in(value) if key.startswith("$") else {key}
    return found


def by_primary_key(shape: QueryShape) -> bool:
    return "_id" in shape.equality


def served(shape: QueryShape, keys: list[tuple[str, int]]) -> bool:
    """Whether an index with these keys serves the shape (see the module docstring)."""
    if by_primary_key(shape):
        return True
    used = 0
    while used < len(keys) and keys[used][0] in shape.equality:
        used += 1
    if shape.equality and used == 0:
        return False
    if shape.sort:
        following = [(f, int(d)) for f, d in keys[used:used + len(shape.sort)]]
        return following in (list(shape.sort), [(f, -d) for f, d in shape.sort])
    return used > 0 or (bool(keys) and keys[0][0] in shape.range)


def sort_keys(sort: Any, direction: Any = None) -> list[tuple[str, int]]:
    if isinstance(sort, str):
        return [(sort, int(direction if direction is not None else 1))]
    return [(f, int(d)) for f, d in sort or []]


class RecordingDatabase:
    def __init__(self, db: Any) -> None:
        self.db = db
        self.shapes: set[QueryShape] = set()

    def __getitem__(self, name: str) -> RecordingCollection:
        return RecordingCollection(self.db[name], self)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.db, name)


class RecordingCollection:
    def __init__(self, col: Any, log: RecordingDatabase) -> None:
        self.col, self.log = col, log

    def note(self, query: dict[str, Any] | None, sort: Any = None) -> None:
        self.log.shapes.add(shape_of(self.col.name, query or {}, sort_keys(sort)))

    def find(self, query: dict[str, Any] | None = None, *args: Any, **kwargs: Any) -> RecordingCursor:
        return RecordingCursor(self.col.find(query, *args, **kwargs), self, query or {})

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.col, name)
        if name not in QUERY_METHODS:
            return method

        def recorded(query: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
            self.note(query, kwargs.get("sort"))
            return method(query, *args, **kwargs)
        return recorded


class RecordingCursor:
    def __init__(self, cursor: Any, col: RecordingCollection, query: dict[str, Any]) -> None:
        self.cursor, self.col, self.query = cursor, col, query
        self.sorted: list[tuple[str, int]] = []
        self.noted = False

    def sort(self, key: Any, direction: Any = None) -> RecordingCursor:
        self.sorted += sort_keys(key, direction)
        self.cursor = self.cursor.sort(key, direction) if direction is not None else self.cursor.sort(key)
        return self

    def limit(self, n: int) -> RecordingCursor:
        self.cursor = self.cursor.limit(n)
        return self

    def __aiter__(self) -> Any:
        self.col.note(self.query, self.sorted)
        return self.cursor.__aiter__()

    async def to_list(self, length: int | None = None) -> list[Any]:
        self.col.note(self.query, self.sorted)
        return list(await self.cursor.to_list(length))
