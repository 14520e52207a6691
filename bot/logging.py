"""Log hygiene: no secret ever reaches a log line, whoever logged it; junk from outside is one line."""
from __future__ import annotations

import logging

from aiohttp.http_exceptions import HttpProcessingError

REDACTED = "[redacted]"


class SecretFilter(logging.Filter):
    """Replaces known secret values in every record, including third-party libraries' records."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        # Longest first so a secret containing another is fully replaced.
        self.secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        cleaned = scrub(message, self.secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks can quote request headers; render and scrub them now.
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info), self.secrets)
            record.exc_info = None
        return True


def scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


def install_secret_filter(secrets: list[str]) -> None:
    secret_filter = SecretFilter(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(secret_filter)


class MalformedRequests(logging.Filter):
    """aiohttp logs a request it cannot parse (garbage, a bad chunk size, two Content-Lengths, a TLS hello
    on the plain port) as an ERROR with a traceback, and answers it 400: anyone can send those, and none is
    our error. Such a record becomes one warning line."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError):
            record.msg, record.args = f"{record.getMessage()}: malformed HTTP refused ({type(error).__name__})", None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
        return True


def install_malformed_request_filter() -> None:
    server_log = logging.getLogger("aiohttp.server")
    if not any(isinstance(f, MalformedRequests) for f in server_log.filters):
        server_log.addFilter(MalformedRequests())
