"""Photos, not scans: the page found on the bench, squared up, turned level and evenly lit — measured, and off.

A phone sees the slip at an angle (a trapezoid, not a rectangle), on a darker bench, with a hand's shadow
and light falling off towards a corner. Three corrections are implemented here:

- "page": the largest bright four-cornered shape (Otsu threshold on a small copy) warped to a rectangle;
- "level": the rotation left over, measured from the text itself (the angle at which the rows of ink line
  up best) and undone on a canvas grown to keep the corners;
- "light": each pixel divided by the paper's own brightness around it (a wide closing removes the text
  and keeps the shadow), so a shadowed part reads like the rest.

Measured on the tuning corpus (seed 11; 14 phone photos, 28 degraded scans and photos), lines fully
right with each step against none at all: page 45/61 vs 54/61 photos (a shadow across the page splits
the bright region, and the warp then crops text); level 110/129 vs 116/129; light 105/129 vs 116/129.
RapidOCR's detector already copes with a few degrees of rotation, uneven light and perspective, rows are
grouped after undoing the skew measured from the text boxes (layout.py), and every resampling costs
the recogniser sharpness. So `STEPS` is empty: the reader sends the decoded photo as it is. The steps
stay here, tested, for photos this corpus does not have (strong perspective); turn them on only with a
measurement that shows they help.
"""
from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

DETECT_SIDE = 640  # the page outline and the skew are measured on a copy this size
MIN_PAGE_SHARE, MAX_PAGE_SHARE = 0.25, 0.92  # of the picture's area; outside this, leave the picture as it is


STEPS: tuple[str, ...] = ()  # none by default: each step cost accuracy on the tuning set (module doc)


def flatten_page(image: Image.Image, steps: tuple[str, ...] | None = None) -> Image.Image:
    steps = STEPS if steps is None else steps
    if not steps:
        return image
    grey = cv2.cvtColor(np.asarray(image.convert("RGB")), cv2.COLOR_RGB2GRAY)
    corners = page_corners(grey) if "page" in steps else None
    if corners is not None:
        grey = _warp(grey, corners)
    angle = text_skew(grey) if "level" in steps else 0.0
    if abs(angle) > 0.5:
        grey = _rotate(grey, angle)
    return Image.fromarray(even_light(grey) if "light" in steps else grey).convert("RGB")


def page_corners(grey: np.ndarray) -> np.ndarray | None:
    """The page's four corners in `grey`'s pixels (clockwise from top-left), or None when there is no clear page."""
    scale = DETECT_SIDE / max(grey.shape)
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    scale = min(scale, 1.0)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    page = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(page) / (small.shape[0] * small.shape[1])
    if not MIN_PAGE_SHARE <= share <= MAX_PAGE_SHARE:
        return None
    outline = cv2.approxPolyDP(page, 0.02 * cv2.arcLength(page, True), True)
    if len(outline) != 4 or not cv2.isContourConvex(outline):
        return None
    return _clockwise(outline.reshape(4, 2).astype(np.float32) / scale)


def _clockwise(points: np.ndarray) -> np.ndarray:
    by_sum, by_diff = points.sum(axis=1), np.diff(points, axis=1).ravel()
    return np.array([points[by_sum.argmin()], points[by_diff.argmin()], points[by_sum.argmax()],
                     points[by_diff.argmax()]], dtype=np.float32)


def _warp(grey: np.ndarray, corners: np.ndarray) -> np.ndarray:
    tl, tr, br, bl = corners
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(grey, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def text_skew(grey: np.ndarray) -> float:
    """Degrees the text is turned by (counter-clockwise positive): where the rows of ink are sharpest."""
    scale = DETECT_SIDE / max(grey.shape)
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    ink = cv2.adaptiveThreshold(small, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 10).astype(np.float32)
    centre = (small.shape[1] / 2, small.shape[0] / 2)

    def sharpness(angle: float) -> float:
        turned = cv2.warpAffine(ink, cv2.getRotationMatrix2D(centre, angle, 1.0), (small.shape[1], small.shape[0]))
        profile = turned.sum(axis=1)
        return float(np.var(profile))

    coarse = max(np.arange(-8.0, 8.01, 1.0), key=sharpness)
    return float(max(np.arange(coarse - 0.75, coarse + 0.76, 0.25), key=sharpness))


def _rotate(grey: np.ndarray, angle: float) -> np.ndarray:
    """Turned about its centre on a canvas grown to hold the corners (a page's edges are often printed on)."""
    h, w = grey.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    size = (int(h * sin + w * cos) + 1, int(h * cos + w * sin) + 1)
    matrix[0, 2] += size[0] / 2 - w / 2
    matrix[1, 2] += size[1] / 2 - h / 2
    return cv2.warpAffine(grey, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def even_light(grey: np.ndarray) -> np.ndarray:
    """Each pixel over the paper's brightness around it: shadows and fall-off divided out, ink kept."""
    side = max(15, (min(grey.shape) // 40) | 1)
    paper = cv2.morphologyEx(grey, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (side, side)))
    paper = cv2.GaussianBlur(paper, (0, 0), side / 2)
    level = grey.astype(np.float32) / np.maximum(paper.astype(np.float32), 1.0)
    return np.clip(level * 245, 0, 255).astype(np.uint8)
