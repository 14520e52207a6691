"""Offline slip reading in a child process, so OCR's CPU never competes with the event loop that acks Slack.

OCR is seconds of CPU per photo: decoding, onnxruntime, then the parser in Python. In a worker thread of
the bot's own process it holds the GIL for the Python parts and shares both cores with the event loop,
so /cook acks waited behind it (bench row 7). Here it runs in a child process:
- started on the first slip, not at start-up (a bot that never reads a slip never pays for it), and kept:
  the child loads the OCR models once;
- at a lower scheduling priority (nice +10), so the kernel gives the ack path the CPU first and the OCR
  the rest;
- at most `processes` reads at once (one by default, for a 2-core server); the others queue in order;
- a photo that kills the child (out of memory: the decoded image lives there, not in the bot) fails that
  one read with BrokenProcessPool: each read the child held is tried again in a child of its own, so
  only the killer's fails; the next read starts a new shared child.

    offline = OcrInChildProcess()                           # reads like OfflineSlipReader
    reader = build_slip_reader(settings, offline=offline)   # (bot/app.py)
    offline.close()                                         # at shutdown
"""
from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from integrations.slips.offline import OfflineSlipReader, read_offline_sync
from models.packing_slip import PackingSlip

NICENESS = 10
T = TypeVar("T")


def lower_priority(niceness: int) -> None:
    """Runs in the child before its first read."""
    os.nice(niceness)


Packed = tuple[type[PackingSlip], dict[str, Any], dict[str, Any] | None]


def read_and_pack(image: Any, **options: Any) -> Packed:
    """In the child: the slip as plain data (pydantic's generic `Read[str]` classes do not pickle), with
    the reader's private attributes (e.g. the OCR boxes a later re-parse uses)."""
    slip = read_offline_sync(image, **options)
    return type(slip), slip.model_dump(), slip.__pydantic_private__


def rebuilt(packed: Packed) -> PackingSlip:
    kind, fields, private = packed
    slip = kind.model_validate(fields)
    if private:
        slip.__pydantic_private__ = private
    return slip


class OcrInChildProcess(OfflineSlipReader):
    """An OfflineSlipReader whose reading happens in a child process (see the module docstring)."""

    def __init__(self, *, processes: int = 1, niceness: int = NICENESS) -> None:
        self.processes, self.niceness = processes, niceness
        self._pool: ProcessPoolExecutor | None = None

    async def read(self, image: Any, *, patience: float = 20.0, **options: Any) -> PackingSlip:
        """As OfflineSlipReader.read: `patience` is not used (a read is not abandoned half-way); `options`
        are passed on to the offline reader with the photo."""
        return rebuilt(await self.run(functools.partial(read_and_pack, image, **options)))

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        """`work(*args)` in the child; both must pickle (a module-level function and plain data).

        When the child dies, every read it held or had queued fails with it, not only the one that
        killed it. Each is then tried once more in a child of its own: the photo that killed the shared
        child kills its own one and fails; the others are read."""
        pool = self._started()
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, work, *args)
        except BrokenProcessPool:
            self._forget(pool)  # the next read starts a new shared child
        alone = self._new_pool(1)
        try:
            return await asyncio.get_running_loop().run_in_executor(alone, work, *args)
        finally:
            alone.shutdown(wait=False, cancel_futures=True)

    def _new_pool(self, processes: int) -> ProcessPoolExecutor:
        # spawn, not fork: the bot's process has threads and an event loop a fork would copy half-way
        return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=lower_priority, initargs=(self.niceness,))

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = self._new_pool(self.processes)
        return self._pool

    def _forget(self, pool: ProcessPoolExecutor) -> None:
        pool.shutdown(wait=False, cancel_futures=True)
        if self._pool is pool:
            self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._forget(self._pool)
