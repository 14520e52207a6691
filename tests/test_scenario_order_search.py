"""Every open order reachable (issue 20): type-ahead order fields and order numbers after the command, end to
end through the real HTTP endpoints — signed slash commands, signed `block_suggestion` requests, submissions
— against a Katana sandbox holding more open orders of each kind than a select can list."""
from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from sandbox.harness import Sandbox, shop_floor
from sandbox.katana_many import MO_BASE, PO_BASE, SO_BASE, many_open_orders
from sandbox.slack import SlackError

ANA = "U0ANA"
NEWEST_MO, NEWEST_SO, NEWEST_PO = MO_BASE + 399, SO_BASE + 149, PO_BASE + 149  # MO-1399, SO-1149, PO-1149


@pytest.fixture
async def busy() -> AsyncIterator[Sandbox]:
    """400 open MOs, 150 open sales and 150 purchase orders besides the seed kitchen's."""
    async with shop_floor(fba_location="Amazon FBA") as sandbox:
        many_open_orders(sandbox.katana, mos=400, sales_orders=150, purchase_orders=150)
        yield sandbox
        await sandbox.settle()
        assert sandbox.katana.violations == [] and sandbox.katana.server_errors == []
        assert sandbox.slack.ui_errors == []


def element(view: dict, block_id: str) -> dict:
    return next(b["element"] for b in view["blocks"] if b.get("block_id") == block_id)


def katana_lists(shop: Sandbox, since: int) -> list[str]:
    return [r.path for r in shop.katana.requests[since:] if r.method == "GET"]


async def test_the_newest_of_400_open_mos_is_found_by_typing_part_of_its_number(busy: Sandbox) -> None:
    """Mutations caught: the form keeping a static select of 100 (the newest is not in it, `suggest` refuses
    a static select); the search missing substrings of the number (no suffix keys: "399" finds nothing)."""
    form = await busy.form_from_command(ANA, "/cook")
    field = element(form, "mo")
    assert field["type"] == "external_select" and field["min_query_length"] == 1
    before = len(busy.katana.requests)

    assert [o["text"]["text"].split(" ·")[0] for o in await busy.workspace.suggest(ANA, form, "mo", "soup 139")][:2] \
        == ["MO-1398", "MO-1396"]  # a product's word and part of the number
    for typed in ("1399", "399", "mo-139", "MO 1399"):
        options = await busy.workspace.suggest(ANA, form, "mo", typed)
        assert options[0]["value"] == str(NEWEST_MO), (typed, options[:3])
    assert options[0]["text"]["text"] == "MO-1399 · CHILI-400 · 79 planned"
    assert katana_lists(busy, before) == [], "typing spends no Katana call"

    reply = await busy.workspace.submit_view(ANA, form, {"mo": str(NEWEST_MO), "quantity": "12", "batch": "B-1399",
                                                         "crate": "C-9"})
    assert reply.json["response_action"] == "update"
    await busy.settle()
    assert [p["quantity"] for p in busy.katana.productions.values() if p["manufacturing_order_id"] == NEWEST_MO] == [12]


async def test_cook_with_an_mo_number_opens_on_that_mo(busy: Sandbox) -> None:
    """Mutation caught: the slash handler dropping the command's text (the form opens on no MO)."""
    before = len(busy.slack.calls)
    await busy.workspace.slash_command(ANA, "/cook", "mo-1399")
    form = await busy.opened_form(before)
    assert element(form, "mo")["initial_option"]["value"] == str(NEWEST_MO)

    reply = await busy.workspace.submit_view(ANA, form, {"quantity": "7", "batch": "B-7", "crate": "C-7"})
    assert reply.json["response_action"] == "update"
    await busy.settle()
    assert [p["quantity"] for p in busy.katana.productions.values() if p["manufacturing_order_id"] == NEWEST_MO] == [7]


async def test_an_order_number_that_is_not_open_is_said_privately_with_the_closest_ones(busy: Sandbox) -> None:
    """Mutation caught: `closest` searching only what was typed (MO-13999 matches nothing; its digits do)."""
    before = len(busy.slack.calls)
    await busy.workspace.slash_command(ANA, "/cook", "MO-13999")
    form = await busy.opened_form(before)
    said = str(form["blocks"][0])
    assert "No open manufacturing order has the number *MO-13999*" in said
    assert "Closest: MO-1399" in said and "initial_option" not in element(form, "mo")
    assert not any("13999" in str(m) for m in busy.slack.messages), "said in the modal, to them only"

    before = len(busy.slack.calls)
    await busy.workspace.slash_command(ANA, "/label", "<!channel> & <https://x.example|click>")
    said = str((await busy.opened_form(before))["blocks"][0])
    assert "&lt;!channel&gt; &amp; &lt;https://x.example|click&gt;" in said and "<!channel>" not in said


