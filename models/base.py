"""Shared plumbing for Mongo documents.

Mongo (and mongomock) cannot store `Decimal`, and both hand back naive UTC datetimes,
so every document goes through `to_mongo` / `from_mongo` here and nowhere else.
"""
from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pymongo.errors import DuplicateKeyError

INT64_DIGITS = 18  # any number of up to 18 digits fits MongoDB's int64 (and Katana's ids)


def whole_number(text: object) -> int | None:
    """An id or count typed or sent as text: ASCII digits only, at most 18 of them, else None.
    (`"²".isdigit()` and `"①".isdigit()` are True, but `int()` refuses them: a crafted field answered 500.)"""
    value = str(text) if text is not None else ""
    if not (value.isascii() and value.isdigit() and len(value) <= INT64_DIGITS):
        return None
    return int(value)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _bson_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # exact; Decimal128 is not supported by mongomock
    if isinstance(value, dict):
        return {k: _bson_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_bson_safe(v) for v in value]
    return value


def aware(moment: datetime) -> datetime:
    """A datetime as UTC-aware (mongomock, and MongoDB without tz_aware, give naive UTC back)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _aware(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    if isinstance(value, dict):
        return {k: _aware(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_aware(v) for v in value]
    return value


class Document(BaseModel):
    """A pydantic model stored as one Mongo document; `id` is Mongo's `_id`."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    id: str = Field(alias="_id")

    @field_validator("*", mode="before")
    @classmethod
    def _utc(cls, value: Any) -> Any:
        return _aware(value)

    def to_mongo(self) -> dict[str, Any]:
        document: dict[str, Any] = _bson_safe(self.model_dump(by_alias=True, mode="python"))
        return document

    @classmethod
    def from_mongo(cls, doc: dict[str, Any] | None) -> Self | None:
        return None if doc is None else cls.model_validate(doc)


async def insert_once(col: Any, document: Document) -> tuple[Any, bool]:
    """Insert unless a document with that `_id` exists: (stored document, created). The unique `_id`
    makes this safe for concurrent callers — the dedup rule of tasks and floor actions."""
    try:
        await col.insert_one(document.to_mongo())
        return document, True
    except DuplicateKeyError:
        return type(document).from_mongo(await col.find_one({"_id": document.id})), False


def plain(value: Any) -> Any:
    """Values as they go into a `$set` (Decimals as exact strings)."""
    return _bson_safe(value)
