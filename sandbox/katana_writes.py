"""POST/PATCH/DELETE endpoints of the sandbox Katana. Creates answer 200 (not 201), as Katana does."""

from __future__ import annotations

import secrets

from . import katana_floor as floor
from .katana_http import ApiAnswer, not_found, parse_moment, unprocessable
from .katana_reads import ApiCall, Handler
from .katana_state import KatanaBooks

BATCH_DATE_FIELDS = ("batch_created_date", "expiration_date")


def patch_manufacturing_order(books: KatanaBooks, call: ApiCall) -> ApiAnswer:
    return ApiAnswer(200, floor.update_manufacturing_order(books, call.id(), call.body))


def patch_operation_row(books: KatanaBooks, call: ApiCall) -> ApiAnswer:
    return ApiAnswer(200, floor.update_operation_row(books, call.id(), call.body))


def post_production(books: KatanaBooks, call: ApiCall) -> ApiAnswer:
    return ApiAnswer(200, floor.record_production(books, call.body))


def delete_production(books: KatanaBooks, call: ApiCall) -> ApiAnswer:
    floor.delete_production(books, call.id())
    return ApiAnswer(204, None)  # readme-portal.yaml: 204, no body


def post_batch(books: KatanaBooks, call: ApiCall) -> ApiAnswer:
    body = call.body
    variant_id = int(body["variant_id"])
    if variant_id not in books.variants:
        raise not_found()
    if any(b["variant_id"] == variant_id and b["batch_number"] == body["batch_number"]
           for b in books.batches.values()):
        raise unprocessable(".batch_number", f"batch {body['batch_number']!r} already exists for this "
                            "variant", "unique")
    dates = _batch_dates(body)
    batch = create_batch(books, variant_id, body["batch_number"], body.get("batch_barcode"))
    batch.update(dates)
    return ApiAnswer(200, batch)


def create_batch(books: KatanaBooks, variant_id: int, batch_number: str,
                 batch_barcode: str | None = None) -> dict:
    now = books.now()
    batch = {"id": books.next_id(books.batches, 1), "batch_number": batch_number,
             "variant_id": variant_id, "batch_barcode": batch_barcode,
             "batch_created_date": now, "expiration_date": None, "created_at": now, "updated_at": now}
    books.batches[batch["id"]] = batch
    return batch


def patch_batch_stock(books: KatanaBooks, call: ApiCall) -> ApiAnswer:
    """PATCH /batch_stocks/{id}: the id is the batch's; the body edits the batch (UpdateBatchDto)."""
    batch = books.batches.get(call.id())
    if batch is None:
        raise not_found()
    dates = _batch_dates(call.body)  # checked before anything changes
    for key in ("batch_number", "batch_barcode"):
        if key in call.body:
            batch[key] = call.body[key]
    batch.update(dates)
    books.touch(batch)
    return ApiAnswer(200, batch)


def _batch_dates(body: dict) -> dict:
    return {key: None if body[key] is None else parse_moment(body[key], f".{key}")
            for key in BATCH_DATE_FIELDS if key in body}


def register_webhook(books: KatanaBooks, url: str, events: list[str], token: str | None = None,
                     description: str = "", enabled: bool = True) -> dict:
    """A webhook record as POST /webhooks returns it; `token` is the signing secret."""
    now = books.now()
    hook = {"id": books.next_id(books.webhooks, 1), "url": url, "enabled": enabled,
            "description": description, "subscribed_events": list(events),
            "token": token or secrets.token_hex(8), "created_at": now, "updated_at": now}
    books.webhooks[hook["id"]] = hook
    return hook


def post_webhook(books: KatanaBooks, call: ApiCall) -> ApiAnswer:
    body = call.body
    hook = register_webhook(books, body["url"], body["subscribed_events"],
                            description=body.get("description", ""), enabled=body.get("enabled", True))
    return ApiAnswer(200, hook)


def patch_webhook(books: KatanaBooks, call: ApiCall) -> ApiAnswer:
    hook = books.require(books.webhooks, call.id())
    for key in ("url", "enabled", "description", "subscribed_events"):
        if key in call.body:
            hook[key] = call.body[key]
    books.touch(hook)
    return ApiAnswer(200, hook)


def delete_webhook(books: KatanaBooks, call: ApiCall) -> ApiAnswer:
    books.require(books.webhooks, call.id())
    del books.webhooks[call.id()]
    return ApiAnswer(204, None)


WRITE_ROUTES: list[tuple[str, str, Handler]] = [
    ("PATCH", "/manufacturing_orders/{id}", patch_manufacturing_order),
    ("PATCH", "/manufacturing_order_operation_rows/{id}", patch_operation_row),
    ("POST", "/manufacturing_order_productions", post_production),
    ("DELETE", "/manufacturing_order_productions/{id}", delete_production),
    ("POST", "/batches", post_batch),
    ("PATCH", "/batch_stocks/{id}", patch_batch_stock),
    ("POST", "/webhooks", post_webhook),
    ("PATCH", "/webhooks/{id}", patch_webhook),
    ("DELETE", "/webhooks/{id}", delete_webhook),
]
