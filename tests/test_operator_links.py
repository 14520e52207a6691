"""Katana operators are credited by Slack user id, as a supervisor linked them; a name proves nothing."""
from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from sandbox.harness import Sandbox, shop_floor
from sandbox.katana_seed import ANA_OPERATOR_ID, BEN_OPERATOR_ID, CHILI_VARIANT_ID
from tests.alert_helpers import last_response

ANA, BEN, SUP = "U0ANA", "U0BEN", "U0SUP"


@pytest.fixture
async def floor() -> AsyncIterator[Sandbox]:
    async with shop_floor(supervisors=SUP) as shop:
        yield shop
        await shop.settle()
        assert shop.katana.violations == []


async def floor_says(shop: Sandbox, text: str, user: str = SUP) -> str:
    before = len(shop.slack.calls)
    reply = await shop.workspace.slash_command(user, "/floor", text, channel_id="C0SUPER")
    assert reply.acked_in_time, reply
    if reply.body:  # answered in the ack itself (a refusal)
        return str(reply.json["text"] if isinstance(reply.json, dict) else reply.body)
    return str((await last_response(shop, user, before))["text"])


async def cook(shop: Sandbox, user: str, batch: str) -> dict:
    """`user` records a /cook from a new MO's task; its cooking row as Katana holds it."""
    mo = shop.katana.create_manufacturing_order(variant_id=CHILI_VARIANT_ID, planned_quantity=10)
    form = await shop.form_from_task(user, f"Cook task: {mo['order_no']}")
    await shop.workspace.submit_view(user, form, {"quantity": "10", "batch": batch, "crate": "C-1"})
    await shop.settle()
    return min((r for r in shop.katana.operation_rows.values() if r["manufacturing_order_id"] == mo["id"]),
               key=lambda r: r["rank"])


def rename(shop: Sandbox, user: str, name: str) -> None:
    """What anyone can do in their Slack profile."""
    shop.slack.users[user]["real_name"] = name
    shop.slack.users[user]["profile"].update(real_name=name, display_name=name)


async def test_renaming_yourself_to_an_operators_name_does_not_credit_that_operator(floor: Sandbox) -> None:
    """Old code matched the Slack name to Katana's operators: Ben, renamed "Ana Lopez", was credited as Ana."""
    rename(floor, BEN, "Ana  lopez")
    row = await cook(floor, BEN, "SPOOF-1")
    # Not even as text: Katana matches a name to its operators itself (its docs), so it would credit Ana.
    assert row["completed_by_operators"] == []
    [entry] = [e for e in await floor.store.audit.for_order(row["manufacturing_order_id"]) if e.subject == "/cook"]
    assert (entry.actor, entry.actor_id) == ("Ana  lopez", BEN)  # the audit trail knows who it really was


async def test_a_name_that_is_no_operators_goes_to_katana_as_text(floor: Sandbox) -> None:
    row = await cook(floor, SUP, "TEXT-1")  # Sam is not a Katana operator
    assert [(o["operator_id"], o["name"]) for o in row["completed_by_operators"]] == [(None, "Sam Supervisor")]


async def test_a_linked_person_credits_their_operator_whatever_they_are_called(floor: Sandbox) -> None:
    said = await floor_says(floor, "operator <@U0ANA|ana> ana  LOPEZ")
    assert f"<@U0ANA> is Katana operator *Ana Lopez* (#{ANA_OPERATOR_ID})" in said
    rename(floor, ANA, "Somebody Else")
    row = await cook(floor, ANA, "LINK-1")
    assert [o["operator_id"] for o in row["completed_by_operators"]] == [ANA_OPERATOR_ID]

    assert f"*Ben Carter* (#{BEN_OPERATOR_ID})" in await floor_says(floor, f"operator <@U0BEN> #{BEN_OPERATOR_ID}")
    listing = await floor_says(floor, "operators")
    assert f"Ana Lopez (#{ANA_OPERATOR_ID}) — <@{ANA}>, linked by <@{SUP}>" in listing
    assert f"Ben Carter (#{BEN_OPERATOR_ID}) — <@{BEN}>" in listing
    audit = [e async for e in floor.store.db["sync_log"].find({"subject": "operator link"})]
    assert [(e["outcome"], e["actor_id"], e["details"]["person"]) for e in audit] == [
        ("linked", SUP, ANA), ("linked", SUP, BEN)]


async def test_links_are_for_supervisors_and_mistakes_change_nothing(floor: Sandbox) -> None:
    assert "can use /floor" in await floor_says(floor, "operator <@U0BEN> Ana Lopez", user=BEN)
    assert "Name the person with an @mention" in await floor_says(floor, "operator Ben Ana Lopez")
    unknown = await floor_says(floor, "operator <@U0BEN> <b>Nobody</b>")
    assert "Katana has no operator “&lt;b&gt;Nobody&lt;/b&gt;”" in unknown and "Ana Lopez (#" in unknown
    assert "is Katana operator *Ana Lopez*" in await floor_says(floor, "operator <@U0ANA> Ana Lopez")
    taken = await floor_says(floor, "operator <@U0BEN> Ana Lopez")  # one Slack person per operator
    assert f"is linked to <@{ANA}> already" in taken
    assert await floor.store.operators.of(BEN) is None

    assert "no longer Katana operator Ana Lopez" in await floor_says(floor, "operator <@U0ANA> none")
    assert "was not linked" in await floor_says(floor, "operator <@U0ANA> none")
    row = await cook(floor, ANA, "UNLINKED-1")
    assert row["completed_by_operators"] == []  # unlinked: her name is an operator's, so it is not sent
