"""What happens to the paper between the printer and the bot: a flatbed or MFP scan, a fax-like or thermal
copy, or a phone photo on the goods-in bench.

All of it is written here with numpy / OpenCV / Pillow, nothing borrowed from the other generators.
"""
from __future__ import annotations

import io
import random

import cv2
import numpy as np
from PIL import Image


def _jpeg(img: np.ndarray, quality: int) -> bytes:
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return buf.tobytes()


def clean(page: Image.Image, rng: random.Random) -> tuple[bytes, str]:
    """A good scan: straight, full resolution, PNG or a high-quality JPEG."""
    if rng.random() < 0.5:
        out = io.BytesIO()
        page.save(out, "PNG", optimize=False, compress_level=3)
        return out.getvalue(), "image/png"
    return _jpeg(np.asarray(page), rng.randint(85, 95)), "image/jpeg"


def degraded(page: Image.Image, rng: random.Random) -> tuple[bytes, str]:
    """A tired office scanner or fax: slight skew, softness, speckle, crushed contrast, heavy JPEG."""
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    img = np.asarray(page).astype(np.float32)
    h, w = img.shape[:2]
    angle = rng.uniform(0.5, 3.0) * rng.choice((-1, 1))
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(250, 250, 250))
    style = rng.choice(("soft", "fax", "thermal", "toner"))
    if style == "fax":  # lower resolution, thresholded, jaggy
        small = cv2.resize(img, (int(w * 0.55), int(h * 0.55)), interpolation=cv2.INTER_AREA)
        grey = small.mean(axis=2)
        grey = np.where(grey + nrng.normal(0, 18, grey.shape) < rng.randint(140, 185), 0, 255).astype(np.float32)
        img = cv2.resize(np.stack([grey] * 3, axis=2), (w, h), interpolation=cv2.INTER_NEAREST)
    elif style == "thermal":  # faded grey print on a slightly yellow ground, streaks where the head was dirty
        img = 255 - (255 - img) * rng.uniform(0.45, 0.7)
        img *= np.array([1.0, 0.98, 0.9])
        for _ in range(rng.randint(1, 4)):
            x = rng.randint(0, w - 5)
            img[:, x:x + rng.randint(1, 4)] = np.minimum(img[:, x:x + 4][:, :1] + 60, 255)
    elif style == "toner":  # low toner: print thinned, background streaks
        img = cv2.dilate(img, np.ones((2, 2), np.uint8))
        band = np.linspace(0, 1, w)[None, :, None] * rng.uniform(0, 30)
        img = np.clip(img - band, 0, 255)
    k = rng.choice((3, 3, 5))
    img = cv2.GaussianBlur(img, (k, k), rng.uniform(0.6, 1.3))
    img += nrng.normal(0, rng.uniform(4, 12), img.shape)
    speck = nrng.random(img.shape[:2]) < rng.uniform(0.0005, 0.003)
    img[speck] = 30
    scale = rng.uniform(0.8, 1.0)
    img = np.clip(img, 0, 255).astype(np.uint8)
    if scale < 0.99:
        img = cv2.resize(img, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    if rng.random() < 0.3:
        img = np.stack([cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)] * 3, axis=2)
    return _jpeg(img, rng.randint(40, 70)), "image/jpeg"


def _table_surface(h: int, w: int, rng: random.Random, nrng) -> np.ndarray:
    """A bench or desk: wood grain, grey laminate or a steel table, never plain white."""
    kind = rng.choice(("wood", "laminate", "steel", "cardboard"))
    base = {"wood": (150, 105, 65), "laminate": (120, 125, 130), "steel": (170, 172, 175),
            "cardboard": (175, 145, 100)}[kind]
    surf = np.ones((h, w, 3), np.float32) * np.array(base, np.float32)
    if kind == "wood":
        y = np.arange(h)[:, None]
        grain = np.sin(y / rng.uniform(6, 14) + nrng.normal(0, 0.3, (1, w)).cumsum(axis=1) * 0.05) * 18
        surf += grain[..., None]
    surf += nrng.normal(0, 8, surf.shape)
    return surf


