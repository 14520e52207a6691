"""What can go wrong with the Selling Partner API, as exceptions with messages safe to show in Slack.

```
AmazonError(Exception)        .user_message, .status, .code (Amazon's error code), .request_id
 ├ AmazonUnavailable          5xx after retries, timeouts, connection errors
 ├ AmazonRateLimited          429 QuotaExceeded after retries
 ├ AmazonAuthError            LWA refused the refresh token / client, or SP-API 403 after a fresh token
 └ AmazonRejected             other 4xx (400 InvalidInput, 404 NotFound)
```
SP-API error bodies are `{"errors": [{"code", "message", "details"}]}`; LWA's are OAuth's
`{"error", "error_description"}`. Neither token nor secret ever appears in a message.
"""
from __future__ import annotations

import json
from typing import Any

_MAX_TEXT = 200

LWA_MESSAGE = ("Amazon's login (LWA) refused the credentials — check AMAZON_LWA_CLIENT_ID, "
               "AMAZON_LWA_CLIENT_SECRET and AMAZON_REFRESH_TOKEN (the seller may have revoked the app)")
FORBIDDEN_MESSAGE = ("Amazon refused access — the app may lack the Inventory/Orders role for this seller, "
                     "or AMAZON_MARKETPLACE_ID is not one of the seller's marketplaces")
UNAVAILABLE_MESSAGE = "Amazon's Selling Partner API isn't answering right now — the next sync will try again"
RATE_LIMITED_MESSAGE = "Amazon is throttling us (QuotaExceeded) — the next sync will try again"


class AmazonError(Exception):
    def __init__(self, user_message: str, *, status: int | None = None, code: str | None = None,
                 detail: str | None = None, request_id: str | None = None) -> None:
        super().__init__(user_message)
        self.user_message, self.status, self.code = user_message, status, code
        self.detail, self.request_id = _short(detail), request_id

    def __str__(self) -> str:
        return self.user_message if self.status is None else f"{self.user_message} (HTTP {self.status})"


class AmazonUnavailable(AmazonError):
    pass


class AmazonRateLimited(AmazonError):
    pass


class AmazonAuthError(AmazonError):
    pass


class AmazonRejected(AmazonError):
    pass


def sp_api_error(status: int, body: bytes, request_id: str | None, *, scrub: Any) -> AmazonError:
    code, message = first_error(body)
    common = {"status": status, "code": code or None, "detail": scrub(message), "request_id": request_id}
    if status in (401, 403):
        return AmazonAuthError(FORBIDDEN_MESSAGE, **common)
    text = f"Amazon refused the request{': ' + _short(scrub(message)) if message else ''}"
    return AmazonRejected(text, **common)


def first_error(body: bytes) -> tuple[str, str]:
    try:
        parsed = json.loads(body) if body else {}
    except (ValueError, UnicodeDecodeError):
        return "", ""
    errors = parsed.get("errors") if isinstance(parsed, dict) else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return str(errors[0].get("code") or ""), str(errors[0].get("message") or "")
    if isinstance(parsed, dict) and parsed.get("error"):  # LWA / OAuth shape
        return str(parsed["error"]), str(parsed.get("error_description") or "")
    return "", ""


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"
