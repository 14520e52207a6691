"""Refuse forged, stale or oversized Slack requests before anything parses them.

Bolt could verify the signature too, but only after it has parsed the body into a dict; this aiohttp
middleware checks the raw bytes first (size, timestamp within 5 minutes, HMAC signature), so a
forged request never reaches a parser. It is the one check: bot/app.py turns Bolt's off, so each
request is verified exactly once (bench row 1, issue 6).
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from slack_sdk.signature import SignatureVerifier

MAX_SLACK_BODY = 1024 * 1024  # Slack's own payloads are far smaller; views are ≤ 250 kB
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def slack_guard(signing_secret: str, path: str = "/slack/events") -> Callable[..., Awaitable[web.StreamResponse]]:
    verifier = SignatureVerifier(signing_secret)

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method != "POST" or not for_slack(request, path):
            return await handler(request)
        if request.content_length is None or request.content_length > MAX_SLACK_BODY:
            return web.json_response({"error": "body too large or of unknown length"}, status=413)
        body = await request.read()  # aiohttp keeps it, so Bolt reads the same bytes afterwards
        if not verifier.is_valid(body, request.headers.get("X-Slack-Request-Timestamp", ""),
                                 request.headers.get("X-Slack-Signature", "")):
            return web.json_response({"error": "invalid signature or stale timestamp"}, status=401)
        return await handler(request)
    return guard


def for_slack(request: web.Request, path: str) -> bool:
    """By path and by the route aiohttp resolved, so no other spelling of the path reaches Bolt unchecked."""
    resource = request.match_info.route.resource
    return request.path == path or (resource is not None and resource.canonical == path)
