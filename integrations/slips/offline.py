"""The offline reader: OCR on this machine's CPU, then the packing-slip parser. No network at all.

OCR takes seconds of CPU per photo; it runs in a worker thread so the event loop keeps answering Slack
(which wants every request acknowledged within 3 s) while a slip is being read.
"""
from __future__ import annotations

import asyncio

from integrations.slips.images import open_upright, scaled
from integrations.slips.ocr import recognise
from integrations.slips.parser import parse_slip
from models.packing_slip import PackingSlip


def read_offline_sync(image: bytes) -> PackingSlip:
    """bytes of a photo → PackingSlip. Raises SlipImageError for what is not a photo."""
    picture = scaled(open_upright(image))
    return parse_slip(recognise(picture))


class OfflineSlipReader:
    name = "offline"

    async def read(self, image: bytes, *, patience: float = 20.0) -> PackingSlip:
        """`patience` is accepted for a common interface; offline reading is not abandoned half-way."""
        return await asyncio.to_thread(read_offline_sync, image)
