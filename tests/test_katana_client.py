"""KatanaClient against httpx.MockTransport: auth, envelopes, paging, retries, errors, secrets."""
from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Callable
from decimal import Decimal

import httpx
import pytest

from integrations.katana.client import KatanaClient, encode_json, encode_params
from integrations.katana.errors import (
    AUTH_MESSAGE,
    KatanaAuthError,
    KatanaError,
    KatanaNotFound,
    KatanaOutcomeUnknown,
    KatanaRateLimited,
    KatanaRejected,
    KatanaUnavailable,
)
from integrations.katana.ratelimit import RateLimiter

API_KEY = "kat_live_0123456789abcdef"
BASE = "http://katana.test/v1"


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


class Recorder:
    """MockTransport handler: answers with the next scripted reply and records every request."""

    def __init__(self, *replies: httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]):
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, Exception):
            raise reply
        return reply(request) if callable(reply) else reply


def make_client(recorder: Recorder, fake: FakeTime, **kwargs) -> KatanaClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    limiter = RateLimiter(1000, clock=fake.clock, sleep=fake.sleep, wall_clock=lambda: 1e9 + fake.now)
    return KatanaClient(http, base_url=kwargs.pop("base_url", BASE), api_key=API_KEY, limiter=limiter,
                        sleep=fake.sleep, rng=random.Random(7), **kwargs)


def ok(payload: object, **headers: str) -> httpx.Response:
    return httpx.Response(200, json=payload, headers=headers)


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


# --- auth, URLs, envelopes, params ------------------------------------------------------------------


async def test_sends_bearer_key_to_the_joined_url(fake: FakeTime) -> None:
    recorder = Recorder(ok({"id": 1}))
    client = make_client(recorder, fake, base_url=BASE + "/")
    await client.get("/manufacturing_orders/1")
    await client.get("manufacturing_orders/2")
    assert [str(r.url) for r in recorder.requests] == [
        f"{BASE}/manufacturing_orders/1", f"{BASE}/manufacturing_orders/2"]
    assert recorder.requests[0].headers["authorization"] == f"Bearer {API_KEY}"


async def test_refuses_to_send_the_key_to_another_host(fake: FakeTime) -> None:
    recorder = Recorder(ok({}))
    client = make_client(recorder, fake)
    with pytest.raises(ValueError):
        await client.get("https://evil.example/steal")
    assert recorder.requests == []


async def test_unwraps_data_envelopes_tolerantly(fake: FakeTime) -> None:
    recorder = Recorder(ok({"data": {"id": 5}}), ok({"id": 6, "data": "kept"}), ok({"data": [{"id": 7}]}),
                        ok([{"id": 8}]))
    client = make_client(recorder, fake)
    assert await client.get("/a") == {"id": 5}
    assert await client.get("/b") == {"id": 6, "data": "kept"}
    assert await client.get("/c") == [{"id": 7}]
    assert await client.get("/d") == [{"id": 8}]


async def test_quantities_in_responses_stay_exact(fake: FakeTime) -> None:
    client = make_client(Recorder(httpx.Response(200, content=b'{"id":1,"quantity":0.1}')), fake)
    assert (await client.get("/x"))["quantity"] == Decimal("0.1")


async def test_query_lists_repeat_keys_and_booleans_are_lowercase(fake: FakeTime) -> None:
    recorder = Recorder(ok({"data": []}))
    client = make_client(recorder, fake)
    await client.get("/manufacturing_orders", {"ids": [1, 2], "include_deleted": False,
                                               "qty": Decimal("1E-5"), "skip": None})
    assert recorder.requests[0].url.params.multi_items() == [
        ("ids", "1"), ("ids", "2"), ("include_deleted", "false"), ("qty", "0.00001")]


async def test_204_is_none(fake: FakeTime) -> None:
    client = make_client(Recorder(httpx.Response(204)), fake)
    assert await client.post("/purchase_order_receive", [{"purchase_order_row_id": 1}]) is None


