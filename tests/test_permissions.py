"""Who may do what: allow lists by user id or user group; refusals say who to ask and write nothing."""
from __future__ import annotations

from bot.permissions import parse_allow_list
from sandbox.harness import Sandbox, shop_floor
from sandbox.katana_seed import MO101_ID

ANA, BEN, SAM = "U0ANA", "U0BEN", "U0SUP"


def test_allow_list_parsing() -> None:
    assert parse_allow_list(" U0ANA, @kitchen-team;S0SUPER ,") == ["U0ANA", "@kitchen-team", "S0SUPER"]
    assert parse_allow_list(None) == [] and parse_allow_list("  ") == []


async def test_unset_list_means_everyone(shop: Sandbox) -> None:
    form = await shop.form_from_command(BEN, "/pack")
    assert form["callback_id"] == "pack_form"


async def test_refused_person_is_told_who_to_ask_and_nothing_opens() -> None:
    async with shop_floor(pack_allowed="U0ANA", supervisors="U0SUP") as shop:
        reply = await shop.workspace.slash_command(BEN, "/pack")
        assert reply.status == 200
        assert "not on the list" in reply.body and "<@U0SUP>" in reply.body
        assert shop.slack.calls_to("views.open") == []
        allowed = await shop.form_from_command(ANA, "/pack")
        assert allowed["callback_id"] == "pack_form"


async def test_user_group_handle_grants_its_members() -> None:
    async with shop_floor(cook_allowed="@kitchen-team") as shop:
        assert (await shop.form_from_command(BEN, "/cook"))["callback_id"] == "cook_form"
        refused = await shop.workspace.slash_command(SAM, "/cook")
        assert "not on the list" in refused.body and "@kitchen-team" in refused.body


async def test_crafted_submission_from_a_refused_person_writes_nothing() -> None:
    async with shop_floor(cook_allowed="U0ANA") as shop:
        form = await shop.form_from_command(ANA, "/cook")  # Ana opens it; Ben replays the submission
        reply = await shop.workspace.submit_view(BEN, form, {"mo": str(MO101_ID), "quantity": "5",
                                                             "batch": "B-1", "crate": "C-1"})
        await shop.settle()
        assert reply.json["response_action"] == "errors" and "not on the list" in reply.json["errors"]["mo"]
        assert shop.katana.writes() == []


async def test_task_button_refuses_a_person_not_allowed_for_that_stage() -> None:
    async with shop_floor(label_allowed="U0BEN") as shop:
        mo = shop.katana.create_manufacturing_order(variant_id=2001, planned_quantity=10)
        cook = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")
        await shop.workspace.submit_view(ANA, cook, {"quantity": "10", "batch": "B-3", "crate": "C-3"})
        task = await shop.message_with(f"Label task: {mo['order_no']}")
        before = len(shop.slack.calls)
        await shop.workspace.click_button(ANA, task, "task_record", channel_id="C0FLOOR")
        await shop.settle()
        assert [c.method for c in shop.slack.calls[before:]] == ["chat.postEphemeral"]
        assert "not on the list" in shop.slack.ephemerals[-1]["text"]
