"""A load generator in its own process: `python -m bench.loadgen URL CONCURRENCY < requests.pickle`.

Row 3's fakes (Katana, Slack) live in the bench process and answer the bot's background processing
while the load runs; a listing over thousands of fake orders held that loop ~20 ms, and every
response waiting in its socket looked 20 ms slower than the bot had been (the client's clock, not
the bot's). Here the clock runs in a loop that does nothing else.

stdin: pickled (warm_up, measured), lists of (body, headers) POSTs; the warm-up goes first over the
same connections, unmeasured, as row 1 warms its servers; stdout: one JSON object (seconds, statuses,
wall) for the measured ones.
"""
from __future__ import annotations

import asyncio
import gc
import json
import pickle
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable

import aiohttp

from bench.measure import Latencies, load

Posts = list[tuple[bytes, dict[str, str]]]


async def post_all(url: str, warm_up: Posts, requests: Posts, concurrency: int) -> dict:
    statuses: Counter[int] = Counter()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as http:
        def sender(posts: Posts) -> Callable[[int], Awaitable[tuple[float, bool]]]:
            async def send(i: int) -> tuple[float, bool]:
                body, headers = posts[i]
                started = time.perf_counter()
                async with http.post(url, data=body, headers=headers) as reply:
                    await reply.read()
                statuses[reply.status] += 1
                return time.perf_counter() - started, reply.status == 200
            return send

        await load(sender(warm_up), len(warm_up), concurrency)
        statuses.clear()
        # The requests and their headers are this heap's bulk and live to the end: a full collection
        # walking them mid-run held every answer in flight here ~15 ms (the client's pause, not the bot's).
        gc.collect()
        gc.freeze()
        result = await load(sender(requests), len(requests), concurrency)
    return {"seconds": result.seconds, "wall": result.wall, "failures": result.failures,
            "statuses": {str(status): n for status, n in statuses.items()}}


async def run_loadgen(url: str, warm_up: Posts, requests: Posts, concurrency: int) -> tuple[Latencies, dict[int, int]]:
    """Start the child, hand it the requests, and read back what it measured."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.loadgen", url, str(concurrency),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    out, _ = await child.communicate(pickle.dumps((warm_up, requests)))
    if child.returncode != 0:
        raise RuntimeError(f"bench.loadgen exited with {child.returncode}")
    measured = json.loads(out)
    result = Latencies(seconds=measured["seconds"], wall=measured["wall"], failures=measured["failures"])
    return result, {int(status): n for status, n in measured["statuses"].items()}


def main() -> None:
    url, concurrency = sys.argv[1], int(sys.argv[2])
    warm_up, requests = pickle.loads(sys.stdin.buffer.read())
    print(json.dumps(asyncio.run(post_all(url, warm_up, requests, concurrency))))


if __name__ == "__main__":
    main()
