"""The OCR child process (integrations/slips/worker.py) when one photo kills the child while another
slip is being read. SLIP_READS_AT_ONCE defaults to 2 and OCR_PROCESSES to 1, so two reads share the child.
 (Found by an outside attack; fails without the retry in a child of its own.)
The module docstring promises "a photo that kills the child fails that one read"."""
from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator

import pytest

from integrations.slips.worker import OcrInChildProcess


def die_after(seconds: float) -> None:
    """In the child: a photo whose decoding gets the child killed after a while (OOM)."""
    time.sleep(seconds)
    os._exit(1)


@pytest.fixture
async def worker() -> AsyncIterator[OcrInChildProcess]:
    child = OcrInChildProcess()
    yield child
    child.close()


async def test_a_photo_that_kills_the_child_fails_only_its_own_read(worker: OcrInChildProcess) -> None:
    await worker.run(os.getpid)  # the child is up
    bomb = asyncio.create_task(worker.run(die_after, 0.5))  # the kernel's OOM killer, on the first photo
    await asyncio.sleep(0.1)
    other = asyncio.create_task(worker.run(abs, -7))  # the second slip, read at the same time (queued in the pool)
    results = await asyncio.gather(bomb, other, return_exceptions=True)
    # commands/receiving/reading.py counts a BrokenProcessPool as a failed try at reading: the operator whose
    # photo was fine would wait for another try, or be told after three that it could not be read.
    assert results[1] == 7, f"the innocent read failed too: {results[1]!r}"

