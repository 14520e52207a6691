"""Reading a /receive confirmation: what the operator entered, checked against the PO before anything is saved.

Returns the receipt to record, or None when the view must be shown again (another PO was chosen, or a
line is more than its PO row has left and nobody has said yet whether to receive the extra). Field
errors collect in the form. Quantities only ever come from the form, and every one is checked against
what the chosen PO row still has to come.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from commands.fields import Form, read_quantity
from commands.receiving.state import LineEntry, ReceiveState, changes, doubtful_fields, entries_for, room_left
from commands.receiving.views import SKIP, amount


def read_entries(form: Form, state: ReceiveState) -> list[LineEntry]:
    """Each line as entered; only lines to be received have their fields checked (a skipped line's odd
    lot text must not block the others)."""
    order = state.order
    allowed = {str(r.row_id) for r in order.rows} | {SKIP} if order else {SKIP}
    entries = []
    for index in range(1, len(state.lines) + 1):
        row = form.choice(f"row_{index}", "PO row", allowed)
        received = row is not None and row != SKIP
        entries.append(LineEntry(
            row_id=int(row) if received and row is not None else None,
            quantity=form.quantity(f"qty_{index}", "quantity received", required=False) if received
            else lenient_quantity(form.raw(f"qty_{index}")),
            lot=form.code(f"lot_{index}", "lot", required=False, max_len=40) if received
            else (str(form.raw(f"lot_{index}") or "").strip()[:40] or None),
            expiry=read_expiry(form, index),
            checked=ticked(form, f"ok_{index}"),
            over=over if (over := form.raw(f"over_{index}")) in ("left", "all") else None))
    return entries


def ticked(form: Form, block_id: str) -> bool:
    """A one-box "I checked …" checkbox block, ticked."""
    block = form.values.get(block_id)
    element = block.get(block_id) if isinstance(block, dict) else None
    return isinstance(element, dict) and bool(element.get("selected_options"))


def lenient_quantity(raw: Any) -> Any:
    problem, value = read_quantity(str(raw or ""))
    return None if problem else value


def read_expiry(form: Form, index: int) -> date | None:
    raw = form.raw(f"exp_{index}")
    try:
        return date.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        form.errors.add(f"exp_{index}", "Choose the date from the calendar.")
        return None


def read_confirmation(form: Form, state: ReceiveState, inputs: set[str],
                      suggested_rows: list[int | None]) -> dict[str, Any] | None:
    state.banner = None
    po = form.choice("po", "purchase order", {str(o.po_id) for o in state.orders})
    if po is None:
        return None
    entries = read_entries(form, state)
    if int(po) != state.po_id:  # matched again against the PO the operator chose, keeping what they typed
        state.po_id, state.note, state.po_to_check = int(po), "You chose this PO.", False
        state.entries = entries_for(state.lines, state.order, kept=entries)
        state.banner = f"The lines are matched to {state.order.order_no if state.order else 'that PO'} now: check them."
        form.errors.errors.clear()
        return None
    state.entries = entries
    if state.po_to_check and not ticked(form, "po_ok"):
        form.errors.add("po_ok", "The PO number was hard to read: check it on the slip and tick the box "
                                 "(or choose the right PO above).")
    check_lines(form, state, inputs)
    if form.errors or state.banner:
        return None
    return receipt(state, suggested_rows)


def check_lines(form: Form, state: ReceiveState, inputs: set[str]) -> None:
    order = state.order
    lines_over = []
    lines = zip(state.lines, state.entries, room_left(state), strict=False)
    for index, (line, entry, room) in enumerate(lines, start=1):
        row = order.row(entry.row_id) if order else None
        if row is None:
            continue
        if entry.quantity is None:
            form.errors.add(f"qty_{index}", "Enter the quantity received (or choose “don't receive it”).")
            continue
        if row.tracked and not entry.lot:
            form.errors.add(f"lot_{index}", f"{row.name or row.sku} is tracked by batch: enter the lot from the slip.")
        unconfirmed = [f for f in doubtful_fields(line) if unchanged(f, line, entry)]
        if unconfirmed and not entry.checked:
            form.errors.add(f"ok_{index}" if f"ok_{index}" in inputs else f"qty_{index}",
                            f"The {', '.join(unconfirmed)} was hard to read: check it on the slip and tick the box.")
        if room is not None and entry.quantity > room and entry.over is None:
            lines_over.append(f"line {index}: {amount(entry.quantity)} is more than the {amount(room)} left")
            if f"over_{index}" in inputs:
                form.errors.add(f"over_{index}", "Choose whether to receive the extra.")
    if not any(e.row_id is not None for e in state.entries):
        form.errors.add("row_1", "Nothing to receive: match at least one line to a PO row.")
    if lines_over and not form.errors:
        state.banner = f"More than {order.order_no if order else 'the PO'} has left — {'; '.join(lines_over)}. " \
                       "Choose below what to receive."


def unchanged(field: str, line: Any, entry: LineEntry) -> bool:
    read = {"quantity": (line.quantity.value, entry.quantity), "lot": (line.lot.value, entry.lot),
            "expiry": (line.expiry.value, entry.expiry)}.get(field)
    return True if read is None else read[0] == read[1]  # SKU, description, unit: confirmed by ticking only


def receipt(state: ReceiveState, suggested_rows: list[int | None]) -> dict[str, Any]:
    order = state.order
    assert order is not None  # read_confirmation chose it
    lines: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    read = zip(state.lines, state.entries, room_left(state), strict=False)
    for index, (line, entry, room) in enumerate(read, start=1):
        row = order.row(entry.row_id)
        if row is None or entry.quantity is None:
            skipped.append({"line": index, "sku": line.sku.value, "description": line.description.value})
            continue
        quantity = min(entry.quantity, room) if entry.over == "left" and room is not None else entry.quantity
        if quantity <= 0:
            skipped.append({"line": index, "sku": line.sku.value, "description": line.description.value})
            continue
        lines.append({"line": index, "row_id": row.row_id, "variant_id": row.variant_id, "sku": row.sku,
                      "name": row.name, "uom": row.uom, "tracked": row.tracked, "quantity": quantity,
                      "lot": entry.lot, "expiry": entry.expiry.isoformat() if entry.expiry else None,
                      "over_receipt": room is not None and quantity > room})
    return {"po_id": order.po_id, "order_no": order.order_no, "supplier": order.supplier,
            "location_id": order.location_id, "lines": lines, "skipped": skipped,
            "changes": changes(state, suggested_rows), "photo": state.photo.model_dump(),
            "reader": state.slip.reader, "extraction": state.slip.model_dump(mode="json")}

