"""The report as supervisors read it on a phone: one Slack message, short lines per topic.

Text that came from people or papers — order numbers, SKUs, scrap reasons, PO and SO numbers — is shown
only as data: `&`, `<` and `>` are escaped (no `<!channel>`, no `<http://…|link>`), every block is
`verbatim` (Slack then neither links URLs nor turns `@channel` into a mention), and the notification
text holds no such text at all.
"""
from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

from bot.report.figures import Share, ShiftFigures

LIST_LIMIT = 8  # MOs, products: more go to the CSV
SEVERITIES = ("critical", "high", "medium")
_MENTION_WORDS = re.compile(r"@(channel|here|everyone)", re.IGNORECASE)


def shown(value: object) -> str:
    """Text a person typed (or a slip carried), safe to put in a Slack message."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MENTION_WORDS.sub("@\u200b\\1", text)  # a zero-width space: read as text, never a mention


def num(value: Decimal | int) -> str:
    """12, 12.5 — never 12.000 or 1.2E+1."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def pct(value: Decimal | None) -> str:
    return f"{num(value)} %" if value is not None else "no plan"


def age(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours < 48 else f"{hours // 24} days"


def section(markdown: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": markdown[:3000], "verbatim": True}}


def report_message(figures: ShiftFigures, *, attachments_note: str | None = None) -> dict[str, Any]:
    """`text` (notifications) and `blocks`; an empty period is one line."""
    title = f"Shift report — {figures.period.title}"
    if figures.empty:
        line = f"{title}: nothing was recorded on the floor."
        return {"text": line, "blocks": [section(f":zzz: {line}")]}
    lines = summary_lines(figures) + detail_lines(figures)
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": title[:150]}}]
    blocks += [section(line) for line in lines]
    context = activity_line(figures) + (f" · {attachments_note}" if attachments_note else "")
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": context, "verbatim": True}]})
    return {"text": f"{title}: {headline(figures)}", "blocks": blocks}


def headline(figures: ShiftFigures) -> str:
    made = f"{len(figures.finished)} MO(s) finished"
    return made + (f", yield {pct(figures.shift_yield)}" if figures.finished else "")


def summary_lines(figures: ShiftFigures) -> list[str]:
    """What App Home shows too: made, scrap, time, alerts."""
    return [made_line(figures), scrap_line(figures), time_line(figures), alerts_line(figures)]


def detail_lines(figures: ShiftFigures) -> list[str]:
    return [orders_line(figures), waiting_line(figures), receipts_line(figures), shipments_line(figures),
            cover_line(figures)]


def made_line(figures: ShiftFigures) -> str:
    if not figures.products:
        return "*Made* — no MO finished"
    head = (f"*Made* — {len(figures.finished)} MO(s) finished: {num(figures.made)} of {num(figures.planned)} "
            f"planned, yield *{pct(figures.shift_yield)}*")
    products = [f"• {shown(p.sku)}: {num(p.made)} of {num(p.planned)} ({pct(p.yield_percent)})"
                for p in figures.products[:LIST_LIMIT]]
    return "\n".join([head, *products, *more(len(figures.products))])


def orders_line(figures: ShiftFigures) -> str:
    if not figures.finished:
        return "*Yield per MO* — none finished"
    lines = [f"• {shown(o.order_no)} ({shown(o.sku)}): {num(o.made)} of {num(o.planned) if o.planned else '?'} "
             f"→ {pct(o.yield_percent)}" for o in figures.finished[:LIST_LIMIT]]
    return "\n".join(["*Yield per MO*", *lines, *more(len(figures.finished))])


def shares(items: tuple[Share, ...]) -> str:
    return " · ".join(f"{shown(s.label)} {num(s.quantity)} ({num(s.percent)} %)" for s in items)


def scrap_line(figures: ShiftFigures) -> str:
    if not figures.scrap_by_reason:
        return "*Scrap* — none recorded"
    return (f"*Scrap* — {num(figures.scrap)} in all\nby reason: {shares(figures.scrap_by_reason)}\n"
            f"by stage: {shares(figures.scrap_by_stage)}")


def time_line(figures: ShiftFigures) -> str:
    if not figures.stages:
        return "*Time per stage* — nothing timed"
    parts = []
    for stage in figures.stages:
        plan = (f" · plan {num(stage.planned_minutes)} min → {pct(stage.percent_of_plan)}"
                if stage.planned_minutes is not None else " · no plan from Katana")
        parts.append(f"• {stage.stage}: {stage.minutes} min over {stage.timed} recording(s){plan}")
    slowest = figures.slowest
    tail = [f"slowest: *{slowest.stage}*"] if slowest is not None else []
    return "\n".join(["*Time per stage* (recorded vs Katana's plan)", *parts, *tail])


def waiting_line(figures: ShiftFigures) -> str:
    if not figures.waiting:
        return "*Waiting longest* — no open task"
    lines = [f"• {w.kind} {shown(w.order_no)}{' · ' + shown(w.sku) if w.sku else ''} — {age(w.age)}"
             f"{'' if w.state == 'idle' else f' ({w.state})'}" for w in figures.waiting]
    return "\n".join(["*Waiting longest*", *lines])


def receipts_line(figures: ShiftFigures) -> str:
    r = figures.receipts
    if not r.orders:
        return "*Received* — nothing"
    return (f"*Received* — {len(r.orders)} PO(s) ({', '.join(shown(o) for o in r.orders[:LIST_LIMIT])}): "
            f"{r.lines} line(s), {r.confirmed} confirmed as read, {r.corrected} corrected by a person")


def shipments_line(figures: ShiftFigures) -> str:
    s = figures.shipments
    if not (s.by_carrier or s.to_fba):
        return "*Shipped* — nothing"
    carrier = f"{len(s.by_carrier)} SO(s) fulfilled ({', '.join(shown(o) for o in s.by_carrier[:LIST_LIMIT])})"
    fba = f"{len(s.to_fba)} FBA transfer(s)" + (f" ({', '.join(shown(o) for o in s.to_fba[:LIST_LIMIT])})"
                                                 if s.to_fba else "")
    return f"*Shipped* — {carrier}, {fba}: {num(s.units)} units"


def alerts_line(figures: ShiftFigures) -> str:
    counts = " · ".join(f"{figures.alerts.get(s, 0)} {s}" for s in SEVERITIES)
    return f"*Open alerts* — {counts}"


def cover_line(figures: ShiftFigures) -> str:
    if not figures.cover:
        return "*FBA cover* — no days of cover from the last Amazon sync"
    return "*Fewest days of FBA cover* — " + " · ".join(f"{shown(sku)} {num(days)} d" for sku, days in figures.cover)


def activity_line(figures: ShiftFigures) -> str:
    parts = [f"{figures.actions} floor action(s)", f"{figures.recorded} recorded"]
    for count, word in ((figures.unsettled, "still waiting for Katana"), (figures.failed, "failed"),
                        (figures.undone, "undone")):
        if count:
            parts.append(f"{count} {word}")
    return " · ".join(parts)


def more(count: int) -> list[str]:
    return [f"… and {count - LIST_LIMIT} more (see the CSV)"] if count > LIST_LIMIT else []
