"""Reconciling one sync's findings with the alerts already open: raise once, worsen, improve, resolve.

- a finding with no open alert → a new alert (a yield already alerted on with the same numbers is not
  raised again, even after it was closed: a finished order's yield is an event, not a condition);
- a finding whose severity is worse than its open alert → the alert worsens (and will be re-posted);
- a finding that is better or the same → the alert's numbers are refreshed quietly;
- an open alert whose item was read this run and is now fine → resolved. Items the run did not read
  (a failed page, a product that vanished) keep their alerts: silence is not recovery.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from bot.alerts.policy import Finding, Reading
from models.alerts import ESCALATING, Alert, AlertRepository, rank


@dataclass
class Changes:
    source: str
    kind: str
    raised: list[Alert] = field(default_factory=list)
    worsened: list[Alert] = field(default_factory=list)
    improved: list[Alert] = field(default_factory=list)
    resolved: list[Alert] = field(default_factory=list)
    unposted: list[Alert] = field(default_factory=list)  # open, never posted (no channel then, or Slack failed)


async def reconcile(repo: AlertRepository, reading: Reading) -> Changes:
    changes = Changes(reading.source, reading.kind)
    open_now = {a.item: a for a in await repo.open_for(reading.source, reading.kind)}
    for finding in reading.findings:
        existing = open_now.pop(finding.item, None)
        if existing is None:
            await _raise(repo, finding, changes)
        else:
            await _follow(repo, existing, finding, changes)
    for item, alert in open_now.items():
        if item in reading.seen:
            resolved = await repo.resolve(alert.id)
            if resolved is not None:
                changes.resolved.append(resolved)
        elif alert.message_ts is None:
            changes.unposted.append(alert)
    return changes


async def _raise(repo: AlertRepository, finding: Finding, changes: Changes) -> None:
    if finding.observed and await repo.was_seen(finding.source, finding.kind, finding.item, finding.observed):
        return
    alert = await repo.raise_alert(source=finding.source, kind=finding.kind, item=finding.item, title=finding.title,
                                   severity=finding.severity, summary=finding.summary, facts=finding.facts,
                                   observed=finding.observed, link=finding.link)
    if alert is not None:  # None: another run raised it a moment ago
        changes.raised.append(alert)


async def _follow(repo: AlertRepository, alert: Alert, finding: Finding, changes: Changes) -> None:
    worse = rank(finding.severity) > rank(alert.severity)
    became_severe = finding.severity in ESCALATING and alert.severity not in ESCALATING
    if not worse and finding.severity == alert.severity and finding.summary == alert.summary:
        if alert.message_ts is None:
            changes.unposted.append(alert)
        return
    updated = await repo.update_reading(alert.id, severity=finding.severity, summary=finding.summary,
                                        facts=finding.facts, observed=finding.observed, clear_snooze=worse,
                                        became_severe=became_severe)
    if updated is None:  # resolved or acknowledged-and-closed meanwhile
        return
    if worse:
        changes.worsened.append(updated)
    elif updated.message_ts is None:
        changes.unposted.append(updated)
    elif rank(finding.severity) < rank(alert.severity):
        changes.improved.append(updated)
