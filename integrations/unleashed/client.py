"""Low-level Unleashed client: signing, paging by path, retries, the call counter.

Every request is a signed GET (the alerts only read). Retry policy: 429, 5xx, timeouts and transport
errors are retried with exponential backoff and full jitter (Retry-After honoured when sent) up to
`max_attempts`; 401/403 and other 4xx are not (see errors.py). Every attempt is counted against the
monthly quota, because Unleashed counts every call it receives.
"""
from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from decimal import Decimal
from typing import Any

import httpx

from integrations.backoff import full_jitter, parse_retry_after

from . import auth
from .errors import (
    RATE_LIMITED_MESSAGE,
    UNAVAILABLE_MESSAGE,
    UnleashedError,
    UnleashedRateLimited,
    UnleashedUnavailable,
    error_from_response,
)
from .quota import CallCounter

log = logging.getLogger(__name__)
MAX_PAGE_SIZE = 1000  # documented range 1–1000
PageReader = Callable[[list[dict[str, Any]]], list[Any]] | None


class UnleashedClient:
    def __init__(self, http: httpx.AsyncClient, *, base_url: str, api_id: str, api_key: str,
                 client_type: str, calls: CallCounter | None = None, max_attempts: int = 4,
                 backoff_base: float = 0.5, backoff_cap: float = 8.0,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 rng: random.Random | None = None, timeout: float = 30.0) -> None:
        if not (api_id and api_key):
            raise ValueError("Unleashed API id and key are required")
        self._http, self._base_url = http, base_url.rstrip("/")
        self._api_id, self._api_key, self._client_type = api_id, api_key, client_type
        self.calls = calls or CallCounter()
        self._max_attempts, self._base, self._cap = max(1, max_attempts), backoff_base, backoff_cap
        self._sleep, self._rng, self._timeout = sleep, rng or random.Random(), timeout

    async def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return _decode(await self._request(path, auth.query_string(params)))

    async def get_pages(self, resource: str, params: Mapping[str, Any] | None = None, *,
                        page_size: int = 200, max_pages: int = 1000) -> list[dict[str, Any]]:
        """Every item of a list resource, as dicts (small resources; large ones: `iter_pages`)."""
        items: list[dict[str, Any]] = []
        async for batch in self.iter_pages(resource, params, page_size=page_size, max_pages=max_pages):
            items.extend(batch)
        return items

    async def iter_pages(self, resource: str, params: Mapping[str, Any] | None = None, *,
                         page_size: int = 200, max_pages: int = 1000,
                         read: PageReader = None) -> AsyncGenerator[list[Any], None]:
        # (bench, issue 6) was 50 pages: a 50,000-product account was read only to 10,000, silently.
        # Pages are yielded as they arrive, so a caller can reduce them without holding the whole list.
        """Each page's items in turn: page N is `/{resource}/{N}`, `pageSize` in the query. `read` turns a
        page's decoded body into items (default: the raw dicts)."""
        size = max(1, min(MAX_PAGE_SIZE, page_size))
        for page in range(1, max_pages + 1):
            body = await self.get(f"/{resource.strip('/')}/{page}", {**(params or {}), "pageSize": size})
            raw = list((body or {}).get("Items") or [])
            yield read(raw) if read is not None else raw
            if _is_last(body, page, len(raw), size):
                return
        log.warning("Unleashed %s: stopped after %d pages; results may be incomplete", resource, max_pages)

    # --- the retry loop -----------------------------------------------------------------------------

    async def _request(self, path: str, query: str) -> httpx.Response:
        url = self._url(path) + (f"?{query}" if query else "")
        headers = auth.headers(api_id=self._api_id, api_key=self._api_key, client_type=self._client_type,
                               query=query)
        for attempt in range(1, self._max_attempts + 1):
            last = attempt == self._max_attempts
            self.calls.count()
            try:
                response = await self._http.get(url, headers=headers, timeout=self._timeout)
            except httpx.TransportError as exc:
                if last:
                    raise UnleashedUnavailable(UNAVAILABLE_MESSAGE) from exc
                await self._back_off(path, type(exc).__name__, attempt)
                continue
            if response.is_success:
                return response
            await self._after_error(path, response, attempt, last)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _after_error(self, path: str, response: httpx.Response, attempt: int, last: bool) -> None:
        status = response.status_code
        if status != 429 and status < 500:
            raise error_from_response(status, response.content, scrub=self._scrub)
        if last:
            kind = UnleashedRateLimited if status == 429 else UnleashedUnavailable
            raise kind(RATE_LIMITED_MESSAGE if status == 429 else UNAVAILABLE_MESSAGE, status=status)
        wait_at_least = parse_retry_after(response.headers.get("retry-after")) or 0.0
        await self._back_off(path, f"HTTP {status}", attempt, at_least=wait_at_least)

    async def _back_off(self, path: str, reason: str, attempt: int, *, at_least: float = 0.0) -> None:
        delay = full_jitter(attempt, base=self._base, cap=self._cap, rng=self._rng, at_least=at_least)
        log.warning("Unleashed GET %s failed (%s); retry %d of %d in %.2f s",
                    path, reason, attempt, self._max_attempts - 1, delay)
        await self._sleep(delay)

    def _url(self, path: str) -> str:
        # The signed id goes with every request: never let a caller point it at another host.
        if "://" in path or path.startswith("//") or "?" in path:
            raise ValueError("Unleashed paths are relative to the base URL, without a query string")
        return f"{self._base_url}/{path.lstrip('/')}"

    def _scrub(self, text: str) -> str:
        return text.replace(self._api_key, "[redacted]")


def _decode(response: httpx.Response) -> Any:
    if not response.content.strip():
        return None
    try:
        return json.loads(response.content, parse_float=Decimal)
    except ValueError as exc:
        raise UnleashedError("Unleashed sent a response the bot couldn't read",
                             status=response.status_code) from exc


def _is_last(body: Any, page: int, count: int, size: int) -> bool:
    """Trust the envelope's Pagination.NumberOfPages; without it, a short page is the last."""
    if count == 0:
        return True
    pagination = (body or {}).get("Pagination") or {}
    pages = pagination.get("NumberOfPages")
    if isinstance(pages, int) or (isinstance(pages, str) and pages.isdigit()):
        return page >= int(pages)
    return count < size
