"""The offline reader end to end: generated slips through real OCR (rapidocr + onnxruntime), no network.

OCR costs a few CPU seconds per slip, so this file reads three slips in all (≈10–15 s on two cores).
"""
from __future__ import annotations

import asyncio
import io
import socket
from pathlib import Path

import pytest

pytest.importorskip("rapidocr", reason="offline OCR not installed (pip install rapidocr onnxruntime)")

from integrations.slips import ocr  # noqa: E402
from integrations.slips.matching import same_code  # noqa: E402
from integrations.slips.offline import OfflineSlipReader  # noqa: E402
from sandbox.slips.accuracy import evaluate, run  # noqa: E402
from sandbox.slips.corpus import make_corpus, make_truth  # noqa: E402
from sandbox.slips.render import render  # noqa: E402


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Any attempt to reach another host (a model download) fails the test; loopback stays usable."""
    attempts: list[object] = []
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and (host.startswith("127.") or host in ("::1", "localhost")):
            return real_connect(self, address)
        attempts.append(address)
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", guarded)
    return attempts


async def test_a_photographed_slip_is_read_offline_while_the_loop_keeps_serving(no_network: list[object]) -> None:
    ocr._engines.clear()  # build the engines under the network guard: their models must come from the wheel
    truth = make_truth(5, degraded=True)  # German list slip, turned, blurred, noisy, JPEG
    image, media_type = render(truth)
    assert media_type == "image/jpeg"
    ticks = 0

    async def heartbeat() -> None:  # stands in for Slack requests the bot must keep acknowledging
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    beating = asyncio.create_task(heartbeat())
    try:
        slip = await OfflineSlipReader().read(image)
    finally:
        beating.cancel()
    assert ticks >= 10, "OCR blocked the event loop"
    assert no_network == []
    # The PO number is matched to Katana's forgiving OCR's O/0 (matching.same_code); "P0…" shows with ⚠.
    assert slip.reader == "offline" and same_code(slip.po_number.value, truth.po_number)
    assert slip.po_number.value == truth.po_number or slip.po_number.doubtful
    read = [(l.sku.value, l.quantity.value, l.unit.value, l.lot.value, l.expiry.value) for l in slip.lines]
    assert read == [(t.sku, t.quantity, t.unit, t.lot, t.expiry) for t in truth.lines]


def test_the_accuracy_command_reports_the_evaluation_corpus(tmp_path: Path) -> None:
    out = io.StringIO()
    passes = evaluate(3, tmp_path, stream=out)  # a clean, a degraded and a photographed US slip
    table = out.getvalue()
    for row in ("lines fully right (code,qty,unit,lot)", "  expiry", "po_number", "silent errors", "seconds per slip"):
        assert row in table
    assert "evaluation corpus" in table and "with open POs" in table and "reading alone" in table
    assert len(list(tmp_path.glob("eval-*.json"))) == 3 and len(list(tmp_path.glob("eval-*g"))) == 3
    known = passes["with open POs"]
    assert [known[c].slips for c in ("clean", "degraded", "photo")] == [1, 1, 1]
    assert known["clean"].lines_right / known["clean"].lines >= 0.75


def test_the_third_corpus_is_read_on_request(tmp_path: Path) -> None:
    out = io.StringIO()
    passes = evaluate(3, tmp_path, stream=out, corpus="third")  # the outsider's generator, its diagnosis seed
    assert "third corpus (seed 2701), with open POs" in out.getvalue()
    assert sorted(p.name.split(":")[0] for p in tmp_path.glob("*.json")) == ["2701"] * 3
    assert [passes["with open POs"][c].slips for c in ("clean", "degraded", "photo")] == [1, 1, 1]


def test_the_tuning_corpus_is_still_reported(tmp_path: Path) -> None:
    out = io.StringIO()
    tallies = run(2, None, stream=out)  # a clean and a degraded US table slip
    assert "tuning corpus" in out.getvalue().splitlines()[0]
    clean, degraded = tallies["clean"], tallies["degraded"]
    assert clean.slips == degraded.slips == 1 and clean.lines_right == clean.lines


def test_the_corpora_are_deterministic_and_balanced() -> None:
    from sandbox.slips.corpus import LAYOUTS
    from sandbox.slips.heldout import LAYOUTS as HELD_OUT_LAYOUTS
    from sandbox.slips.heldout import make_truth as held_out

    first, again = make_truth(3, degraded=True), make_truth(3, degraded=True)
    assert first == again
    samples = make_corpus(2)
    assert [s.truth.degraded for s in samples] == [False, True]
    assert {make_truth(i, degraded=False).layout for i in range(0, 4 * len(LAYOUTS), 2)} == set(LAYOUTS)
    assert held_out(5) == held_out(5) and [held_out(i).condition for i in range(3)] == ["clean", "degraded", "photo"]
    slips = [held_out(i) for i in range(63 * 3)]
    assert {s.layout for s in slips} == set(HELD_OUT_LAYOUTS)
    assert {s.language for s in slips} == {"en-us", "en-gb", "de", "es", "fr", "it", "nl", "pt", "pl"}


def test_each_ocr_word_is_scored_by_its_own_characters() -> None:
    """RapidOCR zips a line's words with its per-character confidences, so word i carried character i's score:
    a lot whose 8 the recogniser doubted (was it a B?) showed as sure as the line's first letters. The word-box
    step is wrapped to give each word its least sure character's score. (Fails with `_build` returning the
    engine unwrapped, or `_rescored` taking the i-th score.)"""
    from types import SimpleNamespace

    text = "Lot: B-60548 12 kg"
    scores = [0.99] * len(text)
    scores[text.index("8")] = 0.41  # the one character the recogniser hesitated over
    info = SimpleNamespace(confs=scores)
    rapidocr_words = (("Lot:", 0.99, "box1"), ("B-60548", 0.99, "box2"), ("12", 0.99, "box3"), ("kg", 0.41, "box4"))

    def upstream(imgs: object, boxes: object, rec: SimpleNamespace, single: bool = False) -> SimpleNamespace:
        rec.word_results = (rapidocr_words,)  # what RapidOCR 3.x returns: the scores of L, o, t, :
        return rec

    out = ocr._WordScores(upstream)([], [], SimpleNamespace(txts=(text,), word_results=(info,)))
    assert [(w, s) for w, s, _ in out.word_results[0]] == [("Lot:", 0.99), ("B-60548", 0.41), ("12", 0.99),
                                                           ("kg", 0.99)]
    built = ocr.engine()
    assert isinstance(built.cal_rec_boxes, ocr._WordScores)
