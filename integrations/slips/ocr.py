"""Offline OCR with RapidOCR on onnxruntime, using only the models inside the installed wheel.

RapidOCR downloads any model it does not find next to itself; on the floor's network (or CI's) that
means hanging or failing on the first slip. So the model files are passed explicitly and checked
before the engine is built: a missing one is a clear "offline reading is not installed", never a
download. The engine is built once per process (≈1 s) and is not re-entrant, hence the lock.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PIL import Image

from integrations.slips.layout import OcrBox

MODEL_FILES = {  # what rapidocr 3.x ships in its wheel (rapidocr/models/)
    "Det.model_path": "PP-OCRv6_det_small.onnx",
    "Rec.model_path": "PP-OCRv6_rec_small.onnx",
    "Cls.model_path": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}


# How dark a pixel of the detector's text map must be to count as text (RapidOCR's default 0.3). On phone
# photos of small text (6-9 px letters) faint strokes fall under 0.3 and a word or a whole line goes
# missing; on scans a lower threshold merges noise and neighbouring cells. Measured on the tuning corpus,
# lines fully right: small-text photos of seed 41 (20 slips) 58.1 % at 0.3, 62.9 % at 0.2, 61.9 % at 0.15,
# 60.0 % at 0.1; seed 42 52.8 → 56.5 % at 0.2; seeds 21+22 photos 71.9 → 72.5 %, their scans unchanged; but
# the wider layouts' degraded scans (seeds 31+32) 94.6 → 91.6 %. So a picture is read at 0.3 and, when its
# text turns out small (median box under SMALL_TEXT_PX: scans measure 26-35 px, phone photos 13-23 px),
# read again at 0.2. Box threshold, unclip ratio, text score and upscaling did not help.
DETECT_THRESHOLD, SMALL_TEXT_THRESHOLD = 0.3, 0.2
SMALL_TEXT_PX = 24


class OfflineOcrUnavailable(Exception):
    """rapidocr/onnxruntime or their bundled models are not installed; `str()` says what to install."""


_engines: dict[float, Any] = {}  # by detection threshold: DETECT_THRESHOLD, and SMALL_TEXT_THRESHOLD once needed
_lock = threading.Lock()


def engine(threshold: float = DETECT_THRESHOLD) -> Any:
    with _lock:
        if threshold not in _engines:
            _engines[threshold] = _build(threshold)
        return _engines[threshold]


def _build(threshold: float) -> Any:
    try:  # lazy and optional: the OCR engine and its models load on the first slip, not at start-up
        import rapidocr
        from rapidocr import RapidOCR
    except ImportError as exc:
        raise OfflineOcrUnavailable("Offline slip reading needs `pip install rapidocr onnxruntime`.") from exc
    models = Path(rapidocr.__file__).parent / "models"
    params: dict[str, Any] = {"Global.log_level": "error", "Global.use_cls": False, "Det.thresh": threshold}
    for key, name in MODEL_FILES.items():
        path = models / name
        if not path.is_file():
            raise OfflineOcrUnavailable(f"The OCR model {name} is missing from the rapidocr install "
                                        "(reinstall rapidocr; models are never downloaded at run time).")
        params[key] = str(path)
    ocr = RapidOCR(params=params)
    ocr.cal_rec_boxes = _WordScores(ocr.cal_rec_boxes)  # type: ignore[assignment]  # same call, better scores
    return ocr


class _WordScores:
    """RapidOCR 3.x gives word i of a line the score of the line's *character* i (it zips the words with the
    per-character confidences), so "Lot: B-6O548" would carry the scores of "L" and "o". This wraps its
    word-box step to score each word by its own characters instead: the least sure of them, because one
    misread character (8 for B) makes the whole word wrong however sure the rest are."""

    def __init__(self, word_boxes: Any) -> None:
        self.word_boxes = word_boxes

    def __call__(self, imgs: Any, dt_boxes: Any, rec_res: Any, return_single_char_box: bool = False) -> Any:
        confidences = [list(getattr(info, "confs", None) or ()) for info in rec_res.word_results or ()]
        texts = list(rec_res.txts or ())
        out = self.word_boxes(imgs, dt_boxes, rec_res, return_single_char_box)
        if len(confidences) != len(texts) or len(out.word_results or ()) != len(texts):
            return out  # not the shape this was written for: keep RapidOCR's own
        out.word_results = tuple(_rescored(line, text, scores)
                                 for line, text, scores in zip(out.word_results, texts, confidences, strict=True))
        return out


def _rescored(words: Any, text: str, scores: list[float]) -> Any:
    """Each word's score: its least sure character's. `scores` holds one per character of `text` (spaces
    included); the words are `text`'s non-space characters in order."""
    if len(scores) != len(text):
        return words
    chars = [(c, s) for c, s in zip(text, scores, strict=True) if not c.isspace()]
    out, at = [], 0
    for word in words:
        try:
            piece, _, box = word
        except (TypeError, ValueError):
            return words
        taken = chars[at:at + len(piece)]
        if "".join(c for c, _ in taken) != piece:
            return words  # not aligned as expected: keep RapidOCR's own
        out.append((piece, min(s for _, s in taken), box))
        at += len(piece)
    return tuple(out)


