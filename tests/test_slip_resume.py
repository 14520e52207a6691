"""A packing slip's read outlives the process that started it (commands/receiving/reading.py): the draft
carries the Slack file, the replica reading it and a lease on the database's clock. A restarted replica reads
its own slips again at start; another replica's sweep takes a dead one's over once its lease ran out; a read
that finishes after a takeover changes nothing; a slip no read can read is said to be unreadable after a few
attempts, with the lines to type by hand or another try offered.

Lease timing runs on the store's clock, which these tests hold (`clock[0]`), not on sleeps; the slip reader
is stood in for at our own boundary (`bot.receiving.reader`), as tests/test_scenario_receive.py does."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.app import ShopfloorBot
from commands.receiving import reading
from integrations.slips import SlipReadingQueue
from models.clock import LocalClock
from models.packing_slip import PackingSlip
from models.receipts import ModalDraft
from sandbox.flaky_store import Faults, flaky_store
from sandbox.harness import FLOOR, Sandbox, shop_floor
from sandbox.katana_trade import PO31_ID, received_rows
from sandbox.replicas import Replicas, replica_floor, store_for_replicas
from tests.test_scenario_receive import ANA, SlipAsRead, fresh_farms_slip, jpeg, line
from tests.test_slip_queue import HeldReader

PAST_THE_LEASE = timedelta(seconds=70)  # READ_LEASE 30 s + READ_GRACE 35 s, and a little


def tomatoes(kg: str = "5") -> PackingSlip:
    return fresh_farms_slip(line("MAT-TOMATO", kg, "kg"))


def reads_with(reader: Any) -> Callable[[ShopfloorBot], None]:
    """What the restarted process reads with, in place before its start-up recovery runs."""
    def prepare(bot: ShopfloorBot) -> None:
        bot.receiving.reader = reader
    return prepare


async def send_photo(shop: Sandbox) -> dict[str, Any]:
    form = await shop.form_from_command(ANA, "/receive")
    reply = await shop.workspace.submit_view(ANA, form, {"photo": [shop.slack.add_file("slip.jpg", jpeg(), "image/jpeg")]})
    assert reply.acked_in_time and "Reading the packing slip" in str(reply.json["view"])
    return form


async def draft_of(store: Any, form: dict[str, Any]) -> ModalDraft:
    [doc] = [d async for d in store.db["modal_drafts"].find({"view_id": form["id"]})]
    return ModalDraft.model_validate(doc)


async def test_a_slip_in_line_when_the_bot_restarts_is_read_by_the_new_process(shop: Sandbox) -> None:
    """The second photo waits behind the first (one read at a time) when the process dies: neither is lost.
    Fails without the start-up recovery (`resume_own` in ShopfloorBot.start): both stay "Reading…"."""
    shop.bot.receiving.queue = SlipReadingQueue(at_once=1)
    shop.bot.receiving.reader = HeldReader(tomatoes())
    first = await send_photo(shop)
    queued = await send_photo(shop)
    await shop.view_becomes(queued["id"], None, "1 slip ahead of yours")
    assert (await draft_of(shop.store, queued)).status == "queued"

    reader = SlipAsRead(tomatoes("7"))
    await shop.crash_and_restart(prepare=reads_with(reader))
    for form in (first, queued):
        shown = await shop.view_becomes(form["id"], "receive_form")
        assert "'initial_value': '7'" in str(shown["blocks"])  # read by the new process
    assert len(reader.images) == 2
    for form in (first, queued):
        draft = await draft_of(shop.store, form)
        assert (draft.status, draft.attempts, draft.lease_token) == ("ready", 2, None)


async def open_receive(floor: Replicas) -> dict[str, Any]:
    before = set(floor.slack.views)
    await floor.workspace.slash_command(ANA, "/receive", channel_id=FLOOR)
    for _ in range(250):
        opened = [v for k, v in floor.slack.views.items() if k not in before and v.get("callback_id") == "receive_photo"]
        if opened:
            return opened[0]
        await asyncio.sleep(0.02)
    raise AssertionError("no /receive form opened")


async def shown(floor: Replicas, view_id: str, callback_id: str) -> dict[str, Any]:
    for _ in range(250):
        view = floor.slack.views.get(view_id) or {}
        if view.get("callback_id") == callback_id:
            return view
        await asyncio.sleep(0.02)
    raise AssertionError(f"view {view_id} never became {callback_id}: {floor.slack.views.get(view_id)}")


async def photo_read_by_one_replica(floor: Replicas, readers: list[HeldReader]) -> tuple[dict[str, Any], int]:
    """A photo sent through the balancer; which replica reads it (its reader holds the read)."""
    for bot, reader in zip(floor.bots, readers, strict=True):
        bot.receiving.reader = reader
    form = await open_receive(floor)
    file = floor.slack.add_file("slip.jpg", jpeg(), "image/jpeg")
    assert (await floor.workspace.submit_view(ANA, form, {"photo": [file]})).acked_in_time
    for _ in range(250):
        draft = await draft_of(floor.store, form)
        if draft.status == "reading":
            return form, [bot.settings.replica_id for bot in floor.bots].index(draft.reader)
        await asyncio.sleep(0.02)
    raise AssertionError("no replica started reading the slip")


async def test_a_dead_replicas_slip_is_taken_over_by_another_once_its_lease_ran_out() -> None:
    """Fails without the sweep (`resume_due`), or with a sweep that ignores the lease (taken at once below)."""
    clock = [datetime(2026, 12, 7, 6, 0, tzinfo=UTC)]
    async with replica_floor(2, store=store_for_replicas(lambda: clock[0]), worker_interval_seconds=3600) as floor:
        readers = [HeldReader(tomatoes()), HeldReader(tomatoes("9"))]
        form, dead = await photo_read_by_one_replica(floor, readers)
        alive = 1 - dead
        await floor.kill(dead)  # its lease is left to run out
        survivor = floor.bots[alive]

        clock[0] += timedelta(seconds=40)  # its last renewal was at most a quarter of a lease before it died
        assert await reading.resume_due(survivor.floor, survivor.receiving) == 0
        assert (await draft_of(floor.store, form)).reader == floor.bots[dead].settings.replica_id

        clock[0] += PAST_THE_LEASE - timedelta(seconds=40)
        assert await reading.resume_due(survivor.floor, survivor.receiving) == 1
        readers[alive].release.set()
        view = await shown(floor, form["id"], "receive_form")
        draft = await draft_of(floor.store, form)
        assert draft.reader == survivor.settings.replica_id and (draft.status, draft.attempts) == ("ready", 2)
        assert f"'initial_value': '{'9' if alive == 1 else '5'}'" in str(view["blocks"])
        await floor.settle()


async def test_a_read_that_finishes_after_another_replica_took_it_over_changes_nothing() -> None:
    """The first replica stalls (its heartbeat does not beat for longer than the lease); the second takes the
    slip over and shows what it read; then the first's read finishes. Fails when a read saves its outcome
    without holding the lease (the token condition in DraftRepository.settle_read): the modal and the draft
    go back to the stalled replica's reading."""
    clock = [datetime(2026, 12, 7, 6, 0, tzinfo=UTC)]
    async with replica_floor(2, store=store_for_replicas(lambda: clock[0]), worker_interval_seconds=3600) as floor:
        readers = [HeldReader(tomatoes("5")), HeldReader(tomatoes("5"))]
        form, stalled = await photo_read_by_one_replica(floor, readers)
        other = 1 - stalled
        readers[other].slip = tomatoes("7")
        clock[0] += PAST_THE_LEASE
        assert await reading.resume_due(floor.bots[other].floor, floor.bots[other].receiving) == 1
        readers[other].release.set()
        newer = await shown(floor, form["id"], "receive_form")
        assert "'initial_value': '7'" in str(newer["blocks"])

        readers[stalled].release.set()  # the stalled read comes back with its own answer
        await floor.settle()
        assert floor.slack.views[form["id"]] == newer
        draft = await draft_of(floor.store, form)
        assert draft.data["state"]["entries"][0]["quantity"] == "7" and draft.reader == floor.bots[other].settings.replica_id


