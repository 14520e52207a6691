"""Choosing how a packing slip is read: the vision model when configured, offline OCR otherwise or as fallback.

The floor never waits on a dead API: when the model is busy beyond the caller's patience, rate-limited,
over its spend limit or answers nonsense, the same photo is read offline and the receipt's notes say so.
A file that is not a photo fails the same way on both paths (SlipImageError), before any API call.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from integrations.slips.images import open_upright
from integrations.slips.offline import OfflineSlipReader
from integrations.slips.vision import VisionSlipReader, VisionUnavailable
from models.packing_slip import PackingSlip

log = logging.getLogger(__name__)


class SlipReader(Protocol):
    name: str

    async def read(self, image: bytes, *, patience: float = 20.0) -> PackingSlip: ...


class VisionWithFallback:
    """The vision model first; offline OCR when it cannot answer within the patience."""

    name = "anthropic"

    def __init__(self, vision: VisionSlipReader, offline: OfflineSlipReader) -> None:
        self.vision, self.offline = vision, offline

    async def read(self, image: bytes, *, patience: float = 20.0) -> PackingSlip:
        await asyncio.to_thread(open_upright, image)  # a non-photo is refused here: sent neither to the API nor OCR
        try:
            return await self.vision.read(image, patience=patience)
        except VisionUnavailable as exc:
            log.warning("packing slip read offline: %s", exc)
            slip = await self.offline.read(image, patience=patience)
            slip.notes.insert(0, f"{exc}, read offline")
            return slip

    async def aclose(self) -> None:
        await self.vision.aclose()


def build_slip_reader(settings: object, *, offline: OfflineSlipReader | None = None,
                      vision: VisionSlipReader | None = None) -> SlipReader:
    """ANTHROPIC_API_KEY set → vision model with offline fallback; unset → offline only.

    `settings` is bot.settings.Settings (anything with anthropic_api_key / _model / _base_url).
    """
    offline = offline or OfflineSlipReader()
    key = getattr(settings, "anthropic_api_key", None)
    if vision is None and key is not None and key.get_secret_value():
        base_url = getattr(settings, "anthropic_base_url", None)
        model = str(getattr(settings, "anthropic_model", "claude-haiku-5-5"))
        vision = VisionSlipReader(api_key=key.get_secret_value(), model=model,
                                  base_url=str(base_url).rstrip("/") if base_url else None)
    return VisionWithFallback(vision, offline) if vision is not None else offline
