"""At most N slips read at once: the others wait their turn, first come first served, told their place."""
from __future__ import annotations

import asyncio

import pytest

from integrations.slips import SlipReadingQueue


class Read:
    """One slip being read: it holds its turn until the test lets it finish."""

    def __init__(self, queue: SlipReadingQueue, name: str, log: list[str]) -> None:
        self.told: list[int] = []
        self.started, self.finish = asyncio.Event(), asyncio.Event()
        self.task = asyncio.create_task(self.run(queue, name, log))

    async def tell(self, ahead: int) -> None:
        self.told.append(ahead)

    async def run(self, queue: SlipReadingQueue, name: str, log: list[str]) -> None:
        async with queue.turn(on_wait=self.tell):
            log.append(name)
            self.started.set()
            await self.finish.wait()


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_a_third_read_waits_and_is_told_its_place() -> None:
    queue, log = SlipReadingQueue(at_once=2), []
    first, second = Read(queue, "first", log), Read(queue, "second", log)
    await settle()
    assert queue.ahead_of_next() == 2
    third = Read(queue, "third", log)
    fourth = Read(queue, "fourth", log)
    await settle()
    assert log == ["first", "second"] and not third.started.is_set()
    assert third.told == [2] and fourth.told == [3]  # "2 slips ahead of yours", "3 slips ahead of yours"
    assert first.told == [] and second.told == []  # read at once, never told to wait
    first.finish.set()
    await third.started.wait()
    await settle()
    assert log == ["first", "second", "third"] and fourth.told == [3, 2]
    for read in (second, third, fourth):
        read.finish.set()
    await asyncio.gather(first.task, second.task, third.task, fourth.task)
    assert log[-1] == "fourth" and queue.reading == 0 and queue.waiting == 0 and queue.ahead_of_next() == 0


async def test_a_waiter_that_gives_up_leaves_the_line() -> None:
    queue, log = SlipReadingQueue(at_once=1), []
    first, second, third = Read(queue, "first", log), Read(queue, "second", log), Read(queue, "third", log)
    await settle()
    assert second.told == [1] and third.told == [2]
    second.task.cancel()  # the operator closed the modal
    await settle()
    assert third.told == [2, 1] and queue.waiting == 1
    first.finish.set()
    await third.started.wait()
    third.finish.set()
    await asyncio.gather(first.task, third.task)
    with pytest.raises(asyncio.CancelledError):
        await second.task
    assert log == ["first", "third"] and queue.reading == 0


def test_at_least_one_read_at_a_time() -> None:
    with pytest.raises(ValueError):
        SlipReadingQueue(at_once=0)


class HeldReader:
    """Stands in for the slip reader: every read waits until the test lets them all finish."""

    def __init__(self, slip: object) -> None:
        self.slip, self.release, self.reading, self.most = slip, asyncio.Event(), 0, 0

    async def read(self, image: bytes, *, patience: float = 20.0) -> object:
        self.reading += 1
        self.most = max(self.most, self.reading)
        await self.release.wait()
        self.reading -= 1
        return self.slip


async def test_the_third_photo_at_once_waits_and_the_modal_says_so(shop) -> None:  # type: ignore[no-untyped-def]
    from tests.test_scenario_receive import ANA, fresh_farms_slip, jpeg, line

    reader = shop.bot.receiving.reader = HeldReader(fresh_farms_slip(line("MAT-TOMATO", "5", "kg")))
    assert shop.bot.receiving.queue.at_once == 2  # SLIP_READS_AT_ONCE's default
    forms = []
    for _ in range(3):
        form = await shop.form_from_command(ANA, "/receive")
        reply = await shop.workspace.submit_view(ANA, form, {"photo": [shop.slack.add_file("slip.jpg", jpeg(), "image/jpeg")]})
        assert reply.acked_in_time
        forms.append(form)
    waiting = await shop.view_becomes(forms[2]["id"], None, "2 slips ahead of yours", timeout=5.0)
    assert "Reading the packing slip" in str(waiting["blocks"]) and reader.reading == 2
    reader.release.set()
    for form in forms:
        await shop.view_becomes(form["id"], "receive_form", timeout=5.0)
    assert reader.most == 2
