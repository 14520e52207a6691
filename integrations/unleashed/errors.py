"""What can go wrong when talking to Unleashed, as exceptions with messages safe to show in Slack.

```
UnleashedError(Exception)        .user_message (no key, no signature, no body), .status
 ├ UnleashedUnavailable          5xx after retries, timeouts, connection errors
 ├ UnleashedRateLimited          still 429 after retries
 ├ UnleashedAuthError            401/403: id/key/signature refused — or the monthly quota is used up
 └ UnleashedRejected             other 4xx (400 bad filter, 404 unknown resource)
```
403 is not retried: a refused signature stays refused, and every retry spends the monthly quota.
"""
from __future__ import annotations

import json
from typing import Any

_MAX_TEXT = 200


class UnleashedError(Exception):
    def __init__(self, user_message: str, *, status: int | None = None, detail: str | None = None) -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.status = status
        self.detail = _short(detail)  # Unleashed's own words, for logs

    def __str__(self) -> str:
        return self.user_message if self.status is None else f"{self.user_message} (HTTP {self.status})"


class UnleashedUnavailable(UnleashedError):
    pass


class UnleashedRateLimited(UnleashedError):
    pass


class UnleashedAuthError(UnleashedError):
    pass


class UnleashedRejected(UnleashedError):
    pass


AUTH_MESSAGE = ("Unleashed refused the request — check UNLEASHED_API_ID and UNLEASHED_API_KEY; if they are right, "
                "the account's monthly API quota may be used up (calls are blocked until the 1st, UTC)")
UNAVAILABLE_MESSAGE = "Unleashed isn't answering right now — the next sync will try again"
RATE_LIMITED_MESSAGE = "Unleashed is throttling us (too many requests) — the next sync will try again"


def error_from_response(status: int, body: bytes, *, scrub: Any) -> UnleashedError:
    detail = scrub(_message(body))
    if status in (401, 403):
        return UnleashedAuthError(AUTH_MESSAGE, status=status, detail=detail)
    if status == 404:
        return UnleashedRejected("Unleashed has no such resource", status=status, detail=detail)
    return UnleashedRejected(f"Unleashed refused the request{': ' + _short(detail) if detail else ''}",
                             status=status, detail=detail)


def _message(body: bytes) -> str:
    """Unleashed error bodies are not specified; take a `description`/`message` field if there is one."""
    try:
        parsed = json.loads(body) if body else None
    except (ValueError, UnicodeDecodeError):
        return ""
    if isinstance(parsed, dict):
        for key in ("description", "Description", "message", "Message"):
            if parsed.get(key):
                return str(parsed[key])
    return ""


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"