async def test_a_slip_read_for_longer_than_its_lease_is_not_taken_from_its_live_reader(shop: Sandbox) -> None:
    """The one test here on real time: a heartbeat is time. A 0.4 s lease; the read takes 1.2 s while the
    sweep runs every 0.1 s. Fails without the heartbeat (SlipRead.run's renewals): the sweep takes the slip
    and reads it a second time."""
    shop.bot.receiving.lease, shop.bot.receiving.grace = timedelta(seconds=0.4), timedelta(seconds=0.1)
    reader = shop.bot.receiving.reader = HeldReader(tomatoes())
    form = await send_photo(shop)
    for _ in range(12):
        await reading.resume_due(shop.bot.floor, shop.bot.receiving)
        await asyncio.sleep(0.1)
    reader.release.set()
    await shop.view_becomes(form["id"], "receive_form")
    await shop.settle()
    assert (await draft_of(shop.store, form)).attempts == 1 and reader.most == 1

class BrokenReader:
    """A reader that fails every time, with the kind of text that must never reach floor staff."""

    def __init__(self) -> None:
        self.reads = 0

    async def read(self, image: bytes, *, patience: float = 20.0) -> PackingSlip:
        self.reads += 1
        raise RuntimeError("Traceback (most recent call last): <html>502 Bad Gateway</html> sk-ant-secret")


