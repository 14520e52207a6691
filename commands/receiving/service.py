"""What /receive needs from outside: a packing-slip reader and a safe downloader for Slack files.

Built by the composition root (`bot.app`) and handed to the /receive listeners; tests swap the reader
on a running bot (`bot.receiving.reader`) to stand at this boundary.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol

from integrations.slack_files import SlackFiles
from integrations.slips.queue import SlipReadingQueue
from models.packing_slip import PackingSlip

log = logging.getLogger(__name__)
READ_PATIENCE_SECONDS = 20.0  # how long the "Reading the packing slip…" modal waits for the reader


class SlipReader(Protocol):
    async def read(self, image: bytes, *, patience: float = READ_PATIENCE_SECONDS) -> PackingSlip: ...


@dataclass
class Receiving:
    reader: SlipReader | None  # None: no reader could be built; /receive says so instead of guessing
    files: SlackFiles
    queue: SlipReadingQueue = field(default_factory=SlipReadingQueue)  # SLIP_READS_AT_ONCE, the rest wait
