"""Login with Amazon: a refresh token exchanged for an access token, cached until shortly before expiry.

`POST https://api.amazon.com/auth/o2/token` (form-encoded grant_type=refresh_token, refresh_token,
client_id, client_secret) → `{"access_token", "token_type", "expires_in"}` (3600 s in Amazon's docs).
SigV4/IAM are no longer needed (SP-API changelog 2023-10-02). One exchange at a time: concurrent callers
wait for the same token instead of each asking for one.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

import httpx

from .errors import LWA_MESSAGE, UNAVAILABLE_MESSAGE, AmazonAuthError, AmazonUnavailable, first_error

log = logging.getLogger(__name__)
REFRESH_MARGIN = 60.0  # seconds before expiry at which the token is renewed


class LwaTokens:
    def __init__(self, http: httpx.AsyncClient, *, url: str, client_id: str, client_secret: str,
                 refresh_token: str, clock: Callable[[], float] = time.monotonic, timeout: float = 30.0) -> None:
        if not (client_id and client_secret and refresh_token):
            raise ValueError("LWA client id, client secret and refresh token are required")
        self._http, self._url, self._clock, self._timeout = http, url, clock, timeout
        self._form = {"grant_type": "refresh_token", "refresh_token": refresh_token,
                      "client_id": client_id, "client_secret": client_secret}
        self._token: str | None = None
        self._expires_at = float("-inf")
        self._lock = asyncio.Lock()
        self.exchanges = 0  # how many times a token was fetched (tests: the cache works)

    async def access_token(self) -> str:
        async with self._lock:
            if self._token is None or self._clock() >= self._expires_at - REFRESH_MARGIN:
                await self._exchange()
            assert self._token is not None
            return self._token

    def forget(self, token: str) -> None:
        """Amazon refused this token (revoked/expired early): the next call fetches a new one."""
        if token == self._token:
            self._token = None

    def secrets(self) -> list[str]:
        return [v for v in (self._form["refresh_token"], self._form["client_secret"], self._token) if v]

    async def _exchange(self) -> None:
        try:
            reply = await self._http.post(self._url, data=self._form, timeout=self._timeout,
                                          headers={"Accept": "application/json"})
        except httpx.TransportError as exc:
            raise AmazonUnavailable(UNAVAILABLE_MESSAGE) from exc
        if reply.status_code >= 500:
            raise AmazonUnavailable(UNAVAILABLE_MESSAGE, status=reply.status_code)
        if not reply.is_success:
            code, _ = first_error(reply.content)
            raise AmazonAuthError(LWA_MESSAGE, status=reply.status_code, code=code or None)
        body = reply.json()
        self._token = str(body["access_token"])
        self._expires_at = self._clock() + float(body.get("expires_in") or 3600)
        self.exchanges += 1
        log.info("Amazon LWA: new access token, valid %s s", body.get("expires_in"))
