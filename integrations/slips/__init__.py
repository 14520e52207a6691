"""Reading packing-slip photos for /receive: image preparation, the vision reader, the offline reader.

    reader = build_slip_reader(settings)
    slip = await reader.read(photo_bytes, patience=20.0)   # → models.packing_slip.PackingSlip

`SlipImageError` (NotAPhoto, PhotoTooLarge) means the file is not a usable photo; its message is for
floor staff. Every other failure of the vision model falls back to offline OCR, noted in `slip.notes`.
"""
from integrations.slips.images import NotAPhoto, PhotoTooLarge, PreparedPhoto, SlipImageError, prepare_photo
from integrations.slips.matching import same_code
from integrations.slips.ocr import OfflineOcrUnavailable
from integrations.slips.offline import OfflineSlipReader
from integrations.slips.reader import SlipReader, VisionWithFallback, build_slip_reader
from integrations.slips.vision import VisionSlipReader, VisionUnavailable

__all__ = [
    "NotAPhoto", "OfflineOcrUnavailable", "OfflineSlipReader", "PhotoTooLarge", "PreparedPhoto", "SlipImageError",
    "SlipReader", "VisionSlipReader", "VisionUnavailable", "VisionWithFallback", "build_slip_reader",
    "prepare_photo", "same_code",
]
