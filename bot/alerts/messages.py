"""What supervisors see in Slack for alerts, built with slack_sdk's block models (limits checked on build)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from commands.cards import note, text
from models.alerts import Alert

ACK_ACTION = "alert_ack"
SNOOZE_ACTIONS = {"alert_snooze_4h": 4, "alert_snooze_24h": 24}
SEVERITY_ICON = {"medium": ":large_yellow_circle:", "high": ":large_orange_circle:", "critical": ":red_circle:"}
SOURCE_NAME = {"unleashed": "Unleashed", "amazon": "Amazon FBA", "katana": "Katana"}
KIND_NAME = {"low_stock": "Low stock", "yield": "Low yield"}
DIGEST_ROWS_PER_BLOCK = 25


def when(moment: datetime) -> str:
    return moment.strftime("%d %b %H:%M UTC")


def headline(alert: Alert) -> str:
    return (f"{SEVERITY_ICON[alert.severity]} *{KIND_NAME.get(alert.kind, alert.kind)}* ({alert.severity}) — "
            f"*{alert.title}* · {alert.summary}")


def state_line(alert: Alert, now: datetime) -> str | None:
    parts = []
    if alert.acknowledged_at:
        parts.append(f":white_check_mark: Acknowledged by <@{alert.acknowledged_by}> at {when(alert.acknowledged_at)}")
    if alert.snoozed(now) and alert.snoozed_until:
        parts.append(f":zzz: Snoozed by <@{alert.snoozed_by}> until {when(alert.snoozed_until)}")
    return " · ".join(parts) or None


def buttons(alert: Alert) -> ActionsBlock:
    elements = [] if alert.acknowledged_at else [
        ButtonElement(text="Acknowledge", action_id=ACK_ACTION, value=alert.id, style="primary")]
    elements += [ButtonElement(text=f"Snooze {hours} h", action_id=action, value=alert.id)
                 for action, hours in SNOOZE_ACTIONS.items()]
    return ActionsBlock(block_id=f"alert:{alert.id}", elements=elements)


def alert_blocks(alert: Alert, now: datetime) -> list[Block]:
    blocks: list[Block] = [text(headline(alert))]
    facts = " · ".join(f"{k}: {v}" for k, v in alert.facts.items() if k != "resolution")
    source = f"{SOURCE_NAME.get(alert.source, alert.source)} · raised {when(alert.raised_at)}"
    if alert.link:
        source += f" · <{alert.link}|open>"
    blocks.append(note(f"{facts} · {source}" if facts else source))
    state = state_line(alert, now)
    if state:
        blocks.append(note(state))
    if alert.is_open:
        blocks.append(buttons(alert))
    return blocks


def alert_message(alert: Alert, now: datetime) -> dict[str, Any]:
    if not alert.is_open:
        return resolved_message(alert)
    return _message(f"{KIND_NAME.get(alert.kind, alert.kind)} ({alert.severity}): {alert.title} — {alert.summary}",
                    alert_blocks(alert, now))


def resolved_message(alert: Alert) -> dict[str, Any]:
    reason = alert.facts.get("resolution", "back to normal")
    line = f":white_check_mark: ~{KIND_NAME.get(alert.kind, alert.kind)}: {alert.title}~ — resolved: {reason}"
    when_resolved = when(alert.resolved_at) if alert.resolved_at else ""
    return _message(f"Resolved: {alert.title} — {reason}",
                    [text(line), note(f"when raised: {alert.summary} · resolved {when_resolved}")])


def superseded_message(alert: Alert) -> dict[str, Any]:
    line = f":arrow_heading_down: ~{alert.title}~ got worse ({alert.severity}) — see the newer message"
    return _message(f"{alert.title} got worse: see the newer message", [text(line)])


def escalation_message(alert: Alert, minutes: float, now: datetime) -> dict[str, Any]:
    lead = text(f":rotating_light: *Not acknowledged for {minutes:g} min* — please look at this "
                f"{alert.severity} alert")
    return _message(f"Escalated: {alert.title} — {alert.summary}", [lead, *alert_blocks(alert, now)])


def digest_message(alerts: Sequence[Alert], source: str) -> dict[str, Any]:
    """More than a handful at once: one message with a table instead of a flood of posts."""
    name = SOURCE_NAME.get(source, source)
    counts = ", ".join(f"{sum(a.severity == s for a in alerts)} {s}" for s in ("critical", "high", "medium")
                       if any(a.severity == s for a in alerts))
    blocks: list[Block] = [text(f":bell: *{len(alerts)} new alerts from {name}* ({counts})")]
    rows = sorted(alerts, key=lambda a: ("critical", "high", "medium").index(a.severity))
    for start in range(0, len(rows), DIGEST_ROWS_PER_BLOCK):
        chunk = rows[start:start + DIGEST_ROWS_PER_BLOCK]
        table = "\n".join(f"{a.severity:<8} {a.item[:24]:<24} {a.summary[:60]}" for a in chunk)
        blocks.append(text(f"```{table}```"))
    blocks.append(note("Acknowledge or snooze them one by one with `/floor alerts`."))
    return _message(f"{len(alerts)} new alerts from {name} ({counts})", blocks[:50])


def back_to_normal_message(alerts: Sequence[Alert], source: str) -> dict[str, Any]:
    items = ", ".join(a.title for a in alerts[:30]) + (f" and {len(alerts) - 30} more" if len(alerts) > 30 else "")
    line = f":white_check_mark: Back to normal ({SOURCE_NAME.get(source, source)}): {items}"
    return _message(line.replace(":white_check_mark: ", ""), [text(line)])


def alerts_list(alerts: Sequence[Alert], now: datetime, limit: int = 10) -> dict[str, Any]:
    """`/floor alerts`: the open alerts, worst first, each with its buttons."""
    if not alerts:
        return _message("No open alerts.", [text(":white_check_mark: No open alerts.")])
    ordered = sorted(alerts, key=lambda a: (-("medium", "high", "critical").index(a.severity), a.raised_at))
    blocks: list[Block] = [text(f"*{len(alerts)} open alerts*, worst first:")]
    for alert in ordered[:limit]:
        blocks.extend(alert_blocks(alert, now))
    if len(ordered) > limit:
        blocks.append(note(f"…and {len(ordered) - limit} more (acknowledge some to see the rest)."))
    return _message(f"{len(alerts)} open alerts", blocks)


def _message(fallback: str, blocks: list[Block]) -> dict[str, Any]:
    return {"text": fallback[:3000], "blocks": [b.to_dict() for b in blocks]}
