"""Reading packing-slip photos for /receive: image preparation, the vision reader, the offline reader.

    reader = build_slip_reader(settings)
    async with queue.turn(on_wait=...):                    # SlipReadingQueue: at most N reads at once
        slip = await reader.read(photo_bytes, patience=20.0)   # → models.packing_slip.PackingSlip
    slip = reconcile(slip, Expected(open_orders, chosen))     # codes snapped to what the POs expect

`SlipImageError` (NotAPhoto, PhotoTooLarge) means the file is not a usable photo; its message is for
floor staff. Every other failure of the vision model falls back to offline OCR, noted in `slip.notes`.
"""
from integrations.slips.expected import Expected, ExpectedItem, ExpectedOrder
from integrations.slips.images import (
                                       NotAPhoto,
                                       Photo,
                                       PhotoTooLarge,
                                       PreparedPhoto,
                                       SlipImageError,
                                       decode_photo,
                                       prepare_photo,
)
from integrations.slips.matching import same_code
from integrations.slips.ocr import OfflineOcrUnavailable
from integrations.slips.offline import OfflineSlip, OfflineSlipReader
from integrations.slips.queue import SlipReadingQueue
from integrations.slips.reader import SlipReader, VisionWithFallback, build_slip_reader, reconcile
from integrations.slips.vision import VisionSlipReader, VisionUnavailable

__all__ = [
    "Expected", "ExpectedItem", "ExpectedOrder", "NotAPhoto", "OfflineOcrUnavailable", "OfflineSlip",
    "OfflineSlipReader", "Photo", "PhotoTooLarge", "PreparedPhoto", "SlipImageError", "SlipReader",
    "SlipReadingQueue", "VisionSlipReader", "VisionUnavailable", "VisionWithFallback", "build_slip_reader",
    "decode_photo", "prepare_photo", "reconcile", "same_code",
]
