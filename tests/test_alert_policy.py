"""The alert policy's rules and the message builders, without any I/O."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bot.alerts import messages as msg
from bot.alerts.policy import AmazonThresholds, amazon_low_stock, katana_yields, number, unleashed_low_stock
from bot.alerts.poster import ChannelPacer
from integrations.amazon import FbaSummary, UnitsSold
from integrations.katana import ManufacturingOrder
from integrations.unleashed import Product, StockOnHand
from models.alerts import Alert

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
LIMITS = AmazonThresholds(low_units=Decimal(10), min_days_cover=Decimal(14), window_days=30)


def product(code: str, level: object, **extra: object) -> Product:
    return Product.model_validate({"Guid": f"g-{code}", "ProductCode": code, "ProductDescription": code.title(),
                                   "MinStockAlertLevel": level, **extra})


def stock(code: str, qty: object) -> StockOnHand:
    return StockOnHand.model_validate({"ProductGuid": f"g-{code}", "ProductCode": code, "QtyOnHand": qty})


def test_unleashed_severities_follow_the_minimum_level() -> None:
    reading = unleashed_low_stock(
        [stock("OK", 20), stock("LOW", 19), stock("VERYLOW", "9.5"), stock("ZERO", 0), stock("NOLEVEL", 0),
         stock("ZEROLEVEL", 0), stock("OLD", 0)],
        [product("OK", 20), product("LOW", 20), product("VERYLOW", 20), product("ZERO", 20), product("NOLEVEL", None),
         product("ZEROLEVEL", 0), product("OLD", 20, Obsolete=True), product("NOROW", 20)])
    found = {f.item: f.severity for f in reading.findings}
    assert found == {"LOW": "medium", "VERYLOW": "high", "ZERO": "critical"}
    assert reading.seen == {"OK", "LOW", "VERYLOW", "ZERO"}  # only these can resolve
    assert reading.notes == ["1 products with a minimum level had no stock-on-hand row (not checked)"]
    assert next(f for f in reading.findings if f.item == "VERYLOW").summary == "9.5 on hand, minimum 20"


def test_unleashed_rows_of_one_product_are_added_up() -> None:
    reading = unleashed_low_stock([stock("SOUP", 6), stock("SOUP", 6)], [product("SOUP", 10)])
    assert reading.findings == [] and reading.seen == {"SOUP"}


def summary(sku: str, fulfillable: int, inbound: int = 0) -> FbaSummary:
    return FbaSummary.from_api({"sellerSku": sku, "productName": sku, "totalQuantity": fulfillable + inbound,
                                "inventoryDetails": {"fulfillableQuantity": fulfillable,
                                                     "inboundWorkingQuantity": inbound}})


def test_amazon_units_and_days_of_cover() -> None:
    sold = UnitsSold(since=NOW - timedelta(days=30), units={"FAST": Decimal(300), "SLOW": Decimal(3)})
    reading = amazon_low_stock([summary("NONE", 0, inbound=50), summary("FEW", 4), summary("SOME", 8),
                                summary("FAST", 100, inbound=20), summary("SLOW", 50), summary("UNSOLD", 11)],
                               sold, LIMITS, NOW, "MKT")
    found = {f.item: f.severity for f in reading.findings}
    # FAST: 10/day, (100 + 20) / 10 = 12 days of cover < 14 → medium; NONE: nothing fulfillable → critical.
    assert found == {"NONE": "critical", "FEW": "high", "SOME": "medium", "FAST": "medium"}
    fast = next(f for f in reading.findings if f.item == "FAST")
    assert fast.facts["days of cover"] == "12" and "12 days of cover (below 14)" in fast.summary
    assert reading.stock[0] == ("NONE", "MKT", Decimal(0)) and not reading.partial


def test_amazon_without_order_history_checks_units_only_and_says_so() -> None:
    reading = amazon_low_stock([summary("FAST", 100)], None, LIMITS, NOW, "MKT")
    assert reading.findings == [] and reading.partial
    assert "days of cover not checked" in reading.notes[0]


def order(mo_id: int, planned: str, actual: str | None, status: str = "DONE") -> ManufacturingOrder:
    return ManufacturingOrder.model_validate({"id": mo_id, "order_no": f"MO-{mo_id}", "status": status,
                                              "planned_quantity": planned, "actual_quantity": actual})


def test_yield_thresholds() -> None:
    reading = katana_yields([order(1, "100", "95"), order(2, "100", "94.9"), order(3, "100", "89"),
                             order(4, "100", None), order(5, "0", "3"), order(6, "100", "50", status="IN_PROGRESS")],
                            lambda mo_id: f"https://katana/{mo_id}")
    found = {f.item: (f.severity, f.observed) for f in reading.findings}
    assert found == {"2": ("medium", "94.9/100"), "3": ("high", "89/100")}
    assert reading.findings[1].summary == "yield 89 % (89 made of 100 planned)"
    assert reading.findings[1].link == "https://katana/3"


@pytest.mark.parametrize("value, text", [(Decimal("12.000"), "12"), (Decimal("12.50"), "12.5"),
                                         (Decimal("1E+1"), "10"), (Decimal("0"), "0")])
def test_numbers_read_naturally(value: Decimal, text: str) -> None:
    assert number(value) == text


def alert(i: int, severity: str = "high") -> Alert:
    return Alert(_id=uuid.uuid4().hex, source="unleashed", kind="low_stock", item=f"SKU-{i}", title=f"Item {i}",
                 severity=severity, summary=f"{i} on hand, minimum 20", raised_at=NOW, updated_at=NOW)  # type: ignore[arg-type]


def test_digest_fits_slacks_limits_even_for_many_alerts() -> None:
    digest = msg.digest_message([alert(i, ("medium", "high", "critical")[i % 3]) for i in range(120)], "unleashed")
    assert len(digest["blocks"]) <= 50
    assert digest["text"].startswith("120 new alerts from Unleashed (40 critical, 40 high, 40 medium)")
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in digest["blocks"])


def test_alert_buttons_follow_its_state() -> None:
    fresh = alert(1)
    actions = [b for b in msg.alert_message(fresh, NOW)["blocks"] if b["type"] == "actions"][0]
    assert [e["action_id"] for e in actions["elements"]] == ["alert_ack", "alert_snooze_4h", "alert_snooze_24h"]
    acked = fresh.model_copy(update={"acknowledged_by": "U0SUP", "acknowledged_at": NOW})
    shown = str(msg.alert_message(acked, NOW))
    assert "Acknowledged by <@U0SUP>" in shown and "alert_ack" not in shown
    resolved = fresh.model_copy(update={"status": "resolved", "resolved_at": NOW})
    assert "alert_snooze_4h" not in str(msg.alert_message(resolved, NOW))


async def test_pacer_spaces_posts_to_one_channel_but_not_across_channels() -> None:
    now, waits = [0.0], []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    pacer = ChannelPacer(1.0, clock=lambda: now[0], sleep=sleep)
    for channel in ("C1", "C1", "C2", "C1"):
        await pacer.wait_turn(channel)
    assert waits == [1.0, 1.0] and now[0] == 2.0
