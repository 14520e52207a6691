"""Taking a recorded action back out — the author's Undo, a supervisor's Cancel — as a floor action.

A reversal is stored before its first Katana call (`_id` = "undo:" + the action it takes back, so a
double tap or two supervisors make one), runs step by step under the recorder's lease, and is resumed
by the worker after a crash or while Katana is down, like any recording. Its plan is made from what the
action wrote, last write first: one `take_back:<step>` per recorded (or maybe-recorded) step, using
that step's own `undo` (delete the production, reopen the operation row, take the note line out; the
rest is spelled out to do by hand). Then the floor is put back: the stage's task reopens (author's
Undo), the task's recording claim is released, and people are told — the confirmation or the decision
message is rewritten with what was done.

Each compensation is safe to run again: a production already deleted answers 404 ("not there any
more"), a row already reopened is reopened again, a note line already gone is left alone.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, Literal

from commands import cards
from commands.announce import post_where_they_work, show_on_confirmation
from commands.chain import refresh_task_message
from commands.context import Floor
from commands.facts import Facts
from commands.forms import FloorCommand
from commands.mrkdwn import escape
from commands.operations import row_lock
from commands.outcome import Outcome
from commands.plan import NeedsHand, Result, Step, StepContext, StepRefused, Undo, Written, step
from commands.recording import Recorder, user_text
from commands.registry import COMMANDS
from commands.supervision import who
from integrations.katana.errors import KatanaNotFound, KatanaRejected
from models.actions import ActionStep, FloorAction
from models.base import utcnow
from models.tasks import NEXT_STAGE, PRODUCTION_STAGES, task_id

log = logging.getLogger(__name__)
Kind = Literal["author", "undo_in_katana", "keep"]
TAKE_BACK = "take_back:"


class ReversalFacts(Facts):
    original: str
    kind: Kind
    by: str  # the person's name, as the floor sees it
    by_user: str | None = None
    confirmation: dict[str, Any] | None = None  # author's Undo: {channel, ts, text} of the confirmation
    decision: dict[str, Any] | None = None  # Cancel: {channel, ts} of the supervisors' message


Ctx = StepContext[ReversalFacts]


async def original_of(ctx: Ctx) -> tuple[FloorCommand[Any], FloorAction]:
    original = await ctx.floor.store.actions.get(ctx.facts.original)
    if original is None or original.command not in COMMANDS:
        raise StepRefused("The action to take back is gone.")
    return COMMANDS[original.command], original


def reversal_id(action_id: str) -> str:
    return f"undo:{action_id}"


def plan_for(original: FloorAction, kind: Kind, handed: bool = False) -> list[str]:
    """The steps, in order: last write first, then the floor put back and people told. `handed`: an earlier
    Undo left this action the stage's completion (handed_the_stage), so it is taken back like a write."""
    back = [f"{TAKE_BACK}{s.id}" for s in reversed(original.steps)
            if s.state == "unknown" or (s.state == "done" and (s.result.get("wrote")
                                                                or (handed and s.id in SHARED_BY_THE_STAGE)))]
    first = [] if kind == "author" else ["mark_cancelled"]
    after = ["reopen_stage"] if kind == "author" else []
    return [*first, *back, *after, "release_claim", "tell"]


async def start(floor: Floor, recorder: Recorder, original: FloorAction, kind: Kind, *, by: str,
                by_user: str | None, confirmation: dict[str, Any] | None = None,
                decision: dict[str, Any] | None = None) -> bool:
    """Store the reversal (once) and run it in the background; False when one exists already."""
    now = utcnow()
    facts = ReversalFacts(original=original.id, kind=kind, by=by, by_user=by_user, confirmation=confirmation,
                          decision=decision, order_no=original.results().get("order_no"))
    action = FloorAction(id=reversal_id(original.id), command=REVERSAL.name, user_id=by_user or "?", user_name=by,
                         channel_id=original.channel_id, mo_id=original.mo_id,
                         input=facts.model_dump(mode="json", exclude_none=True),
                         steps=[ActionStep(id=name) for name in
                                plan_for(original, kind, await handed_the_stage(floor, original))], created_at=now,
                         updated_at=now)
    _, created = await floor.store.actions.create(action)
    if created:
        floor.jobs.spawn(recorder.record(action.id), name=f"reverse {original.id}")
    return created


