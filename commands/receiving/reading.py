"""Reading a packing slip in the background, so that nobody is left on "Reading the packing slip…", whatever
stops: the bot restarting, a replica dying, the reader or the download failing.

The rules, kept as floor actions keep theirs (commands/recording.py):
- the draft is stored before the ack with what a read needs (the Slack file), the replica that reads it
  and a lease (a token and an end on the database's clock, models/receipts.py); while the slip waits in
  line and is read, its reader renews the lease every READ_LEASE/4 (models.leases.heartbeat), and tells the
  modal its place in line only while the lease is certainly its own;
- an outcome is saved only by the lease's holder, in one conditional update, and the modal shows only an
  outcome that was saved: a read that finishes after another replica took the slip over changes nothing.
  A reader that learns it lost the lease stops at once;
- at start a replica resumes the slips it was reading or had in line when it stopped (`resume_own`, by its
  REPLICA_ID); every WORKER_INTERVAL_SECONDS one replica's sweep (`resume_due`) takes over the slips whose
  lease ran out READ_GRACE ago, and those let go for another try;
- each take of a slip is an attempt. A read that fails for a reason the person cannot act on (the
  download, the reader, the store) lets its lease go and the sweep tries again; after MAX_READ_ATTEMPTS the
  modal says the slip could not be read and offers to type its lines or to try again
  (commands/receiving/unreadable.py). A file that is not a usable photo, or shows no lines, is said at
  once: reading it again would not help.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from commands.context import Floor
from commands.ports import SlackRefused, View
from commands.receiving.matching import rank_orders, suggested_order
from commands.receiving.open_pos import expected_goods, open_orders
from commands.receiving.service import READ_PATIENCE_SECONDS, Receiving
from commands.receiving.state import PhotoRef, ReceiveState, entries_for
from commands.receiving.views import confirm_view, reading_view, refused_view
from commands.receiving.views import unreadable_view as unreadable_modal
from commands.submissions import ack_landed
from integrations.katana.errors import KatanaError
from integrations.slack_files import FileRefused
from integrations.slips import SlipImageError, reconcile
from models.base import whole_number
from models.leases import LeaseHold, heartbeat
from models.open_orders import Kind
from models.receipts import ModalDraft
from models.store import StoreError

log = logging.getLogger(__name__)
PO: Kind = "po"
FILE_FIELDS = ("id", "name", "mimetype", "filetype", "size", "url_private", "url_private_download")


class ReadLost(Exception):
    """Another replica has taken this slip's read over: stop, save nothing, show nothing."""


def slack_file(file: dict[str, Any]) -> dict[str, Any]:
    """What a draft keeps of the submitted file, to download it again on another try (the download checks
    its URL every time: it is the client's data)."""
    kept: dict[str, Any] = {}
    for key in FILE_FIELDS:
        value = file.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            kept[key] = value
        elif isinstance(value, str):
            kept[key] = value[:2000]
    return kept


