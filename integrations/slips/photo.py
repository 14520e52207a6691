"""Photos, not scans: the page found on the bench, squared up and evenly lit before OCR."""
from __future__ import annotations

from PIL import Image


def flatten_page(image: Image.Image) -> Image.Image:
    return image