# ---- the steps ------------------------------------------------------------------------------------

@step("mark_cancelled", "", in_katana=False)
async def mark_cancelled(ctx: Ctx) -> Result:
    """A supervisor's Cancel: the action is cancelled first, unless it was retried meanwhile."""
    facts = ctx.facts
    outcome = "cancelled, recorded steps undone" if facts.kind == "undo_in_katana" else "cancelled, recorded steps kept"
    cancelled = await ctx.floor.store.actions.cancel(facts.original, facts.by, outcome)
    if cancelled is None:
        current = await ctx.floor.store.actions.get(facts.original)
        if current is None or current.status != "cancelled":
            raise StepRefused("It was retried or decided meanwhile: nothing was taken back.")
    return {}


# Writes that every recording of a stage on one order shares: the stage's operation row is completed once,
# whichever cook came first. Taking one cook back leaves it while another cook of that order stands.
SHARED_BY_THE_STAGE = frozenset({"complete_operation"})


def take_back(name: str) -> Step[ReversalFacts]:
    async def run(ctx: Ctx) -> Result:
        command, original = await original_of(ctx)
        undo = compensation(command, original, name)
        kept: list[str] = []
        if name in SHARED_BY_THE_STAGE:
            line, kept = await unless_another_stands(ctx, command, original, undo)
        else:
            line = await carry_out(ctx, undo, automatic=ctx.facts.kind != "keep")
        return {f"report:{name}": line, "wrote": line.startswith(":white_check_mark:"),
                **({HANDED_TO: kept} if kept else {})}
    return Step(f"{TAKE_BACK}{name}", f"took back: {name}", run)


async def unless_another_stands(ctx: Ctx, command: FloorCommand[Any], original: FloorAction,
                                undo: Undo) -> tuple[str, list[str]]:
    """Take back a write the stage shares, unless another recording of it stands; then the write is kept
    and handed to those (their ids returned): the last of them to be taken back takes it back. Under the
    row's lock: a cook completing the row waits for this, or this sees it standing."""
    async with ctx.floor.locks.hold(row_lock(task_id(command.stage, original.mo_id or 0))):
        if others := await standing_beside(ctx.floor, original):
            return kept_for(undo, others), [a.id for a in others]
        return await carry_out(ctx, undo, automatic=ctx.facts.kind != "keep"), []


HANDED_TO = "handed_to"  # a kept take-back's result: the standing actions the stage's completion passed to


async def handed_the_stage(floor: Floor, action: FloorAction) -> bool:
    """Whether an Undo kept the stage's completion for this action (it stood then): it now owns the write."""
    if action.mo_id is None:
        return False
    return await floor.store.actions.handed_over(action.mo_id, action.id, REVERSAL.name,
                                                 [f"{TAKE_BACK}{name}" for name in SHARED_BY_THE_STAGE], HANDED_TO)


async def standing_beside(floor: Floor, original: FloorAction) -> list[FloorAction]:
    """The other recordings of this stage on this order that stand or may yet (see SHARED_BY_THE_STAGE)."""
    if original.mo_id is None:
        return []
    return await floor.store.actions.standing(original.mo_id, original.command, besides=original.id,
                                              undo_of=reversal_id)


def kept_for(undo: Undo, others: list[FloorAction]) -> str:
    names = ", ".join(dict.fromkeys(escape(a.user_name or "someone") for a in others))
    return f":point_right: kept: {escape(undo.describe)} — another /{others[0].command} of this order stands ({names})"


