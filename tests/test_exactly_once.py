"""The stateful search for double or lost records (sandbox/exactly_once.py), a few examples per run.

`make faults` runs the same machine with many more examples; EXACTLY_ONCE_EXAMPLES sets how many here.
It fails when an interleaving breaks an invariant: e.g. with the task claim removed from
commands/claiming.py, two people submitting one task's form make two productions
(each_production_belongs_to_one_live_recording / a_tasks_stage_is_recorded_once)."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from sandbox.exactly_once import ExactlyOnce


def test_no_interleaving_records_twice_or_loses_a_record() -> None:
    run_state_machine_as_test(ExactlyOnce, settings=settings(
        max_examples=int(os.environ.get("EXACTLY_ONCE_EXAMPLES", "5")), stateful_step_count=10, deadline=None,
        derandomize=True, suppress_health_check=list(HealthCheck), database=None))