@dataclass
class SlipRead:
    """One attempt at reading the slip of `draft`, whose lease this replica holds."""

    floor: Floor
    receiving: Receiving
    draft: ModalDraft
    acked_at: datetime | None = None  # the photo's ack, when this attempt follows it
    hold: LeaseHold = field(init=False)

    def __post_init__(self) -> None:
        self.hold = LeaseHold(self.draft.lease_until or self.floor.store.clock.estimate(), self.receiving.lease)

    async def run(self) -> None:
        """The attempt, stopped as soon as the heartbeat finds the lease taken over."""
        drafts = self.floor.store.drafts
        beating = asyncio.create_task(heartbeat(self.hold, lambda: drafts.renew_read(self.draft, self.receiving.lease),
                                                f"packing slip {self.draft.id}"))
        attempt = asyncio.create_task(self.outcome())
        try:
            await asyncio.wait({beating, attempt}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            beating.cancel()
            attempt.cancel()  # (a crash of this job must not leave the attempt running on its own)
        if not attempt.done() or attempt.cancelled():
            log.info("packing slip %s: another replica took its read over; this one stopped", self.draft.id)
            return
        view = attempt.result()
        if view is not None:
            await self.show(view)

    async def outcome(self) -> View | None:
        """The view to show once the outcome is saved; None when there is nothing to show (the read is
        another replica's now, or was let go for another try)."""
        try:
            return await self.confirmation()
        except ReadLost:
            log.info("packing slip %s: another replica took its read over; its outcome stands", self.draft.id)
            return None
        except FileRefused as refusal:
            refused = await self.floor.store.drafts.settle_read(self.draft, "refused", problem=str(refusal))
            return refused_view(str(refusal)) if refused is not None else None
        except Exception:  # noqa: BLE001 — the download, the reader or the store: another try may do better
            log.exception("packing slip %s: attempt %d of %d failed", self.draft.id, self.draft.attempts,
                          self.receiving.max_attempts)
        return await self.failed()

    async def failed(self) -> View | None:
        drafts = self.floor.store.drafts
        if self.draft.attempts < self.receiving.max_attempts:
            await drafts.settle_read(self.draft, "queued")  # let go: the sweep tries again
            return None
        gave_up = await drafts.settle_read(self.draft, "unreadable")
        return await unreadable_view(self.floor, gave_up) if gave_up is not None else None

    async def confirmation(self) -> View:
        receiving, draft = self.receiving, self.draft
        if receiving.reader is None:
            raise FileRefused("This bot cannot read packing slips yet (no slip reader is installed).")
        file = draft.data.get("file")
        if not isinstance(file, dict):  # a draft from before the file was kept
            raise FileRefused("This photo can no longer be read.")
        photo = await receiving.files.download_photo(file)
        async with receiving.queue.turn(on_wait=self.tell_place):
            if not await self.floor.store.drafts.mark_reading(draft):
                raise ReadLost(draft.id)
            try:
                slip = await receiving.reader.read(photo.content, patience=READ_PATIENCE_SECONDS)
            except SlipImageError as exc:  # not a usable photo after all; its message is for floor staff
                raise FileRefused(str(exc)) from None
        po_hint = draft.data.get("po_hint")
        try:
            orders = await open_orders(self.floor, also=po_hint)
        except KatanaError as exc:
            raise FileRefused(f"Can't load the open purchase orders: {exc.user_message}") from None
        slip = reconcile(slip, expected_goods(orders, po_hint))  # codes snapped to the POs' rows
        if not slip.lines:
            raise FileRefused("No item lines could be read on that photo. Take it again, flat and in good light.")
        state = ReceiveState(photo=PhotoRef(file_id=str(file.get("id") or ""), name=str(file.get("name") or "")[:100]),
                             slip=slip, orders=orders, ranking=rank_orders(slip, orders))
        choose_order(state, po_hint)
        if await self.floor.store.drafts.settle_read(draft, "ready", state=state.dump(),
                                                     suggested_rows=[e.row_id for e in state.entries]) is None:
            raise ReadLost(draft.id)
        return confirm_view(state, draft_id=draft.id, channel_id=draft.channel_id)

    async def tell_place(self, ahead: int) -> None:
        """Other slips are being read first (SLIP_READS_AT_ONCE): say so, while the read is surely ours."""
        if self.acked_at is not None:
            await ack_landed(self.acked_at)
        if not self.hold.lets_write(self.floor.store.clock.estimate()):
            return  # it may be another replica's read now: that one tells the person
        try:
            await self.floor.slack.update_view(str(self.draft.view_id), reading_view(ahead))
        except SlackRefused:
            pass  # the modal was closed meanwhile: nobody to tell

    async def show(self, view: View) -> None:
        if self.acked_at is not None:
            await ack_landed(self.acked_at)  # else Slack may apply the ack's "Reading…" after this
        try:
            await self.floor.slack.update_view(str(self.draft.view_id), view)
        except SlackRefused as exc:
            log.info("the /receive outcome could not be shown (closed?): %s", exc.error)


async def resume_own(floor: Floor, receiving: Receiving) -> int:
    """At start-up: the slips this replica was reading or had in line when it stopped, taken again now rather
    than once their lease runs out. A store error leaves them to the sweep."""
    try:
        found = await floor.store.drafts.reads_of(receiving.replica)
    except StoreError as exc:
        log.warning("packing slips being read at the last stop not looked for (the store failed: %s); the sweep "
                    "takes them over once their lease runs out", type(exc).__name__)
        return 0
    for draft_id in found:
        floor.jobs.spawn(resume(floor, receiving, draft_id, own=True), name=f"resume slip {draft_id}")
    return len(found)


async def resume_due(floor: Floor, receiving: Receiving) -> int:
    """The worker's sweep: slips whose replica died (their lease ran out) or that wait for another try."""
    due = await floor.store.drafts.reads_due(receiving.grace)
    for draft_id in due:
        floor.jobs.spawn(resume(floor, receiving, draft_id), name=f"resume slip {draft_id}")
    return len(due)


async def resume(floor: Floor, receiving: Receiving, draft_id: str, *, own: bool = False) -> None:
    """Take the slip's read and read it; or, when it has had its attempts, say it could not be read."""
    drafts = floor.store.drafts
    rules: dict[str, Any] = {"grace": receiving.grace, "max_attempts": receiving.max_attempts, "own": own}
    try:
        taken = await drafts.take_read(draft_id, receiving.replica, receiving.lease, **rules)
        gave_up = None if taken is not None else await drafts.give_up_read(draft_id, receiving.replica, **rules)
    except StoreError as exc:
        log.warning("packing slip %s not resumed: the store failed (%s); the next sweep tries again",
                    draft_id, type(exc).__name__)
        return
    if taken is not None:
        await SlipRead(floor, receiving, taken).run()
    elif gave_up is not None:
        await SlipRead(floor, receiving, gave_up).show(await unreadable_view(floor, gave_up))


async def unreadable_view(floor: Floor, draft: ModalDraft) -> View:
    """The slip could not be read: type its lines (on the PO chosen with the photo, or another) or try again."""
    po_hint = whole_number(draft.data.get("po_hint"))
    try:
        chosen = await floor.orders.get(PO, po_hint) if po_hint else None
        listed = await floor.orders.current(PO)
    except StoreError:  # the draft is unreadable already: say so, offering what needs no list
        chosen, listed = None, None
    return unreadable_modal(draft_id=draft.id, channel_id=draft.channel_id, orders=listed, chosen=chosen)


def choose_order(state: ReceiveState, po_hint: int | None) -> None:
    """The operator's PO if they chose one, else the slip's printed number or a clear best match."""
    best = suggested_order(state.ranking)
    if po_hint and any(o.po_id == po_hint for o in state.orders):
        state.po_id, state.note = po_hint, "You chose this PO."
    elif best is not None and best.doubtful:
        state.po_id, state.po_to_check = best.po_id, True
        state.note = f"The {best.reason} was hard to read: check it and tick below."
    elif best is not None:
        state.po_id = best.po_id
        state.note = f"Matched by {best.reason}." if best.printed else f"Best match ({best.reason}): check it."
    else:
        state.note = "No open PO clearly matches this slip: choose it."
    state.entries = entries_for(state.lines, state.order)
