"""What can go wrong when talking to Katana, as exceptions the floor commands can act on.

```
KatanaError(Exception)            .user_message (safe for floor staff), .status (HTTP status or None)
 ├ KatanaUnavailable              5xx after retries, timeouts, connection errors; .retryable = True
 │   └ KatanaOutcomeUnknown       a non-idempotent request (POST) may have reached Katana: the caller
 │                                must check Katana's state (e.g. find_production) before repeating it
 ├ KatanaRateLimited              still 429 after retries; .retry_after (seconds or None)
 ├ KatanaAuthError                401/403: the API key was refused
 ├ KatanaNotFound                 404
 └ KatanaRejected                 400/422; .problems: list[FieldProblem(path, code, message)]
WriteNotAllowed(Exception)        not sent: the caller's write gate said no (a floor action's worker
                                  that is no longer sure of its lease); nothing reached Katana
```

Safety: `user_message` and `str(exc)` are shown in Slack and written to logs, so they never contain
the Authorization header, the API key, a raw response body or a URL. Katana's own error text is kept in
`.katana_message` (truncated) for logs; the client scrubs the API key out of it before it gets here.

Katana sends error bodies in two shapes, `{"error": {statusCode, name, message, code, details}}` and the
same keys at top level; `error_from_response` reads both.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

_MAX_TEXT = 200  # Katana messages can echo input; keep what we repeat short.


@dataclass(frozen=True)
class FieldProblem:
    """One field Katana refused, e.g. path=".completed_quantity", code="minimum"."""

    path: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or 'request'}: {self.message or self.code}"


class KatanaError(Exception):
    retryable = False

    def __init__(self, user_message: str, *, status: int | None = None,
                 katana_message: str | None = None, code: str | None = None) -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.status = status
        self.katana_message = _short(katana_message)
        self.code = code

    def __str__(self) -> str:
        return self.user_message if self.status is None else f"{self.user_message} (HTTP {self.status})"


class KatanaUnavailable(KatanaError):
    retryable = True


class KatanaOutcomeUnknown(KatanaUnavailable):
    """The request may or may not have taken effect: look before repeating it."""


class KatanaRateLimited(KatanaError):
    retryable = True

    def __init__(self, user_message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(user_message, **kwargs)
        self.retry_after = retry_after


class KatanaAuthError(KatanaError):
    pass


class KatanaNotFound(KatanaError):
    pass


class WriteNotAllowed(Exception):
    """A write was not sent because the current write gate refused it (see client.write_gate)."""


class KatanaRejected(KatanaError):
    def __init__(self, user_message: str, *, problems: list[FieldProblem] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(user_message, **kwargs)
        self.problems = problems or []


AUTH_MESSAGE = "Katana refused the API key — ask an admin to check KATANA_API_KEY"
NOT_FOUND_MESSAGE = "Katana has no such record (it may have been deleted)"
UNAVAILABLE_MESSAGE = "Katana isn't answering right now — try again in a few minutes"
OUTCOME_UNKNOWN_MESSAGE = (
    "Katana didn't confirm the change; it may or may not have been saved — check Katana before repeating"
)
RATE_LIMITED_MESSAGE = "Katana is busy (too many requests) — try again in a minute"


def error_from_response(status: int, body: bytes, *, scrub: Any = None) -> KatanaError:
    """Map a non-2xx response (other than 429/5xx, which the client handles) to an exception."""
    payload = _error_payload(body)
    message = _text(payload.get("message"), scrub)
    code = _text(payload.get("code"), scrub) or None
    said = message or None
    if status in (401, 403):
        return KatanaAuthError(AUTH_MESSAGE, status=status, katana_message=said, code=code)
    if status == 404:
        return KatanaNotFound(NOT_FOUND_MESSAGE, status=status, katana_message=said, code=code)
    if status in (400, 422):
        problems = _problems(payload.get("details"), scrub)
        return KatanaRejected(_rejection_message(message, problems), problems=problems, status=status,
                              katana_message=said, code=code)
    return KatanaError(f"Katana refused the request{': ' + message if message else ''}", status=status,
                       katana_message=said, code=code)


def _error_payload(body: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(body) if body else {}
    except (ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(parsed, dict):
        return {}
    nested = parsed.get("error")
    return nested if isinstance(nested, dict) else parsed


def _problems(details: Any, scrub: Any) -> list[FieldProblem]:
    if not isinstance(details, list):
        return []
    return [
        FieldProblem(path=_text(d.get("path"), scrub), code=_text(d.get("code"), scrub),
                     message=_text(d.get("message"), scrub))
        for d in details
        if isinstance(d, dict)
    ]


def _rejection_message(message: str, problems: list[FieldProblem]) -> str:
    if problems:
        listed = "; ".join(str(p) for p in problems[:3])
        more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
        return _short(f"Katana rejected the request — {listed}{more}") or ""
    return _short(f"Katana rejected the request{': ' + message if message else ''}") or ""


def _text(value: Any, scrub: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    if scrub is not None:
        text = scrub(text)
    return _short(text) or ""


def _short(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"
