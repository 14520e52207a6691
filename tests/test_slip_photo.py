"""The photo corrections (integrations/slips/photo.py) on synthetic pictures: each does what it says.

They are off in the reader (measured: they cost accuracy on the tuning corpus); these tests keep them
correct for the day a measurement turns one on.
"""
from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw

from integrations.slips.photo import STEPS, even_light, flatten_page, page_corners, text_skew


def printed_page(width: int = 600, height: int = 800) -> np.ndarray:
    page = Image.new("L", (width, height), 245)
    draw = ImageDraw.Draw(page)
    for row in range(12):
        draw.rectangle((60, 80 + row * 50, width - 80, 92 + row * 50), fill=30)  # lines of "text"
    return np.asarray(page)


def test_the_page_is_found_on_a_darker_bench() -> None:
    bench = np.full((1000, 900), 70, np.uint8)
    corners = np.float32([[180, 120], [760, 160], [720, 900], [140, 860]])
    source = np.float32([[0, 0], [599, 0], [599, 799], [0, 799]])
    warped = cv2.warpPerspective(printed_page(), cv2.getPerspectiveTransform(source, corners), (900, 1000),
                                 borderValue=0)
    photo = np.where(warped > 0, warped, bench).astype(np.uint8)
    found = page_corners(photo)
    assert found is not None and np.abs(found - corners).max() < 12


def test_a_picture_that_is_all_page_is_left_alone() -> None:
    assert page_corners(printed_page()) is None


def test_the_text_tells_how_far_a_scan_is_turned() -> None:
    page = printed_page()
    h, w = page.shape
    turned = cv2.warpAffine(page, cv2.getRotationMatrix2D((w / 2, h / 2), -4.0, 1.0), (w, h), borderValue=245)
    assert abs(text_skew(turned) - 4.0) <= 0.5


def test_a_shadow_is_evened_out_and_the_ink_kept() -> None:
    page = printed_page().astype(np.float32)
    page[:, 300:] *= 0.55  # a shadow over the right half
    level = even_light(page.astype(np.uint8))
    assert abs(int(level[40, 100]) - int(level[40, 500])) < 20  # paper: as bright in and out of the shadow
    assert level[86, 500] < 120  # ink in the shadow is still ink


def test_the_reader_applies_no_step_unless_measured() -> None:
    picture = Image.new("RGB", (40, 30), "white")
    assert STEPS == () and flatten_page(picture) is picture
    assert flatten_page(picture, ("light",)).size == (40, 30)
