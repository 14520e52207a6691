"""Row 8: the /cook ack while packing slips are being read — its p99 with 4 slips in reading at every moment,
as a ratio to the same bot idle, measured in the same run.

Reading a slip offline is seconds of CPU (OCR on onnxruntime). The bot process (`python -m bot serve`)
gets 4 lanes of /receive: each submits a slip photo (a rendered, seeded slip from sandbox/slips) and, as
soon as the modal stops saying "Reading the packing slip…", the next one. Meanwhile the same signed /cook
load as row 1 measures the ack. Rounds alternate idle / busy so machine noise hits both alike; each
side's median p99 is compared.
"""
from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field

from bench.ack import WARM_UP, hammer
from bench.measure import Latencies, until
from bench.report import Row, neighbours
from bench.servers import SIGNING_SECRET, bot_process, fakes, running
from sandbox.process import BotProcess
from sandbox.slack import FakeSlack
from sandbox.slack_user import SlackWorkspace

BEN = "U0BEN"
READING = "Reading the packing slip"


@dataclass
class Readers:
    """`lanes` slips in reading at every moment, until told to stop."""

    slack: FakeSlack
    bot: BotProcess
    photos: list[bytes]
    lanes: int = 4
    done: int = 0
    reading: int = 0
    seconds: list[float] = field(default_factory=list)  # each slip, from submitting it to what was read
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    used: set[str] = field(default_factory=set)

    async def run(self) -> None:
        user = SlackWorkspace(events_url=f"{self.bot.url}/slack/events", signing_secret=SIGNING_SECRET,
                              slack=self.slack)
        try:
            await asyncio.gather(*(self.lane(user, n) for n in range(self.lanes)))
        finally:
            await user.close()

    async def warm_up(self) -> None:
        """One slip read alone: the OCR models load once per process, which is not per-slip work."""
        self.stopping.set()
        user = SlackWorkspace(events_url=f"{self.bot.url}/slack/events", signing_secret=SIGNING_SECRET,
                              slack=self.slack)
        try:
            await self.read_one(user, self.photos[0])
        finally:
            await user.close()
            self.stopping.clear()

    async def lane(self, user: SlackWorkspace, number: int) -> None:
        turn = number
        while not self.stopping.is_set():
            await self.read_one(user, self.photos[turn % len(self.photos)])
            turn += self.lanes

    async def read_one(self, user: SlackWorkspace, photo: bytes) -> None:
        await user.slash_command(BEN, "/receive")
        form = await self.photo_form()
        file = self.slack.add_file("slip.jpg", photo, "image/jpeg")
        self.reading += 1
        started = time.perf_counter()
        try:
            await user.submit_view(BEN, form, {"photo": [file]})
            await until(lambda: READING not in str(self.slack.views.get(form["id"])), timeout=120, every=0.05)
        finally:
            self.reading -= 1
        self.seconds.append(time.perf_counter() - started)
        self.done += 1

    async def photo_form(self) -> dict:
        for _ in range(1000):
            for view_id, view in list(self.slack.views.items()):
                if view.get("callback_id") == "receive_photo" and view_id not in self.used:
                    self.used.add(view_id)
                    return view
            await asyncio.sleep(0.01)
        raise TimeoutError("no /receive photo form opened")


async def busy_round(readers: Readers, requests: int, concurrency: int) -> Latencies:
    task = asyncio.create_task(readers.run())
    await until(lambda: readers.reading >= readers.lanes, timeout=30)
    await asyncio.sleep(0.5)  # the reads are under way (downloaded, decoded, in OCR), not just submitted
    try:
        result, _, _ = await hammer(readers.slack, readers.bot, requests, concurrency)
    finally:
        readers.stopping.set()
        await task
        readers.stopping.clear()
    return result


async def run(requests: int = 1000, concurrency: int = 10, rounds: int = 3, lanes: int = 4,
              photos: int = 4, warm: bool = True) -> Row:
    from sandbox.slips.corpus import make_corpus  # (Pillow and fonts: only this row draws slips)

    slips = [sample.image for sample in make_corpus(photos)]
    async with fakes() as (katana, slack):
        bot_env = {"SLACK_FILES_URL": slack.base_url, "SLIP_READS_AT_ONCE": str(lanes)}
        async with running(bot_process(katana, slack, **bot_env)) as bot:
            await hammer(slack, bot, WARM_UP, min(concurrency, WARM_UP))
            if warm:  # (the tiny run skips it: it checks the row works, it measures nothing)
                await Readers(slack, bot, slips[:1], lanes=1).warm_up()
            idle: list[Latencies] = []
            busy: list[Latencies] = []
            read_seconds: list[float] = []
            started = time.perf_counter()
            for _ in range(rounds):
                idle.append((await hammer(slack, bot, requests, concurrency))[0])
                readers = Readers(slack, bot, slips, lanes=lanes)
                busy.append(await busy_round(readers, requests, concurrency))
                read_seconds += readers.seconds
            elapsed = time.perf_counter() - started
    return row(idle, busy, requests, concurrency, lanes, read_seconds, elapsed)


def row(idle: list[Latencies], busy: list[Latencies], requests: int, concurrency: int, lanes: int,
        read_seconds: list[float], elapsed: float) -> Row:
    idle_p99 = statistics.median(r.p99_ms for r in idle)
    busy_p99 = statistics.median(r.p99_ms for r in busy)
    ratio = busy_p99 / idle_p99 if idle_p99 else float("inf")
    failures = sum(r.failures for r in idle + busy)
    measured = (f"p99 {busy_p99:.1f} ms with {lanes} slips in reading vs {idle_p99:.1f} ms idle = {ratio:.2f}× "
                f"(p50 {statistics.median(r.p50_ms for r in busy):.1f} vs "
                f"{statistics.median(r.p50_ms for r in idle):.1f} ms); {failures} failed; {len(read_seconds)} slips "
                f"read meanwhile, {statistics.median(read_seconds or [0]):.1f} s each from photo to lines "
                f"({lanes} at once); {neighbours()}")
    return Row(8, f"/cook ack while {lanes} packing slips are read, {requests} requests at concurrency {concurrency}",
               measured, "p99 ≤ 1.25× idle", ratio <= 1.25 and failures == 0, notes=[
                   f"Idle and busy rounds alternate ({len(idle)} each, {elapsed:.0f} s in all); each side's median "
                   "p99 is compared. Slips are read offline (no ANTHROPIC_API_KEY) by the real bot process; "
                   f"{lanes} lanes each submit a photo through /receive and the next as soon as the modal shows "
                   "what was read."])
