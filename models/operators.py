"""Which Katana operator each Slack person is: set by a supervisor, never guessed from a name.

Katana credits a completed operation row to operators (`completed_by_operators[{operator_id}]`). A Slack
display or real name is anyone's to change, so it cannot say who a person is; the Slack user id can. One
document per Slack person (`_id` = the user id) naming the Katana operator, and who linked them when. A unique
index on the operator keeps one Slack person per Katana operator: two people can never both be credited as
the same operator, whoever links them at the same moment.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from models.base import Document, utcnow


class OperatorLink(Document):
    """`id` is the Slack user id."""

    operator_id: int
    operator_name: str  # as Katana named the operator when the link was made (for listings)
    linked_by: str  # the supervisor's Slack user id
    linked_at: datetime


class OperatorTaken(Exception):
    """The Katana operator is linked to another Slack person already."""

    def __init__(self, holder: OperatorLink) -> None:
        super().__init__(holder.id)
        self.holder = holder


class OperatorLinks:
    def __init__(self, db: Any) -> None:
        self.col = db["operator_links"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("operator_id", 1)], unique=True, name="one_person_per_operator")

    async def of(self, user_id: str) -> OperatorLink | None:
        return OperatorLink.from_mongo(await self.col.find_one({"_id": user_id}))

    async def link(self, user_id: str, operator_id: int, operator_name: str, *, by: str) -> OperatorLink:
        """Link (or re-link) a person; OperatorTaken when someone else is that operator already."""
        link = OperatorLink(id=user_id, operator_id=operator_id, operator_name=operator_name, linked_by=by,
                            linked_at=utcnow())
        fields = {k: v for k, v in link.to_mongo().items() if k != "_id"}
        try:
            await self.col.update_one({"_id": user_id}, {"$set": fields}, upsert=True)
        except DuplicateKeyError:
            holder = OperatorLink.from_mongo(await self.col.find_one({"operator_id": operator_id}))
            if holder is None:  # unlinked in between: the caller may simply try again
                raise
            raise OperatorTaken(holder) from None
        return link

    async def unlink(self, user_id: str) -> OperatorLink | None:
        return OperatorLink.from_mongo(await self.col.find_one_and_delete({"_id": user_id}))

    async def all(self) -> list[OperatorLink]:
        cursor = self.col.find({}).sort("operator_name", 1)
        return [OperatorLink.model_validate(d) async for d in cursor]
