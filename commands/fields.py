"""Reading what floor staff typed: one rule per kind of field, each refusal naming the field.

A `FieldErrors` collects problems keyed by the modal's block id, which is exactly what Slack
needs for `response_action: errors` to show the message under the offending input.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_QUANTITY = Decimal("1000000")
MAX_DECIMALS = 5  # Katana's smallest quantity is 1e-05
MAX_MINUTES = 24 * 60
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/#-]*$")


class FieldErrors(Exception):
    def __init__(self) -> None:
        super().__init__("invalid input")
        self.errors: dict[str, str] = {}

    def add(self, block_id: str, message: str) -> None:
        self.errors.setdefault(block_id, message)

    def __bool__(self) -> bool:
        return bool(self.errors)


class Form:
    """The submitted values of one modal, read by block id; problems collect in `errors`. `context` is what
    the modal was opened with (its private_metadata), e.g. what a prefilled input started as."""

    def __init__(self, state_values: dict[str, Any], context: dict[str, Any] | None = None) -> None:
        self.values = state_values if isinstance(state_values, dict) else {}
        self.context = context or {}
        self.errors = FieldErrors()

    def raw(self, block_id: str) -> Any:
        """The element's value, whatever its type (text, number, select, date); None for anything not
        shaped as Slack sends it (a modified client can send a number, a list or null anywhere)."""
        block = self.values.get(block_id)
        element = next(iter(block.values()), None) if isinstance(block, dict) else None
        if not isinstance(element, dict):
            return None
        if "selected_option" in element:
            option = element["selected_option"]
            value = option.get("value") if isinstance(option, dict) else None
        else:
            value = next((element[key] for key in ("value", "selected_date", "selected_user") if key in element), None)
        return value if isinstance(value, str | int | float) and not isinstance(value, bool) else None

    def text(self, block_id: str, label: str, *, required: bool = True, max_len: int = 60) -> str | None:
        value = (self.raw(block_id) or "").strip() if isinstance(self.raw(block_id), str) else None
        if not value:
            if required:
                self.errors.add(block_id, f"Enter the {label}.")
            return None
        if len(value) > max_len:
            self.errors.add(block_id, f"{label.capitalize()} is too long (at most {max_len} characters).")
            return None
        return value

    def code(self, block_id: str, label: str, *, required: bool = True, max_len: int = 40) -> str | None:
        """Batch numbers, crate ids: short codes printed on labels, so no odd characters."""
        value = self.text(block_id, label, required=required, max_len=max_len)
        if value is not None and not CODE_PATTERN.match(value):
            self.errors.add(block_id, f"{label.capitalize()} may use letters, digits, spaces and . _ / # - only.")
            return None
        return value

    def quantity(self, block_id: str, label: str = "quantity", *, required: bool = True,
                 allow_zero: bool = False) -> Decimal | None:
        raw = self.raw(block_id)
        if raw is None or str(raw).strip() == "":
            if required:
                self.errors.add(block_id, f"Enter the {label}.")
            return None
        problem, value = read_quantity(str(raw), allow_zero=allow_zero)
        if problem:
            self.errors.add(block_id, problem.format(label=label))
        return value

    def minutes(self, block_id: str, label: str = "time spent") -> int | None:
        """Optional whole minutes; Katana wants seconds, the floor thinks in minutes."""
        raw = self.raw(block_id)
        if raw is None or str(raw).strip() == "":
            return None
        try:
            value = Decimal(str(raw).strip().replace(",", "."))
        except InvalidOperation:
            self.errors.add(block_id, f"Enter the {label} in minutes, e.g. 45.")
            return None
        if not value.is_finite() or value < 0 or value > MAX_MINUTES:
            self.errors.add(block_id, f"The {label} must be between 0 and {MAX_MINUTES} minutes.")
            return None
        return int(value.to_integral_value())

    def choice(self, block_id: str, label: str, allowed: set[str] | None) -> str | None:
        value = self.raw(block_id)
        if not value:
            self.errors.add(block_id, f"Choose the {label}.")
            return None
        if allowed is not None and str(value) not in allowed:
            self.errors.add(block_id, f"That {label} is not open any more: choose one from the list.")
            return None
        return str(value)


def read_quantity(raw: str, *, allow_zero: bool = False) -> tuple[str | None, Decimal | None]:
    """(problem, value): accepts `12`, `12.5` and the European `12,5`; refuses the rest plainly."""
    text = raw.strip().replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", text):
        return "The {label} must be a number, e.g. 120 or 12.5.", None
    value = Decimal(text)
    if value < 0 or (value == 0 and not allow_zero):
        return "The {label} must be more than 0.", None
    if value > MAX_QUANTITY:
        return "The {label} is too large (at most 1,000,000).", None
    if -value.as_tuple().exponent > MAX_DECIMALS:  # type: ignore[operator]
        return f"The {{label}} can have at most {MAX_DECIMALS} decimals.", None
    return None, value.to_integral_value() if value == value.to_integral_value() else value.normalize()
