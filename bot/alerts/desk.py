"""The alert desk: turns a run's changes into Slack posts and handles what supervisors do with them.

- new alerts: one message each with Acknowledge / Snooze buttons — or, past DIGEST_OVER in one run, one
  digest message with a table (the alerts can then be handled from `/floor alerts`);
- worse: a new message (the old one is marked "got worse, see the newer message");
- better: the existing message is updated in place, nothing new is posted;
- resolved: the alert's message shows "resolved"; alerts that were only in a digest get one
  "back to normal" line per run;
- unacknowledged high/critical alerts are re-raised in the escalation channel after the configured delay.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.alerts import messages as msg
from bot.alerts.ledger import Changes
from bot.alerts.poster import AlertPoster
from models.alerts import Alert, AlertRepository
from models.base import utcnow

log = logging.getLogger(__name__)
DIGEST_OVER = 10  # more new alerts than this in one run → one digest


class AlertDesk:
    def __init__(self, repo: AlertRepository, poster: AlertPoster, *, escalation_channel: str | None,
                 escalate_after_minutes: float, now: Callable[[], datetime] = utcnow) -> None:
        self.repo, self.poster, self.now = repo, poster, now
        self.escalation_channel, self.escalate_after = escalation_channel, escalate_after_minutes

    # --- after a sync run -----------------------------------------------------------------------

    async def publish(self, changes: Changes, channel: str | None) -> int:
        """Post what changed; returns how many messages were posted."""
        if channel is None:
            if changes.raised or changes.worsened:
                log.warning("%d new %s alerts from %s are stored but not posted: no alert channel is set",
                            len(changes.raised) + len(changes.worsened), changes.kind, changes.source)
            return 0
        posted = await self._post_new(changes.raised + changes.unposted, changes.source, channel)
        for alert in changes.worsened:
            posted += await self._repost(alert, channel)
        for alert in changes.improved:
            await self.refresh(alert)
        posted += await self._resolve_messages(changes.resolved, changes.source, channel)
        return posted

    async def _post_new(self, alerts: list[Alert], source: str, channel: str) -> int:
        now = self.now()
        fresh = [a for a in alerts if not a.snoozed(now) and await self.repo.claim_post(a.id, a.severity)]
        if len(fresh) > DIGEST_OVER:
            ts = await self.poster.post(channel, msg.digest_message(fresh, source))
            for alert in fresh:
                await self._attach_or_release(alert, channel, ts, in_digest=True)
            return 1 if ts else 0
        posted = 0
        for alert in fresh:
            ts = await self.poster.post(channel, msg.alert_message(alert, now))
            await self._attach_or_release(alert, channel, ts)
            posted += 1 if ts else 0
        return posted

    async def _repost(self, alert: Alert, channel: str) -> int:
        if not await self.repo.claim_post(alert.id, alert.severity):
            return 0  # another replica is posting (or posted) this severity
        if alert.message_ts and alert.channel and not alert.in_digest:
            await self.poster.update(alert.channel, alert.message_ts, msg.superseded_message(alert))
        ts = await self.poster.post(channel, msg.alert_message(alert, self.now()))
        await self._attach_or_release(alert, channel, ts)
        return 1 if ts else 0

    async def _attach_or_release(self, alert: Alert, channel: str, ts: str | None, *, in_digest: bool = False) -> None:
        if ts is None:
            await self.repo.release_post(alert.id)
        else:
            await self.repo.attach_message(alert.id, channel=channel, ts=ts, severity=alert.severity,
                                           in_digest=in_digest)

    async def _resolve_messages(self, resolved: list[Alert], source: str, channel: str) -> int:
        only_in_digest = [a for a in resolved if a.in_digest]
        for alert in resolved:
            await self.refresh(alert)
        if not only_in_digest:
            return 0
        return 1 if await self.poster.post(channel, msg.back_to_normal_message(only_in_digest, source)) else 0

    # --- what supervisors do ----------------------------------------------------------------------

    async def acknowledge(self, alert_id: str, user: str) -> Alert | None:
        alert = await self.repo.acknowledge(alert_id, user)
        if alert is not None and alert.kind == "yield":
            # A finished order's yield will not recover by itself: acknowledging it is closing it.
            alert = await self.repo.resolve(alert.id, reason=f"acknowledged by <@{user}>") or alert
        if alert is not None:
            await self.refresh(alert)
        return alert

    async def snooze(self, alert_id: str, user: str, hours: int) -> Alert | None:
        alert = await self.repo.snooze(alert_id, user, self.now() + timedelta(hours=hours))
        if alert is not None:
            await self.refresh(alert)
        return alert

    async def refresh(self, alert: Alert) -> None:
        """Bring every message showing this alert up to date (its own and its escalation)."""
        now = self.now()
        if alert.channel and alert.message_ts and not alert.in_digest:
            await self.poster.update(alert.channel, alert.message_ts, msg.alert_message(alert, now))
        if alert.escalation_channel and alert.escalation_ts:
            message = (msg.escalation_message(alert, self.escalate_after, now) if alert.is_open
                       else msg.resolved_message(alert))
            await self.poster.update(alert.escalation_channel, alert.escalation_ts, message)

    # --- escalation -------------------------------------------------------------------------------

    async def escalate_due(self) -> int:
        if not self.escalation_channel:
            return 0
        now = self.now()
        escalated = 0
        for alert in await self.repo.due_for_escalation(now - timedelta(minutes=self.escalate_after), now):
            if not await self.repo.claim_escalation(alert.id):
                continue
            ts = await self.poster.post(self.escalation_channel,
                                        msg.escalation_message(alert, self.escalate_after, now))
            await self.repo.record_escalation(alert.id, self.escalation_channel, ts)
            escalated += 1 if ts else 0
        return escalated