async def test_ship_finds_and_opens_on_any_of_150_open_sales_orders(busy: Sandbox) -> None:
    """Mutations caught: /ship's picker keeping the newest 100 from Katana (SO-1000 is older than those);
    open_ship ignoring the command's text."""
    pick = await busy.form_from_command(ANA, "/ship")
    assert element(pick, "so")["type"] == "external_select"
    options = await busy.workspace.suggest(ANA, pick, "so", "so-1000")
    assert options[0]["value"] == str(SO_BASE)
    reply = await busy.workspace.submit_view(ANA, pick, {"so": str(SO_BASE), "method": "carrier"})
    assert reply.json["response_action"] == "update"
    rows = await busy.view_becomes(pick["id"], "ship_form", "SO-1000")
    assert "SOUP-TOM-500" in str(rows["blocks"])

    before = len(busy.slack.calls)
    await busy.workspace.slash_command(ANA, "/ship", "SO-1149")
    opened = await busy.opened_form(before)
    assert element(opened, "so")["initial_option"]["value"] == str(NEWEST_SO)


async def test_receive_finds_and_opens_on_any_of_150_open_purchase_orders(busy: Sandbox) -> None:
    """Mutation caught: the slip's PO list dropping the chosen PO when it is not among Katana's newest 100."""
    photo = await busy.form_from_command(ANA, "/receive")
    assert element(photo, "po")["type"] == "external_select"
    options = await busy.workspace.suggest(ANA, photo, "po", "1000")
    assert options[0]["value"] == str(PO_BASE) and "Fresh Farms Ltd" in options[0]["text"]["text"]
    assert (await busy.workspace.suggest(ANA, photo, "po", "glassworks 1149"))[0]["value"] == str(NEWEST_PO)

    before = len(busy.slack.calls)
    await busy.workspace.slash_command(ANA, "/receive", "po 1000")
    opened = await busy.opened_form(before)
    assert element(opened, "po")["initial_option"]["value"] == str(PO_BASE)


async def test_a_crafted_order_the_field_could_not_offer_is_refused_at_the_field(busy: Sandbox) -> None:
    """Mutation caught: `offered` trusting any id (a made-up id would reach the plan)."""
    from sandbox.slack_user import crafted_state_values

    form = await busy.form_from_command(ANA, "/cook")
    for made_up in ("424242", "1399", "MO-1399"):
        state = crafted_state_values(form, {"mo": made_up, "quantity": "5", "batch": "B-5", "crate": "C-5"})
        reply = await busy.workspace.submit_crafted(ANA, form, state)
        assert reply.json == {"response_action": "errors", "errors": {
            "mo": "That manufacturing order is not open any more: choose one from the list."}}
    assert busy.katana.writes() == []


async def test_webhooks_and_the_light_resync_keep_the_search_current(busy: Sandbox) -> None:
    """Mutations caught: mo_created not putting the new MO in the store; catch_up ignoring closed orders."""
    form = await busy.form_from_command(ANA, "/cook")  # loads the store
    created = busy.katana.create_manufacturing_order(variant_id=busy_soup(), planned_quantity=5, order_no="MO-77777")
    await busy.settle()
    assert (await busy.workspace.suggest(ANA, form, "mo", "77777"))[0]["value"] == str(created["id"])

    pick = await busy.form_from_command(ANA, "/ship")
    assert (await busy.workspace.suggest(ANA, pick, "so", "1149"))[0]["value"] == str(NEWEST_SO)
    order = busy.katana.sales_orders[NEWEST_SO]  # delivered in Katana; its webhook never came
    order.update(status="DELIVERED", updated_at=busy.katana.now())
    before = len(busy.katana.requests)
    assert (await busy.bot.floor.orders.sync.resync("so")).startswith("caught up")  # not a full load
    assert katana_lists(busy, before) == ["/sales_orders"]  # one light read: what changed since
    assert await busy.workspace.suggest(ANA, pick, "so", "1149") == []


async def test_suggestions_are_only_for_people_who_may_use_the_form() -> None:
    """Mutation caught: the options listener skipping the allow list."""
    async with shop_floor(cook_allowed="U0BEN") as shop:
        many_open_orders(shop.katana, mos=120)
        form = await shop.form_from_command("U0BEN", "/cook")
        assert await shop.workspace.suggest("U0BEN", form, "mo", "1119")
        assert await shop.workspace.suggest(ANA, form, "mo", "1119") == []


async def test_an_options_answer_slack_would_not_show_fails_the_test(busy: Sandbox) -> None:
    """The fake refuses what Slack refuses: here, a static select asked for options."""
    form = await busy.form_from_command(ANA, "/pack")
    with pytest.raises(ValueError, match="Slack sends nothing"):
        await busy.workspace.suggest(ANA, form, "mo", "")
    with pytest.raises((ValueError, SlackError)):
        await busy.workspace.suggest(ANA, form, "quantity", "1")


def busy_soup() -> int:
    from sandbox.katana_seed import SOUP_VARIANT_ID
    return SOUP_VARIANT_ID
