"""The shape every floor command shares, and the input blocks they are built from.

A command is declared, not coded: its form, how a submission is read, the plan of Katana steps,
the note it leaves on the MO and what it hands over to the next stage (see cook.py, label.py,
pack.py). The flow that runs them lives once, in flow.py; the recorder runs the plan.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic

from slack_sdk.models.blocks import (
    DatePickerElement,
    ExternalDataSelectElement,
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
)

from commands.context import Floor
from commands.fields import Form
from commands.orders import OrderList
from commands.plan import F, Step
from models.actions import FloorAction
from models.base import whole_number
from models.open_orders import OpenOrder
from models.tasks import ProductionTask

MIN_QUERY_LENGTH = 1  # Slack asks for options from the first character typed
MAX_OPTIONS = 100  # Slack's limit for a select's options


@dataclass
class Prefill:
    """What the modal opens with: what the order field offers, the order it starts on (from a task or
    typed after the command), and the task it was opened from."""

    orders: OrderList | None = None  # None: the field offers only `chosen`
    task: ProductionTask | None = None
    minutes: int | None = None  # elapsed since the task was started, when known
    chosen: OpenOrder | None = None
    warning: str | None = None  # said above the form (a typed order number that is not open)
    extra: dict[str, Any] = field(default_factory=dict)  # what the command's `prepare` found (e.g. a recipe)

    @property
    def mo_id(self) -> int | None:
        return self.chosen.order_id if self.chosen else (self.task.mo_id if self.task else None)


Opener = Callable[..., Awaitable[None]]  # (floor, command, *, trigger_id, channel_id, task) → the first modal
Submitter = Callable[..., Awaitable[None]]  # (floor, recorder, command, ack, submission) → saved, or field errors


def no_blocks(prefill: Prefill) -> list[InputBlock]:
    return []


def read_nothing(form: Form, offered: set[str] | None) -> dict[str, Any]:
    return {}


def no_note(facts: Any, action: FloorAction) -> str | None:
    """/ship and /receive write nothing on an MO: their order keeps its own record."""
    return None


def no_handover(facts: Any) -> dict[str, Any]:
    return {}


def no_metadata(prefill: Prefill) -> dict[str, Any]:
    return {}


Preparer = Callable[[Floor, ProductionTask], Awaitable[dict[str, Any]]]  # → Prefill.extra, from the store only
# (floor, form, what was read) → field errors added to the form; may complete what was read. Runs before Slack's
# ack, so it must keep to a deadline and let the submission through when it cannot tell (commands.batch_stock).
Checker = Callable[[Floor, Form, dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class FloorCommand(Generic[F]):
    """One floor command, declared: its form, how a submission is read, its plan of steps, the note it
    leaves on the MO, what it hands over to the next stage and how its outcome is worded.
    /ship and /receive have a stage before their form: they bring their own `opens` and `submits`."""

    name: str  # the slash command without "/"
    title: str  # modal title, ≤ 24 characters
    stage: str  # the task kind this command completes
    facts: type[F]
    plan: tuple[Step[F], ...]
    headline: Callable[[F], tuple[str, list[str]]]  # mrkdwn: the line and its facts, data escaped
    link: Callable[[Floor, F], str]  # "Open … in Katana"
    help: str = ""
    blocks: Callable[[Prefill], list[InputBlock]] = no_blocks
    read: Callable[[Form, set[str] | None], dict[str, Any]] = read_nothing  # (form, MO ids the modal offered)
    note: Callable[[F, FloorAction], str | None] = no_note
    handover: Callable[[F], dict[str, Any]] = no_handover
    other_plans: tuple[tuple[Step[F], ...], ...] = ()  # e.g. /ship to Amazon FBA
    opens: Opener | None = None  # None: the shared form (commands.flow)
    submits: Submitter | None = None
    scrap: bool = False  # asks for a scrap quantity and reason
    undoable: bool = False  # its confirmation carries the author's Undo
    # Opened from a task: what else the form shows, read from the bot's store (never Katana: the trigger
    # lives 3 s), and what of it the submission needs back (the modal's private_metadata, ≤ 3000 chars).
    prepare: Preparer | None = None
    metadata: Callable[[Prefill], dict[str, Any]] = no_metadata
    # A look at Katana's current state before the action is saved (what it finds is said at the field, and
    # nothing is written): advice within a deadline, never a read the recording relies on.
    check: Checker | None = None
    # commands.claiming, "the same facts twice": which parts of what was entered make two entries the same
    # (each set on its own; None: everything entered) and how the earlier entry is recalled to the person.
    same_facts: Callable[[dict[str, Any]], list[dict[str, Any]]] | None = None
    recap: Callable[[dict[str, Any]], str] | None = None  # plain text, escaped where it is shown
    # What only one recording at a time may touch (/ship: its sales order), as a claim key; None: no such thing.
    one_at_a_time: Callable[[dict[str, Any]], str | None] | None = None

    @property
    def callback_id(self) -> str:
        return f"{self.name}_form"

    def facts_of(self, action: FloorAction) -> F:
        return self.facts.model_validate({**action.input, **action.results()})

    def step(self, name: str) -> Step[F]:
        """The plan step an action saved under `name`."""
        for plan in (self.plan, *self.other_plans):
            for each in plan:
                if each.name == name:
                    return each
        raise KeyError(f"/{self.name} has no step {name!r}")

    def steps_of(self, action: FloorAction) -> list[Step[F]]:
        return [self.step(s.id) for s in action.steps]


def order_options(orders: Sequence[OpenOrder]) -> list[Option]:
    return [Option(value=str(o.order_id), text=o.label or o.order_no) for o in orders]


def order_element(action_id: str, placeholder: str, orders: OrderList | None,
                  chosen: OpenOrder | None) -> StaticSelectElement | ExternalDataSelectElement:
    """A plain select of every open order when they fit in one, else a type-ahead select whose options
    the store's search answers (bot/listeners/options.py); either starts on `chosen`."""
    initial = order_options([chosen])[0] if chosen else None
    if orders is not None and orders.searchable:
        return ExternalDataSelectElement(action_id=action_id, placeholder=placeholder, initial_option=initial,
                                     min_query_length=MIN_QUERY_LENGTH)
    listed = list(orders.choices or []) if orders is not None else []
    if chosen is not None and all(o.order_id != chosen.order_id for o in listed):
        listed = [chosen, *listed][:MAX_OPTIONS]
    options = order_options(listed)
    initial = next((o for o in options if initial and o.value == initial.value), None)
    return StaticSelectElement(action_id=action_id, placeholder=placeholder, options=options, initial_option=initial)


