"""The stateful searches for double or lost records (sandbox/exactly_once.py), a few examples per run.

`make faults` runs the same machines with many more examples; EXACTLY_ONCE_EXAMPLES sets how many here.
They fail when an interleaving breaks an invariant: e.g. with the task claim removed from
commands/claiming.py, two people submitting one task's form make two productions
(each_production_belongs_to_one_live_recording / a_tasks_stage_is_recorded_once); with
find_production matching on MO and quantity alone (neither production_date nor the productions other
actions own), SeveralCooks finds a retry that takes another cook's production for its own."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from sandbox.exactly_once import ExactlyOnce, SeveralCooks


def search(machine: type[RuleBasedStateMachine], examples: int) -> None:
    run_state_machine_as_test(machine, settings=settings(
        max_examples=int(os.environ.get("EXACTLY_ONCE_EXAMPLES", str(examples))), stateful_step_count=10,
        deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None))


def test_no_interleaving_records_twice_or_loses_a_record() -> None:
    search(ExactlyOnce, 5)


def test_several_cooks_of_one_order_each_record_their_own() -> None:
    search(SeveralCooks, 5)
