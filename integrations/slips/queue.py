"""At most N packing slips read at once; the others wait their turn, first come first served, and are told
their place in line.

Reading a slip is seconds of CPU and tens of MB of memory (integrations/slips/images.py bounds one read).
On a small server, four photos read at once would slow every one of them and crowd out the event loop
that acknowledges Slack; a line keeps both memory and latency bounded, and the person whose photo waits
sees "2 slips ahead of yours" instead of a modal that seems stuck.

    queue = SlipReadingQueue(at_once=2)
    async with queue.turn(on_wait=tell_the_operator):   # on_wait(ahead) each time the line moves
        slip = await reader.read(photo)
"""
from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

OnWait = Callable[[int], Awaitable[None]]


class SlipReadingQueue:
    def __init__(self, at_once: int = 2) -> None:
        if at_once < 1:
            raise ValueError("at least one slip must be readable at a time")
        self.at_once = at_once
        self.reading = 0
        self._line: deque[asyncio.Future[None]] = deque()
        self._waiters_moved: asyncio.Future[None] | None = None

    @property
    def waiting(self) -> int:
        return len(self._line)

    def ahead_of_next(self) -> int:
        """How many slips a photo arriving now would wait for (0: it is read at once)."""
        if self.reading < self.at_once and not self._line:
            return 0
        return self.reading + len(self._line)

    @asynccontextmanager
    async def turn(self, on_wait: OnWait | None = None) -> AsyncIterator[None]:
        await self._enter(on_wait)
        try:
            yield
        finally:
            self._leave()

    async def _enter(self, on_wait: OnWait | None) -> None:
        if self.reading < self.at_once and not self._line:
            self.reading += 1
            return
        ticket: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._line.append(ticket)
        told = -1
        try:
            while not ticket.done():
                ahead = self.reading + self._line.index(ticket)
                if on_wait is not None and ahead != told:
                    told = ahead
                    await on_wait(ahead)
                if not ticket.done():
                    await asyncio.wait([ticket, self._moved()], return_when=asyncio.FIRST_COMPLETED)
        except BaseException:
            self._give_up(ticket)
            raise

    def _leave(self) -> None:
        self.reading -= 1
        while self._line and self.reading < self.at_once:
            ticket = self._line.popleft()
            if not ticket.done():
                self.reading += 1  # the slot passes straight to the next in line: nobody can jump it
                ticket.set_result(None)
        self._notify()

    def _give_up(self, ticket: asyncio.Future[None]) -> None:
        """A waiter cancelled (the operator closed the modal, the bot is stopping) leaves the line; one
        that was handed a slot just as it was cancelled hands it on."""
        if ticket in self._line:
            self._line.remove(ticket)
            self._notify()
        elif ticket.done() and not ticket.cancelled():
            self._leave()

    # --- telling waiters the line moved -------------------------------------------------------------
    def _moved(self) -> asyncio.Future[None]:
        if self._waiters_moved is None or self._waiters_moved.done():
            self._waiters_moved = asyncio.get_running_loop().create_future()
        return self._waiters_moved

    def _notify(self) -> None:
        if self._waiters_moved is not None and not self._waiters_moved.done():
            self._waiters_moved.set_result(None)