def compensation(command: FloorCommand[Any], original: FloorAction, name: str) -> Undo:
    facts, spec = command.facts_of(original), command.step(name)
    saved = next(s for s in original.steps if s.id == name)
    if saved.state == "unknown":
        return Undo(f"{spec.done_text} (may have happened)",
                    manual=f"Check {facts.order} in Katana for it and remove it by hand if it is there.")
    wrote = [command.step(s.id) for s in original.steps if s.state == "done" and s.result.get("wrote")]
    return spec.taking_back(Written(facts, saved.result, facts.order, wrote))


async def carry_out(ctx: Ctx, undo: Undo, *, automatic: bool) -> str:
    """One compensation, as a line of the report (mrkdwn: its data escaped). Katana not answering
    propagates: the reversal waits."""
    if undo.run is None or not automatic:
        return (f":point_right: by hand: {escape(undo.manual)}" if undo.manual
                else f":point_right: kept: {escape(undo.describe)}")
    try:
        remark = await undo.run(ctx.katana)
    except NeedsHand as exc:
        return f":point_right: by hand: {escape(exc)}"
    except KatanaNotFound:
        remark = "it was not there any more"  # taken back already (by a run cut short, or by hand)
    except KatanaRejected as exc:
        return f":x: could not undo {escape(undo.describe)}: {escape(user_text(exc))} — fix it in Katana by hand"
    said = f" ({escape(remark)})" if isinstance(remark, str) else ""
    return f":white_check_mark: undone: {escape(undo.describe)}{said}"


def completed_the_stage(action: FloorAction) -> bool:
    """Whether this action completed its stage's operation row (its Undo reopened it); an action
    that found it completed (in Katana's app, or by another cook) leaves the stage done."""
    completion = next((s for s in action.steps if s.id in SHARED_BY_THE_STAGE), None)
    return completion is None or bool(completion.result.get("wrote")) or completion.state == "unknown"


async def reopen_chain(floor: Floor, command: FloorCommand[Any], action: FloorAction, name: str) -> None:
    """The stage is to do again: its task reopens; the next stage's unstarted task is withdrawn."""
    if command.stage not in PRODUCTION_STAGES or action.mo_id is None:
        return
    if not (completed_the_stage(action) or await handed_the_stage(floor, action)) \
            or await standing_beside(floor, action):
        return  # the stage stays done: Katana's step was completed by someone else, or another cook stands
    reopened = await floor.store.tasks.reopen(task_id(command.stage, action.mo_id), by=name)
    if reopened is not None:
        await refresh_task_message(floor, reopened, cards.task_message)
    following = NEXT_STAGE.get(command.stage)
    withdrawn = await floor.store.tasks.withdraw(task_id(following, action.mo_id)) if following else None
    if withdrawn is not None:
        await refresh_task_message(floor, withdrawn.model_copy(update={
            "status": "closed", "close_reason": f"{command.stage} undone by {name}"}), cards.task_done_message)


@step("reopen_stage", "", in_katana=False)
async def reopen_stage(ctx: Ctx) -> Result:
    command, original = await original_of(ctx)
    await reopen_chain(ctx.floor, command, original, ctx.facts.by)
    return {}


@step("release_claim", "", in_katana=False)
async def release_claim(ctx: Ctx) -> Result:
    """The task's stage can be recorded again."""
    original = await ctx.floor.store.actions.get(ctx.facts.original)
    if original is not None and original.claim_key:
        await ctx.floor.store.claims.release(original.claim_key, original.id)
    return {}


@step("tell", "", in_katana=False)
async def tell(ctx: Ctx) -> Result:
    facts, report = ctx.facts, report_of(ctx.action)
    command, original = await original_of(ctx)
    if facts.kind == "author":
        await tell_the_author(ctx, original, report)
    else:
        await tell_the_floor(ctx, original, report)
    return {}


def report_of(action: FloorAction) -> list[str]:
    return [str(s.result[f"report:{s.id[len(TAKE_BACK):]}"]) for s in action.steps
            if s.id.startswith(TAKE_BACK) and f"report:{s.id[len(TAKE_BACK):]}" in s.result]