async def test_decimal_bodies_are_exact_json_numbers(fake: FakeTime) -> None:
    recorder = Recorder(ok({"id": 1}))
    client = make_client(recorder, fake)
    await client.patch("/x/1", {"actual_quantity": Decimal("12.34567"), "tiny": Decimal("1E-5"),
                                "ok": True, "none": None, "rows": [Decimal("7.00000")]})
    sent = recorder.requests[0]
    assert sent.content == (b'{"actual_quantity":12.34567,"tiny":0.00001,"ok":true,"none":null,'
                            b'"rows":[7.00000]}')
    assert sent.headers["content-type"] == "application/json"
    assert json.loads(sent.content, parse_float=Decimal)["actual_quantity"] == Decimal("12.34567")


def test_encoders_refuse_what_json_cannot_carry() -> None:
    with pytest.raises(ValueError):
        encode_json({"q": Decimal("NaN")})
    with pytest.raises(TypeError):
        encode_json({"q": object()})
    assert encode_json({"s": 'quote " and ü'}) == json.dumps({"s": 'quote " and ü'}, separators=(",", ":"))
    assert encode_params({"flag": True}) == [("flag", "true")]


# --- paging -----------------------------------------------------------------------------------------


def paged(total_pages: int, per_page: int) -> Callable[[httpx.Request], httpx.Response]:
    def reply(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        info = {"total_records": str(total_pages * per_page), "total_pages": str(total_pages),
                "page": str(page), "first_page": str(page == 1).lower(),
                "last_page": str(page == total_pages).lower()}
        rows = [{"id": page * 100 + i} for i in range(per_page)]
        return ok({"data": rows}, **{"X-Pagination": json.dumps(info)})
    return reply


async def test_get_all_follows_string_pagination_headers(fake: FakeTime) -> None:
    # Katana may return fewer rows than `limit` asked for; the header, not the count, says "more".
    recorder = Recorder(paged(total_pages=3, per_page=2))
    client = make_client(recorder, fake)
    rows = await client.get_all("/manufacturing_orders", {"status": "IN_PROGRESS"}, page_size=50)
    assert [r["id"] for r in rows] == [100, 101, 200, 201, 300, 301]
    assert [r.url.params["page"] for r in recorder.requests] == ["1", "2", "3"]
    assert {r.url.params["limit"] for r in recorder.requests} == {"50"}
    assert {r.url.params["status"] for r in recorder.requests} == {"IN_PROGRESS"}


async def test_get_all_without_header_stops_on_a_short_page(fake: FakeTime) -> None:
    recorder = Recorder(ok({"data": [{"id": 1}, {"id": 2}]}), ok({"data": [{"id": 3}]}))
    client = make_client(recorder, fake)
    assert len(await client.get_all("/x", page_size=2)) == 3
    assert len(recorder.requests) == 2


async def test_get_all_stops_at_max_pages(fake: FakeTime) -> None:
    recorder = Recorder(ok([{"id": 1}]))  # a bare list, always a full page
    client = make_client(recorder, fake)
    assert len(await client.get_all("/operators", page_size=1, max_pages=3)) == 3
    assert len(recorder.requests) == 3


# --- retries ----------------------------------------------------------------------------------------


async def test_get_retries_a_500_then_succeeds(fake: FakeTime) -> None:
    recorder = Recorder(httpx.Response(500), httpx.Response(502), ok({"id": 1}))
    client = make_client(recorder, fake)
    assert await client.get("/x/1") == {"id": 1}
    assert len(recorder.requests) == 3
    assert len(fake.sleeps) == 2
    assert 0 <= fake.sleeps[0] <= 0.5 and 0 <= fake.sleeps[1] <= 1.0  # full jitter under the ceiling
    assert client.limiter.in_window == 3  # every attempt counted against the budget


async def test_get_gives_up_after_max_attempts(fake: FakeTime) -> None:
    recorder = Recorder(httpx.Response(503))
    client = make_client(recorder, fake, max_attempts=4)
    with pytest.raises(KatanaUnavailable) as caught:
        await client.get("/x/1")
    assert len(recorder.requests) == 4
    assert caught.value.retryable and caught.value.status == 503


async def test_get_retries_timeouts(fake: FakeTime) -> None:
    recorder = Recorder(httpx.ReadTimeout("slow"), ok({"id": 1}))
    client = make_client(recorder, fake)
    assert await client.get("/x/1") == {"id": 1}
    assert len(recorder.requests) == 2


async def test_429_waits_retry_after_and_pauses_everyone(fake: FakeTime) -> None:
    recorder = Recorder(httpx.Response(429, headers={"Retry-After": "7"}), ok({"id": 1}))
    client = make_client(recorder, fake)
    assert await client.get("/x/1") == {"id": 1}
    assert fake.sleeps == [7.0]  # max(Retry-After, jittered backoff ≤ 0.5)
    assert len(recorder.requests) == 2


async def test_429_to_the_end_raises_rate_limited(fake: FakeTime) -> None:
    recorder = Recorder(httpx.Response(429, headers={"Retry-After": "3"}))
    client = make_client(recorder, fake, max_attempts=2)
    with pytest.raises(KatanaRateLimited) as caught:
        await client.get("/x")
    assert caught.value.retry_after == 3.0
    assert len(recorder.requests) == 2


async def test_post_with_500_is_outcome_unknown_after_one_request(fake: FakeTime) -> None:
    recorder = Recorder(httpx.Response(500), ok({"id": 1}))
    client = make_client(recorder, fake)
    with pytest.raises(KatanaOutcomeUnknown) as caught:
        await client.post("/manufacturing_order_productions", {"manufacturing_order_id": 1})
    assert len(recorder.requests) == 1
    assert isinstance(caught.value, KatanaUnavailable)


@pytest.mark.parametrize("error", [httpx.ReadTimeout("t"), httpx.ReadError("r"),
                                   httpx.RemoteProtocolError("gone"), httpx.WriteTimeout("w")])
async def test_post_that_may_have_been_sent_is_not_repeated(fake: FakeTime, error: Exception) -> None:
    recorder = Recorder(error, ok({"id": 1}))
    client = make_client(recorder, fake)
    with pytest.raises(KatanaOutcomeUnknown):
        await client.post("/batches", {"batch_number": "B1", "variant_id": 1})
    assert len(recorder.requests) == 1


@pytest.mark.parametrize("first", [httpx.ConnectError("refused"), httpx.ConnectTimeout("no route"),
                                   httpx.Response(429, headers={"Retry-After": "1"}),
                                   httpx.Response(503, headers={"Retry-After": "2"})])
async def test_post_that_never_reached_katana_is_retried(fake: FakeTime, first: object) -> None:
    recorder = Recorder(first, ok({"id": 9}))
    client = make_client(recorder, fake)
    assert await client.post("/batches", {"batch_number": "B1", "variant_id": 1}) == {"id": 9}
    assert len(recorder.requests) == 2


async def test_post_503_without_retry_after_is_outcome_unknown(fake: FakeTime) -> None:
    recorder = Recorder(httpx.Response(503), ok({"id": 1}))
    client = make_client(recorder, fake)
    with pytest.raises(KatanaOutcomeUnknown):
        await client.post("/batches", {})
    assert len(recorder.requests) == 1


async def test_post_connect_errors_to_the_end_are_unavailable_not_unknown(fake: FakeTime) -> None:
    recorder = Recorder(httpx.ConnectError("refused"))
    client = make_client(recorder, fake, max_attempts=3)
    with pytest.raises(KatanaUnavailable) as caught:
        await client.post("/batches", {})
    assert not isinstance(caught.value, KatanaOutcomeUnknown)
    assert len(recorder.requests) == 3


async def test_patch_and_delete_are_retried(fake: FakeTime) -> None:
    recorder = Recorder(httpx.Response(502), httpx.ReadError("reset"), ok({"id": 1}))
    client = make_client(recorder, fake)
    assert await client.patch("/x/1", {"status": "DONE"}) == {"id": 1}
    recorder2 = Recorder(httpx.Response(500), httpx.Response(204))
    client2 = make_client(recorder2, fake)
    assert await client2.delete("/x/1") is None
    assert len(recorder.requests) == 3 and len(recorder2.requests) == 2


async def test_rate_limit_headers_reach_the_limiter(fake: FakeTime) -> None:
    reset = str(int(1e9 + 30))
    recorder = Recorder(ok({"id": 1}, **{"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": reset}))
    client = make_client(recorder, fake)
    await client.get("/x/1")
    await client.get("/x/1")
    assert fake.now == pytest.approx(30.0)  # the second request waited for the reset


# --- errors -----------------------------------------------------------------------------------------

NESTED = {"error": {"statusCode": 422, "name": "UnprocessableEntityError", "code": "VALIDATION_FAILED",
                    "message": "The request body is invalid.",
                    "details": [{"path": ".completed_quantity", "code": "minimum",
                                 "message": "should be >= 0", "info": {"limit": 0}}]}}
FLAT = {"statusCode": 422, "name": "UnprocessableEntityError", "code": "VALIDATION_FAILED",
        "message": "The request body is invalid.",
        "details": [{"path": ".name", "code": "maxLength", "message": "should NOT be longer than 10"}]}


@pytest.mark.parametrize(("body", "path", "code"), [(NESTED, ".completed_quantity", "minimum"),
                                                    (FLAT, ".name", "maxLength")])
async def test_both_error_shapes_become_field_problems(fake: FakeTime, body: dict, path: str,
                                                       code: str) -> None:
    recorder = Recorder(httpx.Response(422, json=body))
    client = make_client(recorder, fake)
    with pytest.raises(KatanaRejected) as caught:
        await client.post("/manufacturing_order_productions", {})
    problem = caught.value.problems[0]
    assert (problem.path, problem.code) == (path, code)
    assert caught.value.code == "VALIDATION_FAILED" and caught.value.status == 422
    assert path in caught.value.user_message
    assert len(recorder.requests) == 1


async def test_400_without_details_is_rejected_with_katana_message(fake: FakeTime) -> None:
    client = make_client(Recorder(httpx.Response(400, json={"message": "MO is already done"})), fake)
    with pytest.raises(KatanaRejected) as caught:
        await client.patch("/manufacturing_orders/1", {"status": "DONE"})
    assert caught.value.problems == [] and "MO is already done" in caught.value.user_message


@pytest.mark.parametrize(("status", "kind"), [(401, KatanaAuthError), (403, KatanaAuthError),
                                              (404, KatanaNotFound), (409, KatanaError)])
async def test_status_codes_map_to_exceptions(fake: FakeTime, status: int, kind: type) -> None:
    recorder = Recorder(httpx.Response(status, json={"statusCode": status, "message": "nope"}))
    client = make_client(recorder, fake)
    with pytest.raises(kind) as caught:
        await client.get("/manufacturing_orders/1")
    assert caught.value.status == status
    assert len(recorder.requests) == 1  # client errors are not retried
    if kind is KatanaAuthError:
        assert caught.value.user_message == AUTH_MESSAGE


async def test_messages_and_logs_never_contain_the_api_key(fake: FakeTime,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    echo = {"error": {"statusCode": 401, "message": f"Invalid token Bearer {API_KEY}",
                      "details": [{"path": ".auth", "code": "x", "message": API_KEY}]}}
    caplog.set_level(logging.DEBUG)
    cases = [
        Recorder(httpx.Response(401, json=echo)),
        Recorder(httpx.Response(422, json={**echo["error"], "statusCode": 422})),
        Recorder(httpx.Response(500, text=f"crash {API_KEY}")),
        Recorder(httpx.ConnectError(f"failed for {API_KEY}")),
    ]
    for recorder in cases:
        client = make_client(recorder, fake, max_attempts=2)
        with pytest.raises(KatanaError) as caught:
            await client.get("/x")
        error = caught.value
        for text in (error.user_message, str(error), repr(error), error.katana_message or "",
                     " ".join(str(p) for p in getattr(error, "problems", []))):
            assert API_KEY not in text
            assert "://" not in text
    assert caplog.records, "retries should have been logged"
    assert all(API_KEY not in record.getMessage() for record in caplog.records)
    assert any(record.levelno == logging.WARNING and "retry" in record.getMessage()
               for record in caplog.records)
