"""Offline slip reading in a child process (integrations/slips/worker.py): same result as reading in the bot's
own process, at a lower priority, and a child that dies costs one read, not the next."""
from __future__ import annotations

import os
from collections.abc import AsyncIterator
from concurrent.futures.process import BrokenProcessPool

import pytest

from integrations.slips.offline import read_offline_sync
from integrations.slips.worker import NICENESS, OcrInChildProcess
from sandbox.slips.corpus import make_corpus


@pytest.fixture
async def worker() -> AsyncIterator[OcrInChildProcess]:
    child = OcrInChildProcess()
    yield child
    child.close()


async def test_a_slip_read_in_the_child_is_the_slip_read_here(worker: OcrInChildProcess) -> None:
    photo = make_corpus(1)[0].image
    assert await worker.read(photo) == read_offline_sync(photo)


async def test_the_child_runs_below_the_bot_and_is_replaced_when_it_dies(worker: OcrInChildProcess) -> None:
    assert await worker.run(os.nice, 0) == os.nice(0) + NICENESS
    first = await worker.run(os.getpid)
    assert first != os.getpid()
    with pytest.raises(BrokenProcessPool):
        await worker.run(os._exit, 1)  # what the kernel's OOM killer does to a child decoding a bomb
    assert await worker.run(os.getpid) not in (first, os.getpid())