def order_select(prefill: Prefill) -> InputBlock:
    hint = "Type part of the MO number, SKU or product." if prefill.orders and prefill.orders.searchable else None
    return InputBlock(block_id="mo", label="Manufacturing order", hint=hint, element=order_element(
        "mo", "Choose the MO", prefill.orders, prefill.chosen))


def quantity_input(block_id: str, label: str, initial: Decimal | None = None, hint: str | None = None) -> InputBlock:
    return InputBlock(block_id=block_id, label=label, hint=hint, element=NumberInputElement(
        action_id=block_id, is_decimal_allowed=True, min_value="0",
        initial_value=f"{initial:f}" if initial is not None else None))


def code_input(block_id: str, label: str, *, initial: str | None = None, optional: bool = False,
               placeholder: str | None = None, max_length: int = 40) -> InputBlock:
    return InputBlock(block_id=block_id, label=label, optional=optional, element=PlainTextInputElement(
        action_id=block_id, initial_value=initial or None, placeholder=placeholder, max_length=max_length))


def minutes_input(initial: int | None) -> InputBlock:
    return InputBlock(block_id="minutes", label="Time spent (minutes)", optional=True,
                      hint="Leave empty if you did not time it.", element=NumberInputElement(
                          action_id="minutes", is_decimal_allowed=False, min_value="0", max_value="1440",
                          initial_value=str(initial) if initial is not None else None))


def date_input(block_id: str, label: str) -> InputBlock:
    return InputBlock(block_id=block_id, label=label, optional=True,
                      element=DatePickerElement(action_id=block_id))


def read_order(form: Form, offered: set[str] | None) -> int | None:
    """The MO must be one the modal could offer — an open MO in the store, or the task's (commands.flow
    works out `offered`): a crafted or stale id is refused at the field."""
    value = form.choice("mo", "manufacturing order", offered)
    return whole_number(value)


def time_spent(minutes: int | None) -> list[str]:
    """The minutes fact for a confirmation, when the operator gave one."""
    return [f"{minutes} min"] if minutes is not None else []