def recognise(image: Image.Image) -> list[OcrBox]:
    """Every text box on the picture with its confidence; CPU-bound, call it from a worker thread."""
    import numpy as np  # lazy: comes with the OCR engine

    pixels = np.asarray(_padded(image.convert("RGB")))[:, :, ::-1].copy()  # RapidOCR expects OpenCV's BGR order
    ocr = engine()
    with _lock:
        result = ocr(pixels, return_word_box=True)
    if _small_text(result):
        again = engine(SMALL_TEXT_THRESHOLD)
        with _lock:
            result = again(pixels, return_word_box=True)
    if result.boxes is None or result.txts is None:
        return []
    words = result.word_results if result.word_results and len(result.word_results) == len(result.txts) else None
    return [OcrBox(str(text), float(score), tuple((float(x), float(y)) for x, y in box),
                   _words(words[i]) if words else ())
            for i, (box, text, score) in enumerate(zip(result.boxes, result.txts, result.scores, strict=False))]


MAX_ASPECT = 4  # a long till receipt is about 1:4


def _padded(image: Image.Image) -> Image.Image:
    """A picture thinner than 1:MAX_ASPECT on white paper of that shape (text keeps its coordinates). The
    detector scales the short side up to 736 px: a 20 × 1568 px strip would become 736 × 57,700 px and take
    gigabytes (outside review, tests/test_attack3_findings.py)."""
    width, height = image.size
    wide, tall = max(width, -(-height // MAX_ASPECT)), max(height, -(-width // MAX_ASPECT))
    if (wide, tall) == (width, height):
        return image
    paper = Image.new("RGB", (wide, tall), "white")
    paper.paste(image, (0, 0))
    return paper


def _small_text(result: Any) -> bool:
    """The picture's text boxes are small (a photo from further away, a picture sent small)."""
    if result.boxes is None or not len(result.boxes):
        return False
    heights = sorted(float(abs(box[3][1] - box[0][1])) for box in result.boxes)
    return heights[len(heights) // 2] < SMALL_TEXT_PX


def _words(line: Any) -> tuple[tuple[str, float, float, float], ...]:
    """RapidOCR's words of one text line: each with its own score (a misread digit lowers its word's score far
    more than the line's) and its own left and right edge."""
    out = []
    for word in line or ():
        try:
            text, score, quad = word
            xs = [float(p[0]) for p in quad]
            out.append((str(text), float(score), min(xs), max(xs)))
        except (TypeError, ValueError, IndexError):
            return ()
    return tuple(out)


def read_line(image: Any) -> tuple[str, float]:
    """The recogniser alone on one cut-out line of writing (a greyscale numpy array, dark on light): its text
    and score. No detection: the caller has found the ink. About 15 ms on this machine."""
    import numpy as np  # lazy: comes with the OCR engine
    from rapidocr.ch_ppocr_rec.typings import TextRecInput

    pixels = np.repeat(np.asarray(image, dtype=np.uint8)[:, :, None], 3, axis=2)
    ocr = engine()
    with _lock:
        out = ocr._load_rec_model()(TextRecInput(img=[pixels], return_word_box=False))
    return (str(out.txts[0]), float(out.scores[0])) if out.txts else ("", 0.0)
