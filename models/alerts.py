"""Stock and quality alerts: one open alert per (source, item, kind), and what people did with it.

While an alert is open its `open_key` is "<source>:<kind>:<item>"; a unique sparse index on it makes a second
open alert for the same thing impossible, even with two sync runs racing. Resolving removes the key, so the
next time the item goes low a new alert (a new document) is raised. Every change is one atomic update that
names the state it expects, so a button tapped twice, or a tap racing a sync, changes things once.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, Literal

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from models.base import Document, plain, utcnow

Severity = Literal["medium", "high", "critical"]
SEVERITIES: tuple[str, ...] = ("medium", "high", "critical")  # worst last
ESCALATING = ("high", "critical")


def rank(severity: str) -> int:
    return SEVERITIES.index(severity)


def open_key(source: str, kind: str, item: str) -> str:
    return f"{source}:{kind}:{item}"


class Alert(Document):
    source: str  # "unleashed" | "amazon" | "katana"
    kind: str  # "low_stock" | "yield"
    item: str  # product code / seller SKU / MO id
    title: str  # how people name the item: "Tomato soup 1 L (SOUP-TOM)"
    severity: Severity
    summary: str  # one line: "4 on hand, minimum 20"
    facts: dict[str, str] = {}
    observed: str = ""  # what was measured, to tell a repeat from a change (quality alerts)
    link: str | None = None
    status: Literal["open", "resolved"] = "open"
    open_key: str | None = None
    raised_at: datetime
    updated_at: datetime
    resolved_at: datetime | None = None
    severe_since: datetime | None = None  # when it first became high/critical: the escalation clock
    channel: str | None = None
    message_ts: str | None = None
    posted_severity: str | None = None  # severity shown by the last post: re-post only when it worsens
    in_digest: bool = False
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    snoozed_until: datetime | None = None
    snoozed_by: str | None = None
    escalated_at: datetime | None = None
    escalation_channel: str | None = None
    escalation_ts: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def snoozed(self, now: datetime) -> bool:
        return self.snoozed_until is not None and self.snoozed_until > now


class AlertRepository:
    def __init__(self, db: Any) -> None:
        self.col = db["alerts"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("open_key", 1)], unique=True, sparse=True, name="one_open_alert_per_item")
        await self.col.create_index([("status", 1), ("severity", 1), ("raised_at", 1)], name="open_by_severity")
        await self.col.create_index([("source", 1), ("kind", 1), ("item", 1), ("raised_at", -1)], name="history")

    async def raise_alert(self, *, source: str, kind: str, item: str, title: str, severity: Severity, summary: str,
                          facts: dict[str, str], observed: str = "", link: str | None = None) -> Alert | None:
        """A new open alert, or None when one is already open for (source, kind, item)."""
        now = utcnow()
        alert = Alert(id=uuid.uuid4().hex, source=source, kind=kind, item=item, title=title,
                      severity=severity, summary=summary, facts=facts, observed=observed, link=link,
                      open_key=open_key(source, kind, item), raised_at=now, updated_at=now,
                      severe_since=now if severity in ESCALATING else None)
        try:
            await self.col.insert_one(alert.to_mongo())
        except DuplicateKeyError:
            return None
        return alert

    async def get(self, alert_id: str) -> Alert | None:
        return Alert.from_mongo(await self.col.find_one({"_id": alert_id}))

    async def open_for(self, source: str, kind: str | None = None) -> list[Alert]:
        query: dict[str, Any] = {"status": "open", "source": source}
        if kind:
            query["kind"] = kind
        return [Alert.model_validate(d) async for d in self.col.find(query)]

    async def all_open(self) -> list[Alert]:
        cursor = self.col.find({"status": "open"}).sort("raised_at", 1)
        return [Alert.model_validate(d) async for d in cursor]

    async def was_seen(self, source: str, kind: str, item: str, observed: str) -> bool:
        """Has this exact measurement been alerted on before (open or not)? Quality alerts are raised once."""
        return await self.col.find_one({"source": source, "kind": kind, "item": item, "observed": observed}) is not None

    async def update_reading(self, alert_id: str, *, severity: str, summary: str, facts: dict[str, str],
                             observed: str = "", clear_snooze: bool = False,
                             became_severe: bool = False) -> Alert | None:
        fields: dict[str, Any] = {"severity": severity, "summary": summary, "facts": facts, "observed": observed,
                                  "updated_at": utcnow()}
        if became_severe:
            fields["severe_since"] = utcnow()
        if clear_snooze:  # it got worse: a snooze was for the situation as it was
            fields.update(snoozed_until=None, snoozed_by=None)
        return await self._change({"_id": alert_id, "status": "open"}, {"$set": plain(fields)})

    async def resolve(self, alert_id: str, reason: str = "back to normal") -> Alert | None:
        """Close an open alert; returns it only if this call closed it."""
        now = utcnow()
        return await self._change({"_id": alert_id, "status": "open"},
                                  {"$set": {"status": "resolved", "resolved_at": now, "updated_at": now,
                                            "facts.resolution": reason},
                                   "$unset": {"open_key": ""}})

    async def claim_post(self, alert_id: str, severity: str, stale: timedelta = timedelta(minutes=1)) -> bool:
        """One poster per alert and severity, whichever replica reconciles: the post is claimed first
        (a claim left by a poster that died is taken over after `stale`)."""
        now = utcnow()
        won = await self.col.find_one_and_update(
            {"_id": alert_id, "posted_severity": {"$ne": severity},
             "$or": [{"posting_since": None}, {"posting_since": {"$lt": now - stale}}]},
            {"$set": {"posting_since": now}})
        return won is not None

    async def release_post(self, alert_id: str) -> None:
        """The post failed: the next run may try again."""
        await self.col.update_one({"_id": alert_id}, {"$set": {"posting_since": None}})

    async def attach_message(self, alert_id: str, *, channel: str, ts: str, severity: str,
                             in_digest: bool = False) -> Alert | None:
        return await self._change({"_id": alert_id}, {"$set": {
            "channel": channel, "message_ts": ts, "posted_severity": severity, "in_digest": in_digest,
            "posting_since": None}})

    async def acknowledge(self, alert_id: str, user: str) -> Alert | None:
        """Record who acknowledged; only the first tap counts."""
        now = utcnow()
        return await self._change({"_id": alert_id, "status": "open", "acknowledged_at": None},
                                  {"$set": {"acknowledged_by": user, "acknowledged_at": now, "updated_at": now}})

    async def snooze(self, alert_id: str, user: str, until: datetime) -> Alert | None:
        return await self._change({"_id": alert_id, "status": "open"},
                                  {"$set": {"snoozed_until": until, "snoozed_by": user, "updated_at": utcnow()}})

    async def due_for_escalation(self, severe_before: datetime, now: datetime) -> list[Alert]:
        query = {"status": "open", "severity": {"$in": list(ESCALATING)}, "acknowledged_at": None,
                 "escalated_at": None, "severe_since": {"$lte": severe_before}}
        found = [Alert.model_validate(d) async for d in self.col.find(query)]
        return [a for a in found if not a.snoozed(now)]

    async def claim_escalation(self, alert_id: str) -> bool:
        """One caller wins the right to escalate (so two workers never post it twice)."""
        won = await self.col.find_one_and_update({"_id": alert_id, "escalated_at": None},
                                                 {"$set": {"escalated_at": utcnow()}})
        return won is not None

    async def record_escalation(self, alert_id: str, channel: str | None, ts: str | None) -> None:
        if ts is None:  # the post failed: let the next sweep try again
            await self.col.update_one({"_id": alert_id}, {"$set": {"escalated_at": None}})
            return
        await self.col.update_one({"_id": alert_id}, {"$set": {"escalation_channel": channel, "escalation_ts": ts}})

    async def open_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITIES, 0)
        async for doc in self.col.find({"status": "open"}, {"severity": 1}):
            counts[doc["severity"]] = counts.get(doc["severity"], 0) + 1
        return counts

    async def _change(self, query: dict[str, Any], update: dict[str, Any]) -> Alert | None:
        doc = await self.col.find_one_and_update(query, update, return_document=ReturnDocument.AFTER)
        return Alert.from_mongo(doc)
