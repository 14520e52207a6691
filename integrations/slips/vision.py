"""The vision reader: the packing-slip photo read by an Anthropic model through the Messages API.

One request per photo: the image block, then the instructions, and a JSON schema as structured output
so the answer is the PackingSlip shape and nothing else. The model is told that everything in the
image is data to transcribe; on top of that its answer is only ever turned into lines for a person to
confirm, with bounded values (a "quantity" of 10^9 or a 5 000-character "description" is not kept).

Busy answers (429 with retry-after, 529 overloaded, 5xx, timeouts) are retried with backoff while the
caller's patience lasts; a spend limit or a refused request is not retried (it cannot succeed soon).
Either way the caller gets VisionUnavailable and reads the slip offline instead.
"""
from __future__ import annotations

import asyncio
import base64
import json
import logging
import random
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import anthropic

from integrations.backoff import full_jitter, parse_retry_after
from integrations.slips import vocab
from integrations.slips.images import Photo, prepare_photo
from integrations.slips.vision_schema import PROMPT, SLIP_SCHEMA
from models.packing_slip import PackingSlip, Read, SlipLine

log = logging.getLogger(__name__)
MAX_LINES = 100
MAX_QUANTITY = Decimal("10000000")
SPEND_LIMIT_CODES = frozenset({"enforced_spend_limit_reached", "contract_spend_limit_reached"})


class VisionUnavailable(Exception):
    """The model could not read this slip now; `str()` is a short reason fit for the receipt's notes."""


class VisionSlipReader:
    name = "anthropic"

    def __init__(self, *, api_key: str, model: str, base_url: str | None = None, max_tokens: int = 4096,
                 backoff_base: float = 1.0, backoff_cap: float = 8.0, rng: random.Random | None = None) -> None:
        self.model, self.max_tokens = model, max_tokens
        self.backoff_base, self.backoff_cap = backoff_base, backoff_cap
        self.rng = rng or random.Random()
        # max_retries=0: the SDK's own retries would ignore our patience and retry spend limits.
        self.client = anthropic.AsyncAnthropic(api_key=api_key, base_url=base_url, max_retries=0, timeout=60.0)

    async def aclose(self) -> None:
        await self.client.close()

    async def read(self, image: bytes | Photo, *, patience: float = 20.0) -> PackingSlip:
        # Decoding and scaling a 12 MP photo is CPU work too: off the event loop. SlipImageError propagates.
        photo = await asyncio.to_thread(prepare_photo, image)
        content = [{"type": "image", "source": {"type": "base64", "media_type": photo.media_type,
                                                "data": base64.b64encode(photo.content).decode("ascii")}},
                   {"type": "text", "text": PROMPT}]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + patience
        attempt, reason = 0, "vision model did not answer in time"
        while True:
            attempt += 1
            remaining = deadline - loop.time()
            if remaining <= 0.5:
                raise VisionUnavailable(reason)
            try:
                request: dict[str, Any] = {
                    "model": self.model, "max_tokens": self.max_tokens, "timeout": remaining,
                    "messages": [{"role": "user", "content": content}],
                    "output_config": {"format": {"type": "json_schema", "schema": SLIP_SCHEMA}}}
                message = await self.client.messages.create(**request)
                return to_slip(message)
            except anthropic.APIStatusError as exc:
                wait, reason = self._wait_after(exc, attempt)
            except (anthropic.APIConnectionError, anthropic.APITimeoutError):  # timeout is a connection error
                wait, reason = self._backoff(attempt), "vision model unreachable"
            if loop.time() + wait >= deadline:
                raise VisionUnavailable(reason)
            log.info("vision model: %s; retrying in %.1f s", reason, wait)
            await asyncio.sleep(wait)

    def _wait_after(self, exc: anthropic.APIStatusError, attempt: int) -> tuple[float, str]:
        code = _error_code(exc)
        if exc.status_code == 429 and code in SPEND_LIMIT_CODES:
            raise VisionUnavailable("vision model spend limit reached") from None
        if exc.status_code == 429:
            after = parse_retry_after(exc.response.headers.get("retry-after"))
            return (after if after is not None else self._backoff(attempt)), "vision model rate-limited"
        if exc.status_code == 529 or exc.status_code >= 500:
            return self._backoff(attempt), "vision model overloaded" if exc.status_code == 529 else "vision model error"
        # 400 (including a spend limit set in the console), 401, 403, 404, 413: retrying cannot help
        raise VisionUnavailable(f"vision model refused the request (HTTP {exc.status_code})") from None

    def _backoff(self, attempt: int) -> float:
        return full_jitter(attempt, base=self.backoff_base, cap=self.backoff_cap, rng=self.rng,
                           at_least=self.backoff_base / 4)


