"""`make faults` row 5: a hostile-input barrage against the real `python -m bot serve` process.

Among `total` requests, genuine work goes on — signed /cook submissions (each with its own batch) and
signed Katana webhooks for new MOs (each should make one cook task) — while everything else is hostile:
Slack requests with forged, missing, stale, non-numeric or non-ASCII signing headers; Katana webhooks
unsigned, wrongly signed, oversized or replayed with unsigned `X-Katana-Retry-Num` values (`²`, 25
digits, -1, 1001); bodies that trickle in and stop; malformed requests on raw sockets (garbage request
lines, an 16 KB header, a body shorter than its Content-Length); and packing-slip photos that are
decompression bombs (a 7745×7745 one-bit PNG of 16 KB). Goal: 0 × 5xx, the genuine work recorded once
(0 lost, 0 duplicated), and the bot's peak RSS (VmHWM) reported.

Bounded: loopback only, a fixed number of requests, every socket read under a timeout.
"""
from __future__ import annotations

import asyncio
import io
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from PIL import Image

from sandbox.faults import ANA, Row, ServedFloor, cook_tasks, count_by_batch, deliver, gather_bounded, payload, until
from sandbox.katana_seed import MO101_ID, SOUP_VARIANT_ID

SLOW_BODY_TIMEOUT = 1.0  # the bot's BODY_READ_TIMEOUT_SECONDS in this run (10 s by default)
ODD_RETRY_NUMS = ("²", "9" * 25, "-1", "1001", "３", "1e3", "")
Request = Callable[[], Awaitable[int]]  # one hostile request → its HTTP status (0: closed with no answer)


def peak_rss_mb(pid: int) -> float:
    """The process's resident-set high-water mark (VmHWM), from /proc."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def image_bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (7745, 7745), 1).save(out, format="PNG", optimize=True)
    return out.getvalue()


class Barrage:
    def __init__(self, floor: ServedFloor, http: aiohttp.ClientSession, rng: random.Random) -> None:
        self.floor, self.http, self.rng = floor, http, rng
        self.url = floor.bot.url
        host, port = self.url.removeprefix("http://").split(":")
        self.host, self.port = host, int(port)

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> int:
        async with self.http.post(f"{self.url}{path}", data=body, headers=headers) as reply:
            await reply.read()
            return reply.status

    # ---- forged Slack requests ----
    def forged_slack(self) -> Request:
        body = b"command=%2Fcook&user_id=U0ANA&trigger_id=1.2.3&channel_id=C0FLOOR"
        now = str(int(time.time()))
        signed = self.floor.user.sign(body)
        headers = self.rng.choice([
            {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v0=" + "0" * 64},
            {"X-Slack-Signature": signed["X-Slack-Signature"]},
            {"X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": signed["X-Slack-Signature"]},
            {"X-Slack-Request-Timestamp": "9" * 5000, "X-Slack-Signature": "v0=" + "0" * 64},
            {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v0=" + "é" * 64},
            {"X-Slack-Request-Timestamp": str(int(time.time()) - 900), "X-Slack-Signature": "v0=" + "1" * 64},
            {**signed, "X-Slack-Request-Timestamp": str(int(signed["X-Slack-Request-Timestamp"]) + 1)},
        ])
        forged = self.rng.choice([body, b'payload={"type": "view_submission", BROKEN', b"\xff\xfe" * 50])
        return lambda: self.post("/slack/events", forged, {"Content-Type": "application/x-www-form-urlencoded",
                                                            **headers})

    # ---- forged Katana webhooks ----
    def forged_katana(self) -> Request:
        body = payload("manufacturing_order.created", {"id": MO101_ID, "status": "NOT_STARTED"})
        choice = self.rng.randrange(5)
        if choice == 0:
            headers: dict[str, str] = {}
        elif choice == 1:
            headers = {"x-sha2-signature": "0" * 64}
        elif choice == 2:
            headers = {"x-sha2-signature": "é" * 64}
        elif choice == 3:
            headers = {"x-sha2-signature": "sha256=" + "z" * 64, "X-Katana-Retry-Num": "9" * 25}
        else:
            body = b'{"pad":"' + b"x" * (1024 * 1024 + 10) + b'"}'
            headers = {"x-sha2-signature": "0" * 64}
        return lambda: self.post("/webhooks/katana", body, {"Content-Type": "application/json", **headers})

    def replay(self, body: bytes) -> Request:
        """A genuine delivery again, with an unsigned retry number nobody should trust."""
        retry_num = self.rng.choice(ODD_RETRY_NUMS)
        return lambda: deliver(self.http, self.url, body, {"X-Katana-Retry-Num": retry_num})

    # ---- raw sockets: slow bodies and malformed requests ----
    async def raw(self, data: bytes, *, then_wait: float = 0.0) -> int:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(data)
            await writer.drain()
            answer = await asyncio.wait_for(reader.read(64), timeout=then_wait + 10 * SLOW_BODY_TIMEOUT)
        except (TimeoutError, ConnectionError):
            answer = b""
        finally:
            writer.close()
        parts = answer.split(b" ", 2)
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0

    def slow_body(self) -> Request:
        path = self.rng.choice(["/slack/events", "/webhooks/katana"])
        head = (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"X-Slack-Request-Timestamp: 1\r\nX-Slack-Signature: v0=0\r\nContent-Length: 1000\r\n\r\n").encode()
        return lambda: self.raw(head + b"{}", then_wait=SLOW_BODY_TIMEOUT)

    def malformed(self) -> Request:
        data = self.rng.choice([
            b"GARBAGE / HTTP/1.1\r\n\r\n",
            b"POST /webhooks/katana HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 16_384 + b"\r\n\r\n",
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 9\r\n\r\nhello",
            b"POST /webhooks/katana HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n0\r\n\r\n",
            b"POST /webhooks/katana HTTP/1.1\r\nHost: x\r\nX-Katana-Retry-Num: \xb2\xff\r\nContent-Length: 2\r\n\r\n{}",
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(40),  # a TLS hello on the plain port
        ])
        return lambda: self.raw(data)

    # ---- image bombs through /receive ----
    def bomb(self, photo: bytes) -> Request:
        """/receive with the bomb as the slip's photo; done when the modal stops saying "Reading…"."""
        async def send() -> int:
            await self.floor.user.slash_command(ANA, "/receive")
            form = await self.floor.opened("receive_photo")
            file = self.floor.slack.add_file("slip.png", photo, "image/png")
            status = (await self.floor.user.submit_view(ANA, form, {"photo": [file]})).status
            await until(lambda: "Reading the packing slip" not in str(self.floor.slack.views.get(form["id"])), 120)
            return status
        return send


