"""Choosing how a packing slip is read: the vision model when configured, offline OCR otherwise or as fallback.

The floor never waits on a dead API: when the model is busy beyond the caller's patience, rate-limited,
over its spend limit, answers nonsense or fails in a way nobody foresaw (an old SDK, a proxy's HTML page),
the same photo is read offline and the receipt's notes say so. A file that is not a photo fails the same
way on both paths (SlipImageError), before any API call; the photo is decoded once for both.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from integrations.slips.expected import Expected
from integrations.slips.images import Photo, SlipImageError, decode_photo
from integrations.slips.offline import OfflineSlip, OfflineSlipReader, parse_boxes
from integrations.slips.vision import VisionSlipReader, VisionUnavailable
from models.packing_slip import PackingSlip

log = logging.getLogger(__name__)


class SlipReader(Protocol):
    name: str

    async def read(self, image: bytes, *, patience: float = 20.0) -> PackingSlip: ...


class VisionWithFallback:
    """The vision model first; offline OCR when it cannot answer within the patience, or fails at all."""

    name = "anthropic"

    def __init__(self, vision: VisionSlipReader, offline: OfflineSlipReader) -> None:
        self.vision, self.offline = vision, offline

    async def read(self, image: bytes | Photo, *, patience: float = 20.0) -> PackingSlip:
        photo = image if isinstance(image, Photo) else await asyncio.to_thread(decode_photo, image)
        try:
            return await self.vision.read(photo, patience=patience)
        except VisionUnavailable as exc:
            log.warning("packing slip read offline: %s", exc)
            why = str(exc)
        except SlipImageError:
            raise
        except Exception as exc:  # noqa: BLE001 — whatever went wrong there, the receipt goes on offline
            log.warning("packing slip read offline: the vision path failed unexpectedly (%s)", type(exc).__name__)
            why = "vision model unusable"
        slip = await self.offline.read(photo, patience=patience)
        slip.notes.insert(0, f"{why}, read offline")
        return slip

    async def aclose(self) -> None:
        await self.vision.aclose()


def reconcile(slip: PackingSlip, expected: Expected) -> PackingSlip:
    """The slip read again with what the bot knows (open POs) as its dictionary: codes snapped to a PO row's
    codes, units preferred as the row has them, each snap noted. A slip read by the vision model (or by
    anything that kept no OCR boxes) is returned as it is."""
    if not isinstance(slip, OfflineSlip) or not slip.boxes:
        return slip
    again = parse_boxes(slip.boxes, expected)
    again.notes = [n for n in slip.notes if n not in slip._parse_notes] + again.notes
    return again


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
