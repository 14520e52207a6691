"""Low-level Katana REST client: auth, rate limit, retries, envelopes, paging, error mapping.

Retry policy (each attempt first waits for the shared RateLimiter):
- GET / PATCH / DELETE are idempotent: retried with exponential backoff and full jitter on 429, 5xx,
  timeouts and transport errors, up to `max_attempts`.
- POST creates things (productions, batches, webhooks): repeating one that reached Katana would record
  it twice. It is retried only when Katana provably did not act on it:
    * httpx.ConnectError / ConnectTimeout / PoolTimeout: no connection, nothing was sent;
    * 429: Katana refuses over-limit requests before processing them;
    * 503 carrying Retry-After: the gateway's "not accepting requests now" (maintenance/overload).
  Anything else after the request may have left (read/write timeouts, ReadError, RemoteProtocolError,
  500/502/504, 503 without Retry-After) raises KatanaOutcomeUnknown: the caller must look first.
- 429 waits max(Retry-After, backoff) and pauses the shared limiter so other callers back off too.
- A read that is only advice (the /cook form's stock check, before Slack's 3 s ack) asks for one attempt:
  its failure is an answer too ("not known"), and a retry would spend the budget and the ack's time.

No exchange lasts longer than `timeout` seconds in all (httpx times each phase on its own; the whole
exchange is bounded here), so a request sent before a worker's lease ran out has been answered or
abandoned `timeout` seconds later: a lease's grace (commands.recording) is at least that long.
Writes (anything but GET) first ask the `write_gate` of the current task, right before each attempt
leaves: a floor action's worker that can no longer be sure it holds its lease sends nothing more
(`WriteNotAllowed`).
"""
from __future__ import annotations

import asyncio
import contextvars
import email.utils
import json
import logging
import math
import random
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import httpx

from .errors import (
    OUTCOME_UNKNOWN_MESSAGE,
    RATE_LIMITED_MESSAGE,
    UNAVAILABLE_MESSAGE,
    KatanaError,
    KatanaOutcomeUnknown,
    KatanaRateLimited,
    KatanaUnavailable,
    WriteNotAllowed,
    error_from_response,
)
from .ratelimit import RateLimiter

log = logging.getLogger(__name__)

# Transport errors raised before any byte of the request left this process.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

# Asked right before a write leaves; None (the default, e.g. webhook processing): writes always go.
# A context variable, so each floor action's task (and the steps it runs side by side) has its own.
write_gate: contextvars.ContextVar[Callable[[], bool] | None] = contextvars.ContextVar("katana_write_gate",
                                                                                         default=None)


class KatanaClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        base_url: str,
        api_key: str,
        limiter: RateLimiter,
        max_attempts: int = 4,
        backoff_base: float = 0.5,
        backoff_cap: float = 8.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
        timeout: float = 30.0,
    ) -> None:
        if not api_key:
            raise ValueError("Katana API key is empty")
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._api_key = api_key
        self.limiter = limiter
        self._max_attempts = max(1, max_attempts)
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._timeout = timeout
        # Every attempt sent, by how Katana answered: ok, rate_limited (429), refused (other 4xx),
        # server_error (5xx), no_answer (transport error, timeout). Plain counts: bot/metrics.py reads them.
        self.answers: Counter[str] = Counter()

    # --- public API ---------------------------------------------------------------------------------

    async def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        response = await self._request("GET", path, params=params)
        return unwrap(_decode(response))

    async def get_all(self, path: str, params: Mapping[str, Any] | None = None, *,
                      page_size: int = 250, max_pages: int = 100, attempts: int | None = None) -> list[Any]:
        """Every item of a list endpoint, following X-Pagination (values are strings) page by page.
        `attempts`: fewer than the client's retries, for a read that is only advice (a failure is an answer)."""
        items: list[Any] = []
        for page in range(1, max_pages + 1):
            query = {**(params or {}), "limit": page_size, "page": page}
            response = await self._request("GET", path, params=query, attempts=attempts)
            batch = unwrap(_decode(response))
            batch = batch if isinstance(batch, list) else ([] if batch is None else [batch])
            items.extend(batch)
            if _is_last_page(response.headers.get("x-pagination"), page, len(batch), page_size):
                return items
        log.warning("Katana GET %s: stopped after %d pages; results may be incomplete", path, max_pages)
        return items

    async def post(self, path: str, json: Any) -> Any:
        return _decode(await self._request("POST", path, body=json))

    async def patch(self, path: str, json: Any) -> Any:
        return _decode(await self._request("PATCH", path, body=json))

    async def delete(self, path: str) -> Any:
        return _decode(await self._request("DELETE", path))

    # --- the retry loop -----------------------------------------------------------------------------

    async def _request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                       body: Any = None, attempts: int | None = None) -> httpx.Response:
        url = self._url(path)
        content = encode_json(body).encode() if body is not None else None
        query = encode_params(params)
        most = max(1, min(attempts or self._max_attempts, self._max_attempts))
        for attempt in range(1, most + 1):
            last = attempt == most
            slot = await self.limiter.acquire()
            gate = write_gate.get()
            if method != "GET" and gate is not None and not gate():
                await self.limiter.finished(slot)
                raise WriteNotAllowed(f"{method} {_path_only(path)} not sent: the worker's lease is not certain")
            try:
                async with asyncio.timeout(self._timeout):  # the whole exchange, not each phase
                    response = await self._http.request(
                        method, url, params=query, content=content, headers=self._headers(content),
                        timeout=self._timeout,
                    )
            except (httpx.TransportError, TimeoutError) as exc:
                await self.limiter.finished(slot)
                self.answers["no_answer"] += 1
                await self._after_transport_error(method, path, exc, attempt, last)
                continue
            finally:
                await self.limiter.finished(slot)  # (bench, issue 6) counted from its answer: see ratelimit.py
            self.limiter.observe(response.headers)
            self.answers[answer_kind(response.status_code)] += 1
            await self.limiter.share_pause()
            if response.is_success:
                return response
            await self._after_error_status(method, path, response, attempt, last)
        raise AssertionError("unreachable: the last attempt always returns or raises")

    async def _after_transport_error(self, method: str, path: str, exc: Exception,
                                     attempt: int, last: bool) -> None:
        reason = type(exc).__name__
        if method == "POST" and not isinstance(exc, _NOT_SENT):
            raise KatanaOutcomeUnknown(OUTCOME_UNKNOWN_MESSAGE) from exc
        if last:
            raise KatanaUnavailable(UNAVAILABLE_MESSAGE) from exc
        await self._back_off(method, path, reason, attempt)

    async def _after_error_status(self, method: str, path: str, response: httpx.Response,
                                  attempt: int, last: bool) -> None:
        status = response.status_code
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        if status == 429:
            if retry_after is not None:
                self.limiter.pause_for(retry_after)
            await self.limiter.share_pause()
            if last:
                raise KatanaRateLimited(RATE_LIMITED_MESSAGE, retry_after=retry_after, status=status)
            await self._back_off(method, path, "HTTP 429", attempt, at_least=retry_after or 0.0)
            return
        if status >= 500:
            never_processed = status == 503 and retry_after is not None
            if method == "POST" and not never_processed:
                raise KatanaOutcomeUnknown(OUTCOME_UNKNOWN_MESSAGE, status=status)
            if last:
                raise KatanaUnavailable(UNAVAILABLE_MESSAGE, status=status)
            await self._back_off(method, path, f"HTTP {status}", attempt, at_least=retry_after or 0.0)
            return
        raise error_from_response(status, response.content, scrub=self._scrub)

    async def _back_off(self, method: str, path: str, reason: str, attempt: int, *,
                        at_least: float = 0.0) -> None:
        ceiling = min(self._backoff_cap, self._backoff_base * 2 ** (attempt - 1))
        delay = max(at_least, self._rng.uniform(0.0, ceiling))  # full jitter
        log.warning("Katana %s %s failed (%s); retry %d of %d in %.2f s",
                    method, _path_only(path), reason, attempt, self._max_attempts - 1, delay)
        await self._sleep(delay)

    # --- request building ---------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        # The bearer key goes with every request: never let a caller point it at another host.
        if "://" in path or path.startswith("//"):
            raise ValueError("Katana paths are relative to the base URL")
        return f"{self._base_url}/{path.lstrip('/')}"

    def _headers(self, content: bytes | None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self._api_key}", "Accept": "application/json"}
        if content is not None:
            headers["Content-Type"] = "application/json"
        return headers

    def _scrub(self, text: str) -> str:
        return text.replace(self._api_key, "[redacted]")