def photo(page: Image.Image, rng: random.Random) -> tuple[bytes, str]:
    """A phone photo: page smaller in frame, tilted in perspective, bent, in uneven light with a shadow,
    colour cast, maybe shake, then the phone's JPEG. Body text ends 7–12 px high."""
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    src = np.asarray(page).astype(np.float32)
    h, w = src.shape[:2]
    # curved page / fold: vertical displacement that varies across x, plus a fold line
    if rng.random() < 0.7:
        xs = np.arange(w, dtype=np.float32)
        bow = rng.uniform(4, 14) * np.sin(np.pi * xs / w + rng.uniform(-0.4, 0.4))
        map_x = np.tile(xs, (h, 1))
        map_y = np.tile(np.arange(h, dtype=np.float32)[:, None], (1, w)) - bow[None, :]
        src = cv2.remap(src, map_x, map_y, cv2.INTER_LINEAR, borderValue=(245, 245, 245))
    if rng.random() < 0.5:  # a fold across the page, a little darker on one side
        fy = rng.randint(h // 3, 2 * h // 3)
        src[fy:fy + 3] *= 0.8
        src[fy:] *= rng.uniform(0.9, 0.97)
    # frame: the page placed on a table, scaled down, perspective from a hand-held phone
    scale = rng.uniform(0.5, 0.7)
    out_w, out_h = int(w * scale * rng.uniform(1.05, 1.2)), int(h * scale * rng.uniform(1.05, 1.15))
    pw, ph = w * scale, h * scale
    ox, oy = (out_w - pw) / 2, (out_h - ph) / 2
    j = lambda s: rng.uniform(-s, s) * pw  # noqa: E731
    t = rng.uniform(0.0, 0.06)  # keystone: top edge narrower when the phone leans back
    dst = np.float32([[ox + t * pw + j(0.02), oy + j(0.02)], [ox + pw - t * pw + j(0.02), oy + j(0.02)],
                      [ox + pw + j(0.02), oy + ph + j(0.02)], [ox + j(0.02), oy + ph + j(0.02)]])
    rot = np.deg2rad(rng.uniform(-6, 6))
    c = dst.mean(axis=0)
    r = np.array([[np.cos(rot), -np.sin(rot)], [np.sin(rot), np.cos(rot)]], np.float32)
    dst = (dst - c) @ r.T + c
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), dst)
    warped = cv2.warpPerspective(src, m, (out_w, out_h), flags=cv2.INTER_AREA, borderValue=(0, 0, 0))
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), m, (out_w, out_h), flags=cv2.INTER_LINEAR)
    bg = _table_surface(out_h, out_w, rng, nrng)
    img = warped * mask[..., None] + bg * (1 - mask[..., None])
    # light: a gradient across the frame and a soft shadow of the phone or a hand from one side
    yy, xx = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
    ang = rng.uniform(0, 2 * np.pi)
    grad = (np.cos(ang) * xx / out_w + np.sin(ang) * yy / out_h)
    light = 1 - rng.uniform(0.1, 0.35) * (grad - grad.min()) / (np.ptp(grad) + 1e-6)
    if rng.random() < 0.7:
        shadow = np.zeros((out_h, out_w), np.float32)
        cx, cy = rng.uniform(0, out_w), rng.choice((rng.uniform(-0.1, 0.2), rng.uniform(0.8, 1.1))) * out_h
        cv2.ellipse(shadow, (int(cx), int(cy)), (int(out_w * rng.uniform(0.2, 0.45)), int(out_h * rng.uniform(0.15, 0.3))),
                    rng.uniform(0, 180), 0, 360, 1.0, -1)
        shadow = cv2.GaussianBlur(shadow, (0, 0), out_w * 0.05)
        light *= 1 - rng.uniform(0.2, 0.4) * shadow
    img *= light[..., None]
    cast = np.array([rng.uniform(0.9, 1.08), rng.uniform(0.93, 1.03), rng.uniform(0.78, 1.0)], np.float32)
    img *= cast
    if rng.random() < 0.35:  # shake
        n = rng.randint(3, 7)
        kern = np.zeros((n, n), np.float32)
        kern[n // 2, :] = 1 / n
        kern = cv2.warpAffine(kern, cv2.getRotationMatrix2D((n / 2 - 0.5, n / 2 - 0.5), rng.uniform(0, 180), 1), (n, n))
        kern /= kern.sum()
        img = cv2.filter2D(img, -1, kern)
    else:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.4, 0.9))
    img += nrng.normal(0, rng.uniform(3, 8), img.shape)
    img = np.clip(img, 0, 255).astype(np.uint8)
    return _jpeg(img, rng.randint(25, 60)), "image/jpeg"


DAMAGE = {"clean": clean, "degraded": degraded, "photo": photo}
