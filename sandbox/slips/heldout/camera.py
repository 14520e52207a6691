"""How an evaluation slip reaches the bot: a clean scan, a degraded scan, or a phone photo of the page.

degraded  turned 1–6°, blurred, sensor noise, JPEG 45–75
photo     the page lying on a desk seen from an angle (perspective), a hand's or a shelf's shadow across it,
          light falling off towards one corner, taken at ~0.6× the scan's resolution, JPEG 20–40
"""
from __future__ import annotations

import io
import random

import cv2
import numpy as np
from PIL import Image, ImageFilter


def expose(page: Image.Image, condition: str, rng: random.Random) -> tuple[bytes, str]:
    if condition == "clean":
        out = io.BytesIO()
        page.save(out, format="PNG")
        return out.getvalue(), "image/png"
    picture = _scanned_badly(page, rng) if condition == "degraded" else _photographed(page, rng)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=rng.randint(45, 75) if condition == "degraded" else rng.randint(20, 40))
    return out.getvalue(), "image/jpeg"


def _scanned_badly(page: Image.Image, rng: random.Random) -> Image.Image:
    turned = page.rotate(rng.choice([-1, 1]) * rng.uniform(1.0, 6.0), resample=Image.Resampling.BILINEAR, expand=True,
                         fillcolor=(235, 235, 230))
    pixels = np.asarray(turned, dtype=np.float32)
    pixels += np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(5, 14), pixels.shape)
    noisy = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return noisy.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.3)))


def _photographed(page: Image.Image, rng: random.Random) -> Image.Image:
    w, h = page.size
    border = int(0.08 * w)
    desk = np.empty((h + 2 * border, w + 2 * border, 3), np.float32)
    desk[:] = rng.choice([(96, 74, 52), (140, 140, 136), (60, 62, 70), (170, 150, 120)])
    desk += np.random.default_rng(rng.randrange(2**32)).normal(0, 9, desk.shape[:2])[..., None]
    src = np.float32([[border, border], [border + w, border], [border + w, border + h], [border, border + h]])
    jitter = lambda: rng.uniform(-0.06, 0.06) * w  # noqa: E731 — each corner moves on its own
    dst = np.float32([[x + jitter(), y + jitter()] for x, y in src])
    matrix = cv2.getPerspectiveTransform(src, dst)
    canvas = desk.copy()
    canvas[border:border + h, border:border + w] = np.asarray(page, dtype=np.float32)
    mask = np.zeros(desk.shape[:2], np.float32)
    mask[border:border + h, border:border + w] = 1
    size = (desk.shape[1], desk.shape[0])
    warped = cv2.warpPerspective(canvas, matrix, size, flags=cv2.INTER_LINEAR)
    inside = cv2.warpPerspective(mask, matrix, size, flags=cv2.INTER_LINEAR)[..., None]
    shot = warped * inside + desk * (1 - inside)
    shot *= _light(shot.shape[:2], rng)[..., None]
    photo = Image.fromarray(np.clip(shot, 0, 255).astype(np.uint8))
    scale = rng.uniform(0.55, 0.7)
    photo = photo.resize((int(photo.width * scale), int(photo.height * scale)), Image.Resampling.BILINEAR)
    return photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8)))


def _light(shape: tuple[int, int], rng: random.Random) -> np.ndarray:
    """Light falling off towards a corner, and a soft shadow with a straight edge across part of the page."""
    h, w = shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.choice([0, w]), rng.choice([0, h])
    fall = 1 - rng.uniform(0.15, 0.35) * np.hypot(xs - cx, ys - cy) / np.hypot(w, h)
    angle = rng.uniform(0, np.pi)
    edge = (xs - w * rng.uniform(0.3, 0.7)) * np.cos(angle) + (ys - h * rng.uniform(0.3, 0.7)) * np.sin(angle)
    shadow = 1 - rng.uniform(0.2, 0.4) / (1 + np.exp(edge / (0.02 * w)))
    return (fall * shadow).astype(np.float32)
