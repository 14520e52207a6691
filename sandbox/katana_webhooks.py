"""Outgoing webhooks the way Katana sends them (developer.katanamrp.com/reference/webhooks).

Thin payload {"resource_type","action","webhook_id","object":{"id","status","href"}}, `href` absent on
*.deleted; header `x-sha2-signature` = hex HMAC-SHA256(raw body, key = token as UTF-8). Katana's retry
schedule (30 s / 2 min / 15 min) is not modelled; `redeliver` re-sends with X-Katana-Retry-Num.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from typing import Any

import aiohttp

log = logging.getLogger(__name__)
DELIVERY_TIMEOUT_S = 10.0  # Katana's own patience with receivers


def sign(body: bytes, token: str) -> str:
    return hmac.new(token.encode("utf-8"), body, hashlib.sha256).hexdigest()


def payload(event: str, webhook_id: int, object_id: Any, status: str | None, href: str | None) -> bytes:
    resource_type = event.rsplit(".", 1)[0]
    obj: dict[str, Any] = {"id": object_id, "status": status}
    if href is not None and not event.endswith(".deleted"):
        obj["href"] = href
    document = {"resource_type": resource_type, "action": event, "webhook_id": webhook_id, "object": obj}
    return json.dumps(document, separators=(",", ":")).encode("utf-8")


class WebhookSender:
    """Fire-and-forget delivery on asyncio tasks; every attempt is kept in `deliveries`."""

    def __init__(self) -> None:
        self.deliveries: list[dict[str, Any]] = []
        self._tasks: set[asyncio.Task] = set()
        self._pending: list[dict[str, Any]] = []  # queued while no event loop is running
        self._session: aiohttp.ClientSession | None = None

    def send(self, hook: dict, event: str, body: bytes, retry_num: int | None = None) -> None:
        delivery = {"event": event, "body": body, "status": None, "url": hook["url"],
                    "webhook_id": hook["id"], "token": hook["token"], "retry_num": retry_num,
                    "error": None}
        self.deliveries.append(delivery)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._pending.append(delivery)  # e.g. helpers called before the test's loop runs
            return
        self._spawn(loop, delivery)

    def _spawn(self, loop: asyncio.AbstractEventLoop, delivery: dict[str, Any]) -> None:
        task = loop.create_task(self._post(delivery))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _post(self, delivery: dict[str, Any]) -> None:
        headers = {"Content-Type": "application/json",
                   "x-sha2-signature": sign(delivery["body"], delivery["token"])}
        if delivery["retry_num"]:
            headers["X-Katana-Retry-Num"] = str(delivery["retry_num"])
        try:
            session = self._client()
            async with session.post(delivery["url"], data=delivery["body"], headers=headers) as answer:
                delivery["status"] = answer.status
                await answer.read()
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            delivery["error"] = f"{type(exc).__name__}: {exc}"
            log.info("webhook %s to %s failed: %s", delivery["event"], delivery["url"], exc)

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            timeout = aiohttp.ClientTimeout(total=DELIVERY_TIMEOUT_S)
            self._session = aiohttp.ClientSession(timeout=timeout)
        return self._session

    async def flush(self) -> None:
        """Wait until every delivery started so far has an outcome."""
        loop = asyncio.get_running_loop()
        pending, self._pending = self._pending, []
        for delivery in pending:
            self._spawn(loop, delivery)
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def redeliver(self, n: int, hooks: dict[int, dict]) -> None:
        originals = [d for d in self.deliveries if not d["retry_num"]][-n:] if n > 0 else []
        for original in originals:
            hook = hooks.get(original["webhook_id"]) or {
                "id": original["webhook_id"], "url": original["url"], "token": original["token"]}
            self.send(hook, original["event"], original["body"], retry_num=1)
        await self.flush()

    async def close(self) -> None:
        await self.flush()
        if self._session is not None:
            await self._session.close()
            self._session = None