async def sweep(shop: Sandbox) -> None:
    """The worker's sweep, as it runs every WORKER_INTERVAL_SECONDS."""
    await reading.resume_due(shop.bot.floor, shop.bot.receiving)
    await shop.settle()


async def unreadable_after_three_failed_reads(shop: Sandbox) -> tuple[dict[str, Any], BrokenReader]:
    reader = shop.bot.receiving.reader = BrokenReader()
    form = await send_photo(shop)
    await shop.settle()
    assert "Reading the packing slip" in str(shop.slack.views[form["id"]]["blocks"])  # tried again, not refused
    await sweep(shop)
    await sweep(shop)
    return await shop.view_becomes(form["id"], "receive_unreadable"), reader


async def test_after_three_failed_reads_the_modal_says_so_and_the_lines_can_be_typed(shop: Sandbox) -> None:
    """Fails with the attempts uncapped (SlipRead.failed letting every failed read go for another try:
    "Reading…" for ever), or with the reader's error told to the person."""
    view, reader = await unreadable_after_three_failed_reads(shop)
    said = str(view["blocks"])
    assert "could not be read" in said and "Nothing was received" in said
    assert "Type the lines by hand" in said and "Try reading the photo again" in said
    assert not any(leak in said for leak in ("Traceback", "html", "502", "secret", "RuntimeError"))
    await sweep(shop)
    assert reader.reads == 3  # no fourth read

    missing_po = await shop.workspace.submit_view(ANA, view, {"next": "type"})
    assert missing_po.json == {"response_action": "errors", "errors": {"po": "Choose the purchase order whose lines you type."}}
    await shop.workspace.submit_view(ANA, view, {"next": "type", "po": str(PO31_ID)})
    typed = await shop.view_becomes(view["id"], "receive_form", "Typed by hand")
    assert "MAT-TOMATO" in str(typed["blocks"]) and "100 kg left on PO-31" in str(typed["blocks"])
    refused = await shop.workspace.submit_view(ANA, typed, {})
    assert "Enter the quantity received" in str(refused.json["errors"])  # nothing is assumed to have come
    rows = {b["block_id"]: "skip" for b in typed["blocks"] if str(b.get("block_id")).startswith("row_")}
    await shop.workspace.submit_view(ANA, typed, {**rows, "row_1": typed_row(typed, 1), "qty_1": "12"})
    await shop.settle()
    assert [r["quantity"] for r in received_rows(shop.katana, PO31_ID)] == [12]
    [receipt] = [r async for r in shop.store.db["receipts"].find({})]
    assert receipt["reader"] == "typed"


def typed_row(view: dict[str, Any], index: int) -> str:
    block = next(b for b in view["blocks"] if b.get("block_id") == f"row_{index}")
    return str(block["element"]["initial_option"]["value"])


async def test_a_slip_that_could_not_be_read_is_read_again_on_request(shop: Sandbox) -> None:
    view, _ = await unreadable_after_three_failed_reads(shop)
    shop.bot.receiving.reader = SlipAsRead(tomatoes("4"))
    again = await shop.workspace.submit_view(ANA, view, {"next": "again"})
    assert "Reading the packing slip" in str(again.json["view"])
    shown = await shop.view_becomes(view["id"], "receive_form")
    assert "'initial_value': '4'" in str(shown["blocks"])
    replay = await shop.workspace.submit_view(ANA, view, {"next": "again"})  # the same choice sent twice
    assert "expired" in str(replay.json["view"])
    await shop.settle()
    draft = await draft_of(shop.store, view)
    assert draft.status == "ready"
    # and if both choices passed that check at once, only one of them would start a read:
    assert await shop.store.drafts.read_again(draft.id, ANA, "replica", timedelta(seconds=30)) is None


async def test_a_slip_whose_read_takes_the_process_down_every_time_ends_as_could_not_be_read(shop: Sandbox) -> None:
    """Each start reads its own cut-off slips again; the third death is the last: the fourth start says the
    slip could not be read instead of dying on it once more. Fails without the attempts condition in
    DraftRepository.take_read (the fourth start reads it again)."""
    shop.bot.receiving.reader = HeldReader(tomatoes())
    form = await send_photo(shop)
    await shop.view_becomes(form["id"], None, "Reading the packing slip")
    readers = [HeldReader(tomatoes()) for _ in range(3)]
    for reader in readers:
        await shop.crash_and_restart(prepare=reads_with(reader))  # dies in the middle of each read
        await asyncio.sleep(0.2)
    await shop.view_becomes(form["id"], "receive_unreadable")
    assert [r.most for r in readers] == [1, 1, 0]
    draft = await draft_of(shop.store, form)
    assert (draft.status, draft.attempts) == ("unreadable", 3)


