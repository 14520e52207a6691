"""The third slip corpus builds, its images decode and its truth holds together (no OCR here)."""
from __future__ import annotations

import io
from decimal import Decimal

from PIL import Image

from sandbox.slips.third import CONDITIONS, make_sample
from sandbox.slips.third.truth import UNITS


def test_three_slips_decode_and_their_truth_is_consistent():
    samples = [make_sample(i) for i in range(3)]
    assert [s.truth.condition for s in samples] == list(CONDITIONS)
    assert len({s.truth.name for s in samples}) == 3
    for s in samples:
        img = Image.open(io.BytesIO(s.image))
        img.load()
        assert s.media_type == f"image/{img.format.lower().replace('jpeg', 'jpeg')}"
        assert 700 <= img.width <= 2000
        t = s.truth
        assert t.degraded == (t.condition != "clean") and t.photo == (t.condition == "photo")
        assert t.po_number.startswith("PO-") and t.po_number[3:].isdigit()
        assert t.lines and len({ln.sku for ln in t.lines}) == len(t.lines)
        for ln in t.lines:
            assert isinstance(ln.quantity, Decimal) and ln.quantity > 0
            assert ln.unit in UNITS
            assert ln.lot is None or (ln.lot and not ln.lot.upper().startswith("LOT"))
        own = [o for o in t.open_orders.orders if o.order_no == t.po_number]
        assert len(own) == 1 and own[0].supplier == t.supplier
        codes = {c for item in own[0].items for c in item.codes}
        assert {ln.sku for ln in t.lines} <= codes
        assert 3 <= len(t.open_orders.orders) <= 5


def test_the_corpus_is_deterministic():
    a, b = make_sample(4), make_sample(4)
    assert a.truth == b.truth and a.image == b.image
