"""Property-based: whatever a modified client or a forged-but-signed webhook sends, the bot never
answers 500, never writes to Katana for invalid input, and every refusal names a field."""
from __future__ import annotations

import hashlib
import hmac
import json
from decimal import Decimal

import aiohttp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.harness import WEBHOOK_TOKEN, Sandbox
from sandbox.katana_seed import MO101_ID, MO102_ID
from sandbox.slack_user import crafted_state_values

ANA = "U0ANA"
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

quantity_like = st.one_of(
    st.none(), st.text(max_size=12), st.sampled_from(["0", "-1", "1e3", "NaN", "12,5", "1.000001", "1000000",
                                                      "1000000.00001", "0.00001", " 7 ", "٣", "12.5.5"]),
    st.decimals(allow_nan=True, allow_infinity=True, places=7).map(str))
code_like = st.one_of(st.none(), st.text(max_size=60), st.sampled_from(["B-1", "", " ", "A" * 41, "x;DROP", "C/12#3"]))
mo_like = st.one_of(st.none(), st.sampled_from([str(MO101_ID), str(MO102_ID), "999999", "", "-1", "abc", "5101 "]))


def acceptable_quantity(raw: str | None) -> bool:
    try:
        text = (raw or "").strip().replace(",", ".", 1 if (raw or "").count(",") == 1 and "." not in (raw or "") else 0)
        value = Decimal(text)
    except Exception:  # noqa: BLE001
        return False
    return value.is_finite() and 0 < value <= 1_000_000 and -value.as_tuple().exponent <= 5  # type: ignore[operator]


@PROPERTY
@given(mo=mo_like, quantity=quantity_like, batch=code_like, crate=code_like,
       minutes=st.one_of(st.none(), st.text(max_size=6), st.integers(-100, 5000).map(str)))
async def test_cook_submissions_never_crash_and_invalid_ones_write_nothing(
        shop: Sandbox, mo: str | None, quantity: str | None, batch: str | None, crate: str | None,
        minutes: str | None) -> None:
    form = await shop.form_from_command(ANA, "/cook")
    writes = len(shop.katana.writes())
    actions = await shop.store.db["floor_actions"].count_documents({})
    values = {"mo": mo, "quantity": quantity, "batch": batch, "crate": crate, "minutes": minutes}
    reply = await shop.workspace.submit_crafted(ANA, form, crafted_state_values(form, values))
    assert reply.status == 200, reply.body
    if reply.json["response_action"] == "errors":
        assert set(reply.json["errors"]) <= {"mo", "quantity", "batch", "crate", "minutes"}
        assert all(reply.json["errors"].values())
        await shop.settle()
        assert len(shop.katana.writes()) == writes
        assert await shop.store.db["floor_actions"].count_documents({}) == actions
    else:  # accepted: then it really was valid
        assert reply.json["response_action"] == "update"
        assert mo in (str(MO101_ID), str(MO102_ID)) and acceptable_quantity(quantity)
        assert batch and batch.strip() and crate and crate.strip()
        await shop.settle()


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                           lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
                           max_leaves=12)
webhook_like = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({"resource_type": st.one_of(st.text(max_size=30), st.integers()),
                           "action": st.one_of(st.text(max_size=40), st.none()),
                           "object": st.one_of(st.fixed_dictionaries({"id": st.one_of(st.integers(), st.text(max_size=8),
                                                                                      st.booleans(), st.none())}),
                                               json_values)}).map(lambda v: json.dumps(v).encode()))


@PROPERTY
@given(body=webhook_like)
async def test_signed_webhook_bodies_never_crash(shop: Sandbox, body: bytes) -> None:
    signature = hmac.new(WEBHOOK_TOKEN.encode(), body, hashlib.sha256).hexdigest()
    writes = len(shop.katana.writes())
    stored = await shop.store.db["katana_events"].count_documents({})
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{shop.url}/webhooks/katana", data=body, headers={"x-sha2-signature": signature}) as reply:
            assert reply.status in (200, 400), await reply.text()
            if reply.status == 400:  # not a Katana event: nothing stored
                assert await shop.store.db["katana_events"].count_documents({}) == stored
    await shop.settle()
    assert len(shop.katana.writes()) == writes  # webhooks only ever read Katana