async def test_the_po_to_type_is_found_by_typing_among_150_open_purchase_orders() -> None:
    """Fails when the unreadable slip's form is not one the order search answers (bot/listeners/options.py)."""
    from sandbox.katana_many import PO_BASE, many_open_orders
    async with shop_floor() as shop:
        many_open_orders(shop.katana, purchase_orders=150)
        view, _ = await unreadable_after_three_failed_reads(shop)
        po = next(b["element"] for b in view["blocks"] if b.get("block_id") == "po")
        assert po["type"] == "external_select"
        [found, *_] = await shop.workspace.suggest(ANA, view, "po", "1000")
        assert found["value"] == str(PO_BASE)
        await shop.workspace.submit_view(ANA, view, {"next": "type", "po": found["value"]})
        typed = await shop.view_becomes(view["id"], "receive_form", "Typed by hand")
        assert "PO-1000" in str(typed["blocks"])
        await shop.settle()
        assert shop.slack.ui_errors == [] and shop.katana.violations == []


async def test_a_store_error_during_the_sweep_leaves_the_slip_for_the_next_one() -> None:
    """The store fails as the restarted process looks for its own slips (it starts anyway), then as the
    sweep takes the first of two slips over: the second is read, the first at the next sweep. Fails when the
    start-up recovery lets the store error out (resume_own without its try: the restarted bot does not
    start). The sweep's half holds by construction (each slip is resumed in a job of its own; `resume` turns
    the error into a warning rather than a failed job's traceback): it is checked here, not mutated."""
    clock = [datetime(2026, 12, 7, 6, 0, tzinfo=UTC)]
    faults = Faults(cursors=True)
    async with shop_floor(store=flaky_store(faults, clock=LocalClock(lambda: clock[0]))) as shop:
        shop.bot.receiving.reader = HeldReader(tomatoes())
        forms = [await send_photo(shop), await send_photo(shop)]
        await shop.view_becomes(forms[1]["id"], None, "Reading the packing slip")
        faults.rule = lambda call: call.collection == "modal_drafts" and call.method == "find"
        reader = SlipAsRead(tomatoes("6"))
        await shop.crash_and_restart(prepare=reads_with(reader))
        assert faults.failed and reader.images == []  # started; nothing resumed yet

        faults.rule = lambda call: False
        first = (await draft_of(shop.store, forms[0])).id
        faults.rule = lambda call: (call.collection == "modal_drafts" and call.method == "find_one_and_update"
                                    and call.args[0].get("_id") == first and not faults.failed[1:])
        clock[0] += PAST_THE_LEASE
        assert await reading.resume_due(shop.bot.floor, shop.bot.receiving) == 2
        await shop.view_becomes(forms[1]["id"], "receive_form")
        await shop.settle()
        assert len(faults.failed) == 2 and "Reading the packing slip" in str(shop.slack.views[forms[0]["id"]]["blocks"])

        assert await reading.resume_due(shop.bot.floor, shop.bot.receiving) == 1
        await shop.view_becomes(forms[0]["id"], "receive_form")
        assert len(reader.images) == 2


async def test_a_store_error_as_the_slip_is_given_up_still_tells_the_person() -> None:
    """The store fails as the "could not be read" form looks up the open POs: the slip is unreadable
    already, so the form says so without the PO to type (another try stays offered). Fails when that store
    error escapes (unreadable_view without its try): the modal stays "Reading…" and no sweep comes back to
    a slip given up."""
    faults = Faults()
    async with shop_floor(store=flaky_store(faults)) as shop:
        reader = shop.bot.receiving.reader = BrokenReader()
        form = await send_photo(shop)
        await shop.settle()
        await sweep(shop)
        faults.rule = lambda call: call.collection == "open_order_lists" and call.method == "find_one"
        await sweep(shop)
        view = await shop.view_becomes(form["id"], "receive_unreadable")
        assert faults.failed and reader.reads == 3
        assert "Try reading the photo again" in str(view["blocks"]) and "Type the lines" not in str(view["blocks"])


async def test_a_store_error_keeping_the_typed_lines_is_told_not_left_loading() -> None:
    """Fails when that store error escapes type_lines (its `except StoreError` removed): the modal stays on
    "Loading the lines of the purchase order…"."""
    faults = Faults()
    async with shop_floor(store=flaky_store(faults)) as shop:
        shop.bot.receiving.reader = BrokenReader()
        form = await send_photo(shop)
        await shop.settle()
        await sweep(shop)
        await sweep(shop)
        view = await shop.view_becomes(form["id"], "receive_unreadable")
        faults.rule = lambda call: (call.collection == "modal_drafts" and call.method == "find_one_and_update"
                                    and not faults.failed)
        await shop.workspace.submit_view(ANA, view, {"next": "type", "po": str(PO31_ID)})
        told = await shop.view_becomes(form["id"], None, "could not keep the lines")
        assert faults.failed and "Nothing was received" in str(told["blocks"])
