"""`make faults` (`python -m sandbox faults [--quick]`): every fault scenario, run one after the other, and
the table of what was submitted, recorded, lost and duplicated (sandbox/faults.py: scenarios 1–4;
sandbox/faults_races.py: races, flaky leases, undos cut short, the stateful search;
sandbox/faults_replicas.py: a replica killed mid-storm; sandbox/barrage.py:
the hostile-input barrage)."""
from __future__ import annotations

from sandbox import faults_races as races
from sandbox import faults_replicas as replicas
from sandbox.barrage import hostile_barrage
from sandbox.faults import (
    FAST_WORKER,
    Row,
    crash_at_each_step,
    fuzzed_submissions,
    katana_outage,
    table,
    webhook_storm,
)


async def run_all(quick: bool) -> list[Row]:
    if quick:
        plan = [katana_outage(20, 3), crash_at_each_step(), webhook_storm(1000), fuzzed_submissions(100),
                races.two_people_one_task(5), races.flaky_lease_renewals(10), races.undos_cut_short(3),
                replicas.replica_killed_mid_storm(10, 100), hostile_barrage(150)]
    else:
        plan = [katana_outage(100, 300), crash_at_each_step(), webhook_storm(10_000), fuzzed_submissions(1000),
                races.two_people_one_task(50), races.flaky_lease_renewals(100), races.undos_cut_short(20),
                races.stateful_search(200), replicas.replica_killed_mid_storm(100, 2000), hostile_barrage(1000)]
    rows = []
    for scenario in plan:  # each row as it finishes: a full run takes most of an hour
        rows.append(await scenario)
        row = rows[-1]
        print(f"done: {row.scenario} — submitted {row.submitted}, recorded {row.recorded}, lost {row.lost}, "
              f"duplicated {row.duplicated}", flush=True)
    return rows


async def run(quick: bool = False) -> int:
    rows = await run_all(quick)
    print(table(rows))
    for row in rows:
        if row.tracebacks:
            print(f"\n{row.tracebacks} traceback(s) in the bot's log during: {row.scenario}")
    print(f"\nBot settings for these runs: {', '.join(f'{k}={v}' for k, v in FAST_WORKER.items() if k != 'LOG_LEVEL')}"
          " (the barrage: BODY_READ_TIMEOUT_SECONDS=1)")
    return 0 if all(r.clean for r in rows) else 1