async def tell_the_author(ctx: Ctx, original: FloorAction, report: list[str]) -> None:
    facts = ctx.facts
    await ctx.floor.store.audit.write("floor_action", f"/{original.command}", "undone by its author",
                                      mo_id=original.mo_id, actor=facts.by, actor_id=facts.by_user,
                                      action_id=original.id, report=report)
    await ctx.floor.store.undo_offers.settle(original.id, "undone", report=report, undone_at=utcnow())
    where = facts.confirmation or {}
    if not where.get("channel"):
        return
    headline = (f":leftwards_arrow_with_hook: {escape(facts.by)} undid /{original.command} for "
                f"*{escape(facts.order)}*")
    blocks = [cards.text(headline).to_dict(),
              cards.text("\n".join(report) or "Nothing was written in Katana.").to_dict(),
              cards.note("What was recorded: " + str(where.get("text", ""))).to_dict()]
    await show_on_confirmation(ctx.floor, str(where["channel"]), str(where["ts"]),
                               {"text": headline.replace("*", ""), "blocks": blocks})


async def tell_the_floor(ctx: Ctx, original: FloorAction, report: list[str]) -> None:
    facts = ctx.facts
    outcome = "cancelled, recorded steps undone" if facts.kind == "undo_in_katana" else "cancelled, recorded steps kept"
    await ctx.floor.store.audit.write("floor_action", f"/{original.command}", outcome, mo_id=original.mo_id,
                                      actor=facts.by, actor_id=facts.by_user, action_id=original.id, report=report)
    text = (f"/{original.command} by {escape(who(original))} was cancelled by {escape(facts.by)}.\n"
            + "\n".join(report))
    message = {"text": text.splitlines()[0], "blocks": [cards.text(text).to_dict()]}
    if facts.decision and facts.decision.get("channel"):
        await show_on_confirmation(ctx.floor, str(facts.decision["channel"]), str(facts.decision["ts"]), message)
    await post_where_they_work(ctx.floor, original, message)  # the operator learns the final word


# ---- the command the recorder runs --------------------------------------------------------------

# Every step a reversal can have: the fixed ones, and a take-back for each step of every floor command.
FIXED: tuple[Step[ReversalFacts], ...] = (mark_cancelled, reopen_stage, release_claim, tell)
STEPS: Mapping[str, Step[ReversalFacts]] = {
    **{each.name: each for each in FIXED},
    **{f"{TAKE_BACK}{each.name}": take_back(each.name)
       for command in COMMANDS.values() for plan in (command.plan, *command.other_plans) for each in plan}}


class Reversal:
    """The `undo` command: its plan is made per action (commands.plan.Command)."""

    name, stage = "undo", "undo"

    @property
    def note(self) -> Callable[[ReversalFacts, FloorAction], str | None]:
        return lambda facts, action: None

    @property
    def handover(self) -> Callable[[ReversalFacts], dict[str, Any]]:
        return lambda facts: {}

    def facts_of(self, action: FloorAction) -> ReversalFacts:
        return ReversalFacts.model_validate({**action.input, **action.results()})

    def step(self, name: str) -> Step[ReversalFacts]:
        if name not in STEPS:
            raise KeyError(f"a reversal has no step {name!r}")
        return STEPS[name]

    def steps_of(self, action: FloorAction) -> list[Step[ReversalFacts]]:
        return [self.step(s.id) for s in action.steps]


REVERSAL = Reversal()


async def announce_reversal(floor: Floor, outcome: Outcome) -> None:
    """Only what its own `tell` step cannot say: that Katana is not answering, or that it gave up."""
    action, facts = outcome.action, REVERSAL.facts_of(outcome.action)
    if outcome.status == "recorded" or (outcome.status == "waiting" and action.attempts > 1):
        return
    if outcome.status == "waiting":
        text = (f":floppy_disk: Katana isn't answering: taking back the action on *{escape(facts.order)}* is saved and "
                "finishes as soon as it answers.")
    else:
        text = f":x: Taking back the action on *{escape(facts.order)}* stopped: {escape(outcome.problem)}"
    await post_where_they_work(floor, action, {"text": text, "blocks": [cards.text(text).to_dict()]})
