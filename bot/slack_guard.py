"""Refuse forged, stale or oversized Slack requests before anything parses them.

Bolt could verify the signature too, but only after it has parsed the body into a dict; this aiohttp
middleware checks the raw bytes first (size, timestamp within 5 minutes, HMAC signature), so a
forged request never reaches a parser. It is the one check: bot/app.py turns Bolt's off, so each
request is verified exactly once (bench row 1, issue 6).

The signing headers are untrusted input: slack_sdk's verifier raises on a missing or non-numeric
timestamp, on a non-ASCII signature and on a body that is not UTF-8 (a 500 with a traceback), so their
shape is checked first and anything odd is a 401 with one warning line.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from slack_sdk.signature import SignatureVerifier

from bot.bodies import BodyTooSlow, too_slow, within

log = logging.getLogger(__name__)

MAX_SLACK_BODY = 1024 * 1024  # Slack's own payloads are far smaller; views are ≤ 250 kB
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def slack_guard(signing_secret: str, path: str = "/slack/events", *,
                body_timeout: float = 10.0) -> Callable[..., Awaitable[web.StreamResponse]]:
    verifier = SignatureVerifier(signing_secret)

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method != "POST" or not for_slack(request, path):
            return await handler(request)
        if request.content_length is None or request.content_length > MAX_SLACK_BODY:
            return web.json_response({"error": "body too large or of unknown length"}, status=413)
        try:
            body = await within(body_timeout, request.read())  # aiohttp keeps it: Bolt reads the same bytes
        except BodyTooSlow:
            return await too_slow(request, "Slack request", body_timeout)
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not (signing_headers_well_formed(timestamp, signature) and utf8(body)
                and verifier.is_valid(body, timestamp, signature)):
            log.warning("Slack request refused from %s: invalid signature or stale timestamp", request.remote)
            return web.json_response({"error": "invalid signature or stale timestamp"}, status=401)
        return await handler(request)
    return guard


def utf8(body: bytes) -> bool:
    """Slack sends UTF-8; the verifier decodes the body as UTF-8 before signing it and raises otherwise."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def signing_headers_well_formed(timestamp: str, signature: str) -> bool:
    """A timestamp of ASCII digits (epoch seconds) and `v0=` + 64 hex digits: what Slack sends, and what
    the verifier can compare without raising."""
    return (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12
            and signature.isascii() and len(signature) == 67 and signature.startswith("v0=")
            and all(c in "0123456789abcdefABCDEF" for c in signature[3:]))


def for_slack(request: web.Request, path: str) -> bool:
    """By path and by the route aiohttp resolved, so no other spelling of the path reaches Bolt unchecked."""
    resource = request.match_info.route.resource
    return request.path == path or (resource is not None and resource.canonical == path)