def plan(barrage: Barrage, total: int, new_mos: list[dict[str, Any]], photo: bytes) -> list[Request]:
    """The hostile requests, shuffled: `total` minus the genuine ones (counted by the caller)."""
    bombs = max(1, total // 250)
    slow = max(2, total // 20)
    odd = max(2, total // 20)
    rest = max(0, total - len(new_mos) - bombs - slow - odd)  # each new MO is replayed once
    requests: list[Request] = [barrage.replay(payload("manufacturing_order.created", mo)) for mo in new_mos]
    requests += [barrage.bomb(photo) for _ in range(bombs)] + [barrage.slow_body() for _ in range(slow)]
    requests += [barrage.malformed() for _ in range(odd)]
    requests += [barrage.forged_slack() if i % 2 else barrage.forged_katana() for i in range(rest)]
    barrage.rng.shuffle(requests)
    return requests


async def hostile_barrage(total: int, seed: int = 5) -> Row:
    rng = random.Random(seed)
    async with ServedFloor(BODY_READ_TIMEOUT_SECONDS=str(SLOW_BODY_TIMEOUT)) as floor:
        floor.katana.webhooks.clear()  # the barrage delivers (and replays) Katana's webhooks itself
        new_mos = [floor.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=10)
                   for _ in range(max(2, total // 20))]
        cooks = max(2, total // 100)
        batches = [f"BAR-{i:04d}" for i in range(cooks)]
        forms = [await floor.open_cook_form() for _ in batches]
        statuses: Counter[int] = Counter()
        async with aiohttp.ClientSession() as http:
            barrage = Barrage(floor, http, rng)
            genuine: list[Awaitable[int]] = [deliver(http, floor.bot.url, payload("manufacturing_order.created", mo))
                                             for mo in new_mos]
            genuine += [submit(floor, form, batch) for form, batch in zip(forms, batches, strict=True)]
            hostile = [request() for request in plan(barrage, total - len(genuine), new_mos, image_bomb())]
            started = time.monotonic()
            for status in await gather_bounded([*genuine, *hostile], 25):
                statuses[status] += 1
        expected = {mo["order_no"] for mo in new_mos}
        recover = await until(lambda: count_by_batch(floor.katana, batches).recorded == cooks
                              and cook_tasks(floor.slack, expected)[0] == len(expected), timeout=120)
        await asyncio.sleep(1.0)  # anything doubled would show up now
        return barrage_row(floor, batches, expected, statuses, recover, time.monotonic() - started)


async def submit(floor: ServedFloor, form: dict[str, Any], batch: str) -> int:
    values = {"mo": str(MO101_ID), "quantity": "1", "batch": batch, "crate": "C-1"}
    return (await floor.user.submit_view(ANA, form, values)).status


def barrage_row(floor: ServedFloor, batches: list[str], expected: set[str], statuses: Counter[int],
                recover: float | None, elapsed: float) -> Row:
    cooked = count_by_batch(floor.katana, batches)
    tasks, doubled = cook_tasks(floor.slack, expected)
    assert floor.bot.proc is not None
    sent = sum(statuses.values())
    return Row(f"hostile-input barrage: {sent} requests (forged signatures, odd headers, slow bodies, "
               f"image bombs)", len(batches) + len(expected), cooked.recorded + tasks,
               cooked.lost + len(expected) - tasks, cooked.duplicated + doubled,
               recover if recover is None else min(recover, elapsed),
               server_errors=sum(n for status, n in statuses.items() if status >= 500),
               peak_rss_mb=peak_rss_mb(floor.bot.proc.pid), tracebacks=floor.bot.log.count("Traceback"))
