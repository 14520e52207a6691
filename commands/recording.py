"""Running a floor action's plan against Katana, one saved step at a time.

Rules this module keeps:
- the action is in Mongo before the first Katana call (the submit flow writes it);
- each step's result (Katana ids) is saved the moment the step completes, so a restart resumes
  after the last completed step instead of repeating it;
- a step whose outcome is unknown (the request may have reached Katana) is not repeated until its
  `check` has looked at Katana's state and found it did not happen;
- Katana being down is not a failure: the action waits and the worker retries with backoff,
  until `ACTION_GIVE_UP_AFTER_HOURS`;
- a refusal (422, unknown resource, a rule of the floor) fails the action and says plainly which
  steps were recorded and which were not;
- a resumed action (it waited, or its worker died) reads its order again (`recheck` steps) before its
  next write that needs the order open (`needs_open_order`): an MO finished or deleted in Katana
  meanwhile stops it there. If none of those writes was made yet, what it wrote before them (the /cook
  note, which would describe a cook Katana never got) is taken back, what only a person can put right
  is listed, and the action is closed — Retry could only be refused; otherwise the supervisors decide;
- a plan runs in phases: a step marked `joins` runs alongside the step before it (reads that need
  nothing from each other; writes that only describe what the previous write recorded), so the floor
  waits for Katana's critical path, not for the sum of its calls. Each step is still saved on its own;
- one worker at a time: the worker holds a lease (a token and an end, judged on the database's
  clock) and renews it every LEASE/4 while it lives, through store errors (a failover) too. Before
  each write leaves, the Katana client asks whether the lease is still certainly held (its end, as
  last renewed, more than a tenth of a lease away); if not, nothing more is sent. Another worker takes an expired
  lease over only GRACE after it ran out — longer than any request of the old holder can still be on
  its way (the Katana client bounds a whole exchange) — so a takeover's "did it happen?" check sees
  every write the old holder sent.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from commands.context import Floor
from commands.outcome import Outcome
from commands.plan import Command, NeedsHand, Step, StepContext, StepRefused, phases, taking_back
from integrations.katana.client import write_gate
from integrations.katana.errors import (
    KatanaError,
    KatanaNotFound,
    KatanaOutcomeUnknown,
    KatanaRateLimited,
    KatanaUnavailable,
    WriteNotAllowed,
)
from models.actions import ActionStep, FloorAction
from models.base import utcnow
from models.leases import LeaseHold, heartbeat

log = logging.getLogger(__name__)

# A live worker renews its lease every LEASE/4; a dead one's actions are taken over LEASE + GRACE later.
LEASE = timedelta(seconds=30)
GRACE = timedelta(seconds=35)  # ≥ the Katana client's whole-exchange timeout (30 s), plus clock agreement


@dataclass
class Stop:
    """Why a phase stopped the plan: a refusal ("fail") or Katana not answering ("wait")."""
    index: int
    step: ActionStep
    kind: str
    problem: str
    order_closed: bool = False  # stopped for good: its MO was finished or deleted while it waited


class LeaseLost(Exception):
    """Another worker took the action over (this one stalled); stop without writing anything."""


class Recorder:
    def __init__(self, floor: Floor, commands: Mapping[str, Command[Any]], *,
                 announce: Callable[[Outcome], Awaitable[None]], lease: timedelta = LEASE,
                 grace: timedelta = GRACE) -> None:
        self.floor = floor
        self.commands = commands  # by name: the plan an action's saved steps belong to
        self.announce = announce
        self.lease, self.grace = lease, grace

    def plan_of(self, action: FloorAction) -> list[Step[Any]]:
        return self.commands[action.command].steps_of(action)

    async def record(self, action_id: str) -> Outcome | None:
        """Run (or resume) an action; returns None if someone else holds it or it is finished."""
        action = await self.floor.store.actions.lease(action_id, self.lease, grace=self.grace)
        if action is None or action.lease_until is None:
            return None
        # A step can wait minutes in the rate limiter's queue at shift change; the heartbeat keeps
        # the lease while this worker lives, and lets it expire quickly if the process dies.
        hold = LeaseHold(action.lease_until, self.lease)
        beating = asyncio.create_task(heartbeat(hold, lambda: self.floor.store.actions.renew(action, self.lease),
                                                f"floor action {action.id}"))
        clock = self.floor.store.clock
        gate = write_gate.set(lambda: hold.lets_write(clock.estimate()))  # this task and the steps it runs
        try:
            return await self._run_plan(action)
        except LeaseLost:
            log.warning("floor action %s: its lease is lost or uncertain; stopped before writing more", action.id)
            return None
        finally:
            write_gate.reset(gate)
            beating.cancel()

    async def _run_plan(self, action: FloorAction) -> Outcome:
        plan = self.plan_of(action)
        recheck = any(saved.started_at is not None for saved in action.steps)  # resumed: it ran before
        for phase in phases(plan):
            todo = [i for i in phase if action.steps[i].state != "done"]
            if not todo:
                continue
            if recheck and any(plan[i].needs_open_order for i in todo):
                recheck = False
                stop = await self._recheck(action, plan)
                if stop is not None:
                    return await self._conclude(await self._stop(action, stop))
            recheck = recheck and not any(plan[i].recheck for i in todo)  # read again in this run anyway
            stops = await self._run_phase(action, todo)
            if stops:
                # A refusal outranks a wait: the action cannot finish without someone deciding.
                stop = min(stops, key=lambda s: (s.kind != "fail", s.index))
                return await self._conclude(await self._stop(action, stop))
        await self._settle(action, "recorded", outcome="recorded")
        return await self._conclude(self._outcome(action, "recorded"))

    async def _recheck(self, action: FloorAction, plan: list[Step[Any]]) -> Stop | None:
        """Read the order again before the next write that needs it open: the action waited, and the MO
        may be finished or deleted in Katana by now (see the rules above)."""
        for index in [i for i, spec in enumerate(plan) if spec.recheck and action.steps[i].state == "done"]:
            stop = await self._run_step(action, index, action.steps[index])
            if stop is not None and stop.kind == "fail" and not any(
                    spec.needs_open_order and saved.state == "done" and saved.result.get("wrote")
                    for saved, spec in zip(action.steps, plan, strict=True)):
                stop.problem, stop.order_closed = await self._take_back(action, stop.problem), True
                stop.step.error = stop.problem
                await self._save(action, stop.index, stop.step)
            if stop is not None:
                return stop
        return None

    async def _take_back(self, action: FloorAction, problem: str) -> str:
        """Take back automatically what the stopped action wrote; say what was, and what a person must do."""
        order = str(action.results().get("order_no") or f"MO {action.mo_id}")
        taken, by_hand = [], []
        for index, undo in taking_back(self.commands[action.command], action, order):
            gone = ""
            try:
                if undo.run is None:
                    raise NeedsHand(undo.manual or "Check it in Katana.")
                await undo.run(self.floor.katana)
            except KatanaNotFound:
                gone = " (gone with the order)"  # deleted in Katana
            except NeedsHand as exc:
                by_hand.append(f"{undo.describe}: {exc}")
                continue
            except KatanaError as exc:
                by_hand.append(f"{undo.describe} could not be taken back ({user_text(exc)}): remove it in Katana.")
                continue
            saved = action.steps[index]
            saved.result = {**saved.result, "wrote": False, "taken_back": True}
            await self._save(action, index, saved)
            taken.append(undo.describe + gone)
        told = f" What it had written was taken back out: {', '.join(taken)}." if taken else ""
        return problem + told + "".join(f" By hand: {each}" for each in by_hand)

    async def _run_phase(self, action: FloorAction, todo: list[int]) -> list[Stop]:
        if len(todo) == 1:
            stop = await self._run_step(action, todo[0], action.steps[todo[0]])
            return [stop] if stop else []
        # Every step of the phase finishes (and saves its state) before the plan stops or goes on.
        done = await asyncio.gather(*(self._run_step(action, i, action.steps[i]) for i in todo),
                                    return_exceptions=True)
        for result in done:
            if isinstance(result, BaseException):
                raise result
        return [r for r in done if isinstance(r, Stop)]

    async def _run_step(self, action: FloorAction, index: int, current: ActionStep) -> Stop | None:
        command = self.commands[action.command]
        spec = command.step(current.id)
        ctx = StepContext(self.floor, command, action, current, first_try=current.started_at is None)
        try:
            if current.state in ("unknown", "running") and spec.check is not None:
                found = await spec.check(ctx)  # did the lost request happen after all?
                if found is not None:
                    await self._save_done(action, index, current, found)
                    return None
            current.state, current.started_at = "running", current.started_at or utcnow()
            await self._save(action, index, current)
            await self._save_done(action, index, current, await spec.run(ctx))
            return None
        except (LeaseLost, WriteNotAllowed) as exc:
            raise LeaseLost(action.id) from exc
        except KatanaOutcomeUnknown as exc:
            return await self._hold(action, index, current, "unknown", user_text(exc))
        except (KatanaUnavailable, KatanaRateLimited) as exc:
            return await self._hold(action, index, current, "pending", user_text(exc))
        except StepRefused as exc:
            current.result = {**current.result, **exc.learned}  # (nothing written: facts for the outcome's words)
            return await self._hold(action, index, current, "failed", user_text(exc))
        except KatanaError as exc:
            return await self._hold(action, index, current, "failed", user_text(exc))
        except Exception:  # an odd answer or our bug: keep the action, retry, tell once
            log.exception("floor action %s: step %s failed unexpectedly", action.id, current.id)
            state = "unknown" if spec.check is not None else "pending"  # a POST may have gone out
            return await self._hold(action, index, current, state, user_text(Exception()))

    async def _save(self, action: FloorAction, index: int, current: ActionStep) -> None:
        if not await self.floor.store.actions.save_step(action, index, current):
            raise LeaseLost(action.id)

    async def _settle(self, action: FloorAction, status: str, **fields: Any) -> None:
        if not await self.floor.store.actions.settle(action, status, **fields):  # type: ignore[arg-type]
            raise LeaseLost(action.id)
        action.status = status  # type: ignore[assignment]

    async def _save_done(self, action: FloorAction, index: int, current: ActionStep,
                         result: dict[str, Any]) -> None:
        current.state, current.result, current.error = "done", result, None
        current.finished_at = utcnow()
        await self._save(action, index, current)

    async def _hold(self, action: FloorAction, index: int, current: ActionStep, state: str,
                    problem: str) -> Stop:
        """Save the step as it was left; the plan stops after the phase."""
        current.state, current.error = state, problem  # type: ignore[assignment]
        await self._save(action, index, current)
        return Stop(index, current, "fail" if state == "failed" else "wait", problem)

    async def _stop(self, action: FloorAction, stop: Stop) -> Outcome:
        if stop.kind == "fail":
            await self._settle(action, "failed", outcome="failed", error=stop.problem)
            failed = self._outcome(action, "failed", problem=stop.problem)
            failed.order_closed = stop.order_closed
            if action.claim_key and not (failed.recorded or failed.uncertain):  # refused before any write:
                await self.floor.store.claims.release(action.claim_key, action.id)  # the task is free again
            return failed
        settings = self.floor.settings
        limit = timedelta(hours=settings.action_give_up_after_hours)
        if utcnow() - (action.retried_at or action.created_at) > limit:
            # The step stays as it was (an "unknown" step may have been recorded).
            gave_up = f"Katana did not answer for {settings.action_give_up_after_hours:g} h ({stop.problem})"
            stop.step.error = gave_up
            await self._save(action, stop.index, stop.step)
            await self._settle(action, "failed", outcome="failed", error=gave_up)
            return self._outcome(action, "failed", problem=gave_up)
        delay = min(settings.action_retry_first_seconds * 2 ** max(action.attempts - 1, 0),
                    settings.action_retry_max_seconds)
        retry_at = self.floor.store.clock.estimate() + timedelta(seconds=delay)
        await self._settle(action, "waiting", error=stop.problem, next_attempt_at=retry_at)
        log.warning("floor action %s waiting (%s); retry in %.0fs", action.id, stop.problem, delay)
        return self._outcome(action, "waiting", problem=stop.problem)

    def _outcome(self, action: FloorAction, status: str, problem: str | None = None) -> Outcome:
        katana_steps = [(s, spec) for s, spec in zip(action.steps, self.plan_of(action), strict=True)
                        if spec.in_katana and spec.done_text]
        recorded = [spec.done_text for s, spec in katana_steps if s.state == "done" and s.result.get("wrote")]
        uncertain = [spec.done_text for s, spec in katana_steps if s.state == "unknown"]
        missing = [spec.done_text for s, spec in katana_steps if s.state not in ("done", "unknown")]
        return Outcome(action, status, recorded, missing, problem, uncertain)

    async def _conclude(self, outcome: Outcome) -> Outcome:
        await self._audit(outcome)
        try:
            await self.announce(outcome)
        except Exception:  # telling people must never undo or block what was recorded
            log.exception("could not announce floor action %s", outcome.action.id)
        return outcome

    async def _audit(self, outcome: Outcome) -> None:
        action = outcome.action
        ids = {s.id: s.result for s in action.steps if s.result}
        await self.floor.store.audit.write(
            "floor_action", f"/{action.command}", outcome.status, mo_id=action.mo_id,
            actor=action.results().get("person") or action.user_name, actor_id=action.user_id, action_id=action.id,
            katana=ids,
            problem=outcome.problem)

    async def resume_due(self) -> int:
        """The worker's job: pick up actions that wait for Katana or lost their worker (crash)."""
        due = await self.floor.store.actions.due(grace=self.grace)
        for action_id in due:
            self.floor.jobs.spawn(self.record(action_id), name=f"resume {action_id}")
        return len(due)


def user_text(exc: Exception) -> str:
    """A message safe for floor staff: never a token, a stack trace or a raw API body."""
    if isinstance(exc, KatanaError):
        return exc.user_message
    if isinstance(exc, StepRefused):
        return str(exc)
    return "Something went wrong on our side; the details are in the bot's log."


def since(moment: datetime | None, slack: timedelta = timedelta(minutes=2)) -> datetime:
    """The start of the window in which a lost request could have been applied; generous, because
    Katana's clock and ours may disagree (quantity and batch must match as well)."""
    return (moment or utcnow()) - slack
