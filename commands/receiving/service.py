"""What /receive needs from outside: a packing-slip reader and a safe downloader for Slack files.

Built by the composition root (`bot.app`) and handed to the /receive listeners; tests swap the reader
on a running bot (`bot.receiving.reader`) to stand at this boundary.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from integrations.slack_files import SlackFiles
from integrations.slips.queue import SlipReadingQueue
from models.packing_slip import PackingSlip

log = logging.getLogger(__name__)
READ_PATIENCE_SECONDS = 20.0  # how long the "Reading the packing slip…" modal waits for the reader
# A live reader renews its lease every READ_LEASE/4; another replica takes a dead one's slip over
# READ_LEASE + READ_GRACE later: by then anything the dead one was telling Slack has landed or failed
# (slack_sdk's 30 s timeout), so its "slips ahead of yours" cannot overwrite what the new reader shows.
READ_LEASE = timedelta(seconds=30)
READ_GRACE = timedelta(seconds=35)
MAX_READ_ATTEMPTS = 3  # then the modal says the slip could not be read: type the lines, or try again


class SlipReader(Protocol):
    async def read(self, image: bytes, *, patience: float = READ_PATIENCE_SECONDS) -> PackingSlip: ...


@dataclass
class Receiving:
    reader: SlipReader | None  # None: no reader could be built; /receive says so instead of guessing
    files: SlackFiles
    queue: SlipReadingQueue = field(default_factory=SlipReadingQueue)  # SLIP_READS_AT_ONCE, the rest wait
    replica: str = "this process"  # REPLICA_ID: the reader named in a draft, whose own reads it resumes at start
    lease: timedelta = READ_LEASE
    grace: timedelta = READ_GRACE
    max_attempts: int = MAX_READ_ATTEMPTS