# --- encoding / decoding helpers (module level so services and tests can reuse them) -----------------


def encode_json(value: Any) -> str:
    """Compact JSON where Decimal is written as its exact digits (json.dumps would need a float)."""
    if value is None or isinstance(value, bool):
        return "null" if value is None else ("true" if value else "false")
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, (int, str)):
        return json.dumps(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("cannot send a non-finite number to Katana")
        return json.dumps(value)
    if isinstance(value, (datetime, date)):
        return json.dumps(iso(value))
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{json.dumps(str(k))}:{encode_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(encode_json(v) for v in value) + "]"
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def encode_params(params: Mapping[str, Any] | None) -> list[tuple[str, str | int | float | bool | None]]:
    """Query pairs: lists as repeated keys (ids=1&ids=2), booleans as true/false, None dropped."""
    pairs: list[tuple[str, str | int | float | bool | None]] = []
    for key, value in (params or {}).items():
        values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        pairs.extend((key, _param_text(v)) for v in values if v is not None)
    return pairs


def iso(value: datetime | date) -> str:
    """ISO 8601 with an explicit offset, as Katana requires for date-times."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("Katana needs timezone-aware date-times")
        return value.isoformat()
    return value.isoformat()


def answer_kind(status: int) -> str:
    if status == 429:
        return "rate_limited"
    return "ok" if status < 400 else ("server_error" if status >= 500 else "refused")


def unwrap(payload: Any) -> Any:
    """Katana wraps lists as {"data": [...]} and usually not single objects; accept either."""
    if isinstance(payload, dict) and "data" in payload and "id" not in payload:
        return payload["data"]
    return payload


def parse_retry_after(raw: str | None) -> float | None:
    if not raw:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            return None
        seconds = (when - datetime.now(when.tzinfo)).total_seconds()
    return max(0.0, seconds) if math.isfinite(seconds) else None


def _param_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, (datetime, date)):
        return iso(value)
    return str(value)


def _decimal_text(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError("cannot send a non-finite number to Katana")
    return format(value, "f")  # never exponent notation, never rounded


def _decode(response: httpx.Response) -> Any:
    if response.status_code == 204 or not response.content.strip():
        return None
    try:
        # parse_float=Decimal: quantities stay exact all the way to the models.
        return json.loads(response.content, parse_float=Decimal)
    except ValueError as exc:
        raise KatanaError("Katana sent a response the bot couldn't read",
                          status=response.status_code) from exc


def _is_last_page(header: str | None, page: int, count: int, page_size: int) -> bool:
    """Trust X-Pagination when present (Katana may cap `limit`); otherwise a short page is the last."""
    if count == 0:
        return True
    info = _pagination(header)
    last_page = info.get("last_page")
    total_pages = _integer(info.get("total_pages"))
    if last_page is not None or total_pages is not None:
        return _truthy(last_page) or (total_pages is not None and page >= total_pages)
    return count < page_size


def _pagination(header: str | None) -> dict[str, Any]:
    if not header:
        return {}
    try:
        info = json.loads(header)
    except ValueError:
        return {}
    return info if isinstance(info, dict) else {}


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _integer(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _path_only(path: str) -> str:
    return path.split("?", 1)[0]
