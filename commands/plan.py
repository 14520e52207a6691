"""A floor command's plan: a tuple of steps the recorder runs one saved step at a time.

A step is an object you can click through: its Katana call (`run`), the look-up that tells whether a
lost request happened after all (`check`, required for POSTs), and how it comes back out when an
action is undone or cancelled (`undo`). Steps receive the command and its typed facts; nothing is
looked up by name in a registry (the stored action keeps each step's `name`, which the recorder
resolves against the command's own plan).

Each step returns what it learned (Katana ids) for the steps after it; `wrote: True` marks a step that
changed something in Katana, so outcome messages can say exactly what was recorded.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from commands.context import Floor
from integrations.katana import Katana
from models.actions import ActionStep, FloorAction

F = TypeVar("F", bound=BaseModel)
Result = dict[str, Any]


class Command(Protocol[F]):
    """What a plan's steps and the recorder need of the command they belong to (commands.forms.FloorCommand)."""

    @property
    def name(self) -> str: ...

    @property
    def stage(self) -> str: ...

    @property
    def note(self) -> Callable[[F, FloorAction], str | None]: ...

    @property
    def handover(self) -> Callable[[F], dict[str, Any]]: ...

    def facts_of(self, action: FloorAction) -> F: ...

    def step(self, name: str) -> Step[F]: ...

    def steps_of(self, action: FloorAction) -> list[Step[F]]: ...


class StepRefused(Exception):
    """A step found that the floor's input cannot be recorded (e.g. the MO is already done).

    The message is for floor staff: it names what is wrong in their words. `learned`: what the step found
    out before refusing (the order's number), kept with the step so the outcome can name it.
    """

    def __init__(self, message: str, *, learned: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.learned = dict(learned or {})


class NeedsHand(Exception):
    """An automatic undo found it cannot be done safely; the message says what to do by hand."""


@dataclass
class StepContext(Generic[F]):
    floor: Floor
    command: Command[F]
    action: FloorAction
    step: ActionStep
    first_try: bool = True  # never started before: no earlier request of this step can have reached Katana

    @property
    def katana(self) -> Katana:
        return self.floor.katana

    @property
    def facts(self) -> F:
        """What the person entered plus what earlier steps learned, typed."""
        return self.command.facts_of(self.action)


@dataclass(frozen=True)
class Undo:
    """How to take back one recorded step: automatically (`run`, given the Katana facade; it may
    return a remark, or raise NeedsHand) or by hand (`manual`)."""

    describe: str
    run: Callable[[Katana], Awaitable[str | None]] | None = None
    manual: str | None = None


@dataclass(frozen=True)
class Written(Generic[F]):
    """What an undo needs to know: the action's facts, this step's result, the steps that wrote."""

    facts: F
    result: Result
    order: str  # the order's number, for the floor's wording
    steps: Collection[Step[F]]  # every step of the action that wrote to Katana

    def includes(self, step: Step[F]) -> bool:
        return step in self.steps


StepFn = Callable[[StepContext[F]], Awaitable[Result]]
CheckFn = Callable[[StepContext[F]], Awaitable[Result | None]]
UndoFn = Callable[[Written[F]], Undo]


@dataclass(frozen=True, eq=False)
class Step(Generic[F]):
    name: str  # stored in the action document: keep it stable
    done_text: str  # what it recorded, in the floor's words: "production recorded"
    run: StepFn[F]
    check: CheckFn[F] | None = None  # required for non-idempotent writes (POSTs)
    undo: UndoFn[F] | None = None  # how a recorded step comes back out; None: checked in Katana by hand
    in_katana: bool = True  # False for bot-side steps (tasks, messages)
    joins: bool = False  # runs alongside the step before it in a plan (needs nothing from it)
    # A resumed action (it waited for Katana, or its worker died) runs its `recheck` steps again (the order's
    # read) before the first `needs_open_order` step still to run: a write Katana refuses, or that must not be
    # made, on an MO finished or deleted in Katana while the action waited (commands.recording).
    recheck: bool = False
    needs_open_order: bool = False

    def taking_back(self, written: Written[F]) -> Undo:
        if self.undo is not None:
            return self.undo(written)
        return Undo(self.done_text or self.name, manual=f"Check {written.order} in Katana and correct it by hand.")


def step(name: str, done_text: str, *, check: CheckFn[F] | None = None, undo: UndoFn[F] | None = None,
         in_katana: bool = True, joins: bool = False, recheck: bool = False,
         needs_open_order: bool = False) -> Callable[[StepFn[F]], Step[F]]:
    """Make a function a plan step (the function itself stays reachable as `.run`)."""
    def make(fn: StepFn[F]) -> Step[F]:
        return Step(name, done_text, fn, check, undo, in_katana, joins, recheck, needs_open_order)
    return make


def taking_back(command: Command[F], action: FloorAction, order: str) -> list[tuple[int, Undo]]:
    """How each step that wrote (or may have: its answer was lost) comes back out, last write first, like
    unwinding a stack; with the step's index."""
    plan, facts = command.steps_of(action), command.facts_of(action)
    pairs = list(zip(action.steps, plan, strict=True))  # a plan step for every saved step
    wrote = [spec for saved, spec in pairs if saved.state == "done" and saved.result.get("wrote")]
    undos = []
    for index in reversed(range(len(pairs))):
        saved, spec = pairs[index]
        if saved.state == "unknown":
            undos.append((index, Undo(f"{spec.done_text} (may have happened)",
                                      manual=f"Check {order} in Katana for it and remove it by hand if it is there.")))
        elif spec in wrote:
            undos.append((index, spec.taking_back(Written(facts, saved.result, order, wrote))))
    return undos


def phases(plan: list[Step[Any]]) -> list[list[int]]:
    """The plan's step indexes in phases that run one after another; a phase's steps run together."""
    grouped: list[list[int]] = []
    for index, each in enumerate(plan):
        if grouped and each.joins:
            grouped[-1].append(index)
        else:
            grouped.append([index])
    return grouped
