"""What /receive needs from outside: a packing-slip reader and a safe downloader for Slack files.

Built by the composition root (`bot.app`) and handed to the /receive listeners; tests swap the reader
on a running bot (`bot.receiving.reader`) to stand at this boundary.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol

import httpx

from bot.settings import Settings
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


def build_receiving(settings: Settings, http: httpx.AsyncClient) -> Receiving:
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else ""
    files = SlackFiles(http, bot_token=token, files_url=str(settings.slack_files_url) if settings.slack_files_url else None)
    return Receiving(reader=build_reader(settings), files=files, queue=SlipReadingQueue(settings.slip_reads_at_once))


def build_reader(settings: Settings) -> SlipReader | None:
    try:
        from integrations.slips import build_slip_reader
    except ImportError:
        log.warning("packing-slip reader (integrations.slips) is not installed: /receive cannot read photos")
        return None
    return build_slip_reader(settings)  # type: ignore[no-any-return] — vision with offline fallback, or offline