def _error_code(exc: anthropic.APIStatusError) -> str | None:
    code = getattr(exc, "error_code", None)
    if isinstance(code, str):
        return code
    body = exc.body if isinstance(exc.body, dict) else {}
    details = (body.get("error") or {}).get("details") or {}
    return details.get("error_code") if isinstance(details, dict) else None


def to_slip(message: Any) -> PackingSlip:
    """The structured answer → PackingSlip; text blocks are selected by type, anything else ignored."""
    if getattr(message, "stop_reason", None) in ("max_tokens", "refusal"):
        raise VisionUnavailable(f"vision model stopped early ({message.stop_reason})")
    text = "".join(block.text for block in message.content if getattr(block, "type", None) == "text")
    try:
        data = json.loads(text)
    except ValueError:
        raise VisionUnavailable("vision model answered something other than the slip's JSON") from None
    if not isinstance(data, dict):
        raise VisionUnavailable("vision model answered something other than the slip's JSON")
    lines = [_line(item) for item in (data.get("lines") or [])[:MAX_LINES] if isinstance(item, dict)]
    return PackingSlip(supplier=_text(data.get("supplier"), 120), po_number=_text(data.get("po_number"), 64),
                       slip_date=_date(data.get("slip_date")), lines=lines, reader="anthropic")


def _line(item: dict[str, Any]) -> SlipLine:
    return SlipLine(sku=_text(item.get("sku"), 64), description=_text(item.get("description"), 200),
                    quantity=_quantity(item.get("quantity")), unit=_unit(item.get("unit")),
                    lot=_text(item.get("lot"), 64), expiry=_date(item.get("expiry")))


def _field(raw: Any) -> tuple[Any, float]:
    """A field's value and the model's confidence in it. A confidence that is not a number from 0 to 1
    (missing, a word, `true`, 85 on a percent scale, NaN) is no confidence at all: the value is marked,
    never clamped up to 1.0."""
    if not isinstance(raw, dict):
        return None, 0.0
    stated: Any = raw.get("confidence")
    try:
        confidence = float(stated) if not isinstance(stated, bool) else -1.0
    except (TypeError, ValueError):
        confidence = -1.0
    return raw.get("value"), confidence if 0.0 <= confidence <= 1.0 else 0.0


def _text(raw: Any, limit: int) -> Read[Any]:
    value, confidence = _field(raw)
    if not isinstance(value, str) or not value.strip():
        return Read()
    value = " ".join(value.split())
    return Read(value=value[:limit], confidence=confidence if len(value) <= limit else 0.0)


def _quantity(raw: Any) -> Read[Any]:
    value, confidence = _field(raw)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return Read()
    if not number.is_finite() or number <= 0 or number >= MAX_QUANTITY:
        return Read()  # not a delivered quantity, whatever the slip (or a line on it) says
    return Read(value=number, confidence=confidence)


def _unit(raw: Any) -> Read[Any]:
    value, confidence = _field(raw)
    if not isinstance(value, str):
        return Read()
    unit = vocab.normalise_unit(value)
    return Read(value=unit, confidence=confidence) if unit else Read(value=value[:16], confidence=min(confidence, 0.3))


def _date(raw: Any) -> Read[Any]:
    value, confidence = _field(raw)
    try:
        return Read(value=date.fromisoformat(str(value)), confidence=confidence) if value else Read()
    except ValueError:
        return Read()
