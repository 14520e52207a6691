"""Low-level Selling Partner API client: LWA token, headers, per-operation limits, retries, errors.

Every call names its operation (for its usage plan). Headers: `x-amz-access-token` (LWA) and a
`user-agent` naming the app (Amazon requires one). Retry policy (reads only): 429 QuotaExceeded, 5xx,
timeouts and transport errors back off exponentially with full jitter (Amazon documents no Retry-After
for 429, but one is honoured if sent); a 403 is retried once with a fresh token, because an access token
can be revoked before it expires; other 4xx are raised. `x-amzn-RequestId` is logged with every failure,
so Amazon support can find the call.
"""
from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal
from typing import Any

import httpx

from integrations.backoff import full_jitter, parse_retry_after

from .errors import (
    RATE_LIMITED_MESSAGE,
    UNAVAILABLE_MESSAGE,
    AmazonError,
    AmazonRateLimited,
    AmazonUnavailable,
    sp_api_error,
)
from .lwa import LwaTokens
from .ratelimit import OperationLimits

log = logging.getLogger(__name__)
USER_AGENT = "shopfloor-bot/1.0 (Language=Python/3.11)"


class SpApiClient:
    def __init__(self, http: httpx.AsyncClient, *, base_url: str, tokens: LwaTokens,
                 limits: OperationLimits | None = None, user_agent: str = USER_AGENT, max_attempts: int = 4,
                 backoff_base: float = 1.0, backoff_cap: float = 16.0,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 rng: random.Random | None = None, timeout: float = 30.0) -> None:
        self._http, self._base_url, self.tokens = http, base_url.rstrip("/"), tokens
        self.limits = limits or OperationLimits()
        self._user_agent, self._max_attempts = user_agent, max(1, max_attempts)
        self._base, self._cap, self._sleep = backoff_base, backoff_cap, sleep
        self._rng, self._timeout = rng or random.Random(), timeout
        self.calls = 0

    async def get(self, operation: str, path: str, params: Mapping[str, Any] | None = None) -> Any:
        query = encode_params(params)
        bucket = self.limits.bucket(operation)
        refreshed = False
        for attempt in range(1, self._max_attempts + 1):
            last = attempt == self._max_attempts
            await bucket.acquire()
            token = await self.tokens.access_token()
            try:
                self.calls += 1
                reply = await self._http.get(self._url(path), params=query, timeout=self._timeout,
                                             headers=self._headers(token))
            except httpx.TransportError as exc:
                if last:
                    raise AmazonUnavailable(UNAVAILABLE_MESSAGE) from exc
                await self._back_off(operation, type(exc).__name__, attempt, None)
                continue
            bucket.observe(reply.headers.get("x-amzn-ratelimit-limit"))
            if reply.is_success:
                return _decode(reply)
            if reply.status_code == 403 and not refreshed and not last:  # maybe a revoked token: retry fresh
                self.tokens.forget(token)
                refreshed = True
                continue
            if reply.status_code == 429:
                bucket.empty()
            await self._after_error(operation, reply, attempt, last)
        raise AmazonUnavailable(UNAVAILABLE_MESSAGE)

    async def _after_error(self, operation: str, reply: httpx.Response, attempt: int, last: bool) -> None:
        status, request_id = reply.status_code, reply.headers.get("x-amzn-requestid")
        if status != 429 and status < 500:
            error = sp_api_error(status, reply.content, request_id, scrub=self._scrub)
            log.warning("Amazon %s refused: HTTP %d %s (x-amzn-RequestId %s)", operation, status,
                        error.code, request_id)
            raise error
        if last:
            kind = AmazonRateLimited if status == 429 else AmazonUnavailable
            raise kind(RATE_LIMITED_MESSAGE if status == 429 else UNAVAILABLE_MESSAGE, status=status,
                       request_id=request_id)
        await self._back_off(operation, f"HTTP {status}", attempt, request_id,
                             at_least=parse_retry_after(reply.headers.get("retry-after")) or 0.0)

    async def _back_off(self, operation: str, reason: str, attempt: int, request_id: str | None, *,
                        at_least: float = 0.0) -> None:
        delay = full_jitter(attempt, base=self._base, cap=self._cap, rng=self._rng, at_least=at_least)
        log.warning("Amazon %s failed (%s, x-amzn-RequestId %s); retry %d of %d in %.2f s",
                    operation, reason, request_id, attempt, self._max_attempts - 1, delay)
        await self._sleep(delay)

    def _headers(self, token: str) -> dict[str, str]:
        return {"x-amz-access-token": token, "user-agent": self._user_agent, "Accept": "application/json"}

    def _url(self, path: str) -> str:
        if "://" in path or path.startswith("//"):
            raise ValueError("SP-API paths are relative to the base URL")
        return f"{self._base_url}/{path.lstrip('/')}"

    def _scrub(self, text: str) -> str:
        for secret in self.tokens.secrets():
            text = text.replace(secret, "[redacted]")
        return text


def encode_params(params: Mapping[str, Any] | None) -> list[tuple[str, str | int | float | bool | None]]:
    """SP-API (Swagger 2) arrays default to collectionFormat csv: marketplaceIds=A,B; booleans true/false."""
    pairs: list[tuple[str, str | int | float | bool | None]] = []
    for key, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        pairs.append((key, str(value)))
    return pairs


def _decode(reply: httpx.Response) -> Any:
    try:
        return json.loads(reply.content, parse_float=Decimal) if reply.content.strip() else None
    except ValueError as exc:
        raise AmazonError("Amazon sent a response the bot couldn't read", status=reply.status_code) from exc
