"""Unleashed request signing (apidocs.unleashedsoftware.com/AuthenticationHelp).

`api-auth-signature` = base64(HMAC-SHA256(key = the API key as UTF-8 text, message = the query string
without the leading "?")); no query string → sign "". The server re-computes it over the query string
it received, so the bot builds the query string itself and sends exactly those bytes.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode


def signature(query: str, api_key: str) -> str:
    digest = hmac.new(api_key.encode("utf-8"), query.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def query_string(params: Mapping[str, Any] | None) -> str:
    """`pageSize=200&productCode=SOUP%201L` — insertion order, spaces as %20, None dropped.

    Booleans go as true/false. The exact text matters: it is what gets signed.
    """
    pairs = [(key, _text(value)) for key, value in (params or {}).items() if value is not None]
    return urlencode(pairs, quote_via=quote)


def headers(*, api_id: str, api_key: str, client_type: str, query: str) -> dict[str, str]:
    return {
        "api-auth-id": api_id,
        "api-auth-signature": signature(query, api_key),
        "client-type": client_type,
        "Accept": "application/json",
        "Content-Type": "application/json",
    }


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
