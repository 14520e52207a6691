"""`POST /webhooks/katana`: verify, store, answer — then process in the background.

Katana wants a 2xx within 10 s and retries otherwise, so the request does only cheap checks and
one insert: size (413), signature (401), shape (400), dedup. Processing re-fetches the resource
from Katana (payloads are thin references) and happens after the response.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from models.events import EventRepository

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024
SIGNATURE_HEADER = "x-sha2-signature"
STORED, REPEAT = b'{"ok": true, "duplicate": false}', b'{"ok": true, "duplicate": true}'


def signature_ok(body: bytes, header: str | None, token: str) -> bool:
    """Hex HMAC-SHA256 of the raw body keyed by the webhook token; a `sha256=` prefix is tolerated
    (unverified whether Katana ever sends one). Runs for every delivery: one C call for the digest."""
    if not header:
        return False
    received = header.strip()
    if received[:7].lower() == "sha256=":
        received = received[7:]
    if len(received) != 64:
        return False
    try:
        digest = bytes.fromhex(received)  # non-hex and non-ASCII are refused here, before any compare
    except ValueError:
        return False
    return hmac.compare_digest(hmac.digest(token.encode(), body, hashlib.sha256), digest)


def parse_event(body: bytes) -> dict[str, Any] | None:
    """The thin Katana payload, or None when the body is not a Katana event."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(payload, dict):
        return None
    obj = payload.get("object")
    ok = (isinstance(payload.get("resource_type"), str) and isinstance(payload.get("action"), str)
          and isinstance(obj, dict) and isinstance(obj.get("id"), (int, str)) and not isinstance(obj.get("id"), bool)
          and 0 < len(payload["resource_type"]) <= 100 and 0 < len(payload["action"]) <= 100)
    return payload if ok else None


def retry_number(request: web.Request) -> int | None:
    value = request.headers.get("X-Katana-Retry-Num", "")
    return int(value) if value.isdigit() else None


async def read_limited(request: web.Request) -> bytes | None:
    """The whole body, however it is chunked, or None as soon as it passes MAX_BODY."""
    if request.content_length is not None:
        # Katana says how long its body is: one read (also what every delivery in a burst takes).
        return await request.read() if request.content_length <= MAX_BODY else None
    body = bytearray()
    async for chunk in request.content.iter_chunked(64 * 1024):
        body += chunk
        if len(body) > MAX_BODY:
            return None
    return bytes(body)


def katana_webhook_route(token: str | None, events: EventRepository, process: Callable[[str], Any],
                         arrived: Callable[[], None] = lambda: None, repeated: Callable[[], None] = lambda: None,
                         ) -> Callable[[web.Request], Awaitable[web.Response]]:
    """`process(key)` queues a new event; `arrived()` hears of every delivery, so processing can step
    aside while Katana is still sending; `repeated()` of every repeat, whose count may wait in memory
    for a pause (bot.katana_events.EventProcessor)."""
    async def receive(request: web.Request) -> web.Response:
        arrived()
        if not token:
            log.error("Katana webhook refused: KATANA_WEBHOOK_TOKEN is not set")
            return web.json_response({"error": "webhook token not configured"}, status=503)
        body = await read_limited(request)
        if body is None:
            return web.json_response({"error": "body too large"}, status=413)
        if not signature_ok(body, request.headers.get(SIGNATURE_HEADER), token):
            log.warning("Katana webhook with a missing or wrong signature from %s", request.remote)
            return web.json_response({"error": "bad signature"}, status=401)
        payload = parse_event(body)
        if payload is None:
            return web.json_response({"error": "not a Katana event"}, status=400)
        key, fresh = await events.deliver(payload, retry_number(request))
        if fresh:
            process(key)
        else:
            repeated()
        return web.Response(body=STORED if fresh else REPEAT, content_type="application/json")
    return receive
