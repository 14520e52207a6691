"""The store's open orders (models/open_orders.py): search keys, ranking, views that only replace older ones,
and the in-memory store's range shortcut (sandbox/memory_indexes.py) answering exactly as mongomock does."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import mongomock_motor

from models.base import utcnow
from models.open_orders import OpenOrder, OpenOrderRepository, query_words, search_key
from sandbox.slack_rules import SlackError
from sandbox.slack_user import Response, check_options


def mo(order_id: int, number: str, sku: str = "SOUP-TOM-500", name: str = "Tomato Soup 500 ml") -> OpenOrder:
    return OpenOrder(kind="mo", order_id=order_id, order_no=number, skus=[sku], names=[name],
                     planned_quantity=Decimal(10), label=f"{number} · {sku}")


async def repository(*orders: OpenOrder) -> OpenOrderRepository:
    repo = OpenOrderRepository(mongomock_motor.AsyncMongoMockClient()["t"])
    await repo.ensure_indexes()
    for order in orders:
        await repo.put(order, utcnow())
    return repo


def numbers(found: list[OpenOrder]) -> list[str]:
    return [o.order_no for o in found]


def test_codes_compare_without_case_spaces_or_dashes() -> None:
    assert search_key("mo-1399 ") == "MO1399" and search_key("<b>") == "B"
    assert query_words("  MO 13-99 soup ") == ["MO", "1399", "SOUP"]


async def test_numbers_ending_in_what_was_typed_come_first_then_numbers_containing_it_then_skus() -> None:
    """Mutation caught: one tier for all (newest first: MO-21399 and SKU-13 matches before MO-1399)."""
    repo = await repository(mo(1, "MO-1399"), mo(2, "MO-21399"), mo(3, "MO-13990"), mo(4, "MO-7", sku="X-1399"))
    assert numbers(await repo.search("mo", "1399")) == ["MO-1399", "MO-21399", "MO-13990", "MO-7"]
    assert numbers(await repo.search("mo", "tomato 1399")) == ["MO-7", "MO-13990", "MO-21399", "MO-1399"]
    assert await repo.search("mo", " - ") == []
    assert (await repo.by_number("mo", "mo 1399")).order_id == 1  # type: ignore[union-attr]
    assert await repo.by_number("mo", "1399") is None  # a number is the whole number


async def test_a_closed_order_is_not_brought_back_by_an_older_view() -> None:
    """Mutation caught: put() replacing whatever is stored (a slow full read re-opens a done MO)."""
    repo = await repository()
    read_early = utcnow() - timedelta(seconds=5)
    await repo.close("mo", 1, utcnow())
    assert await repo.put(mo(1, "MO-1"), read_early) is False
    assert await repo.search("mo", "MO1") == [] and await repo.count("mo") == 0
    assert await repo.put(mo(1, "MO-1"), utcnow()) is True  # opened again later (a newer view)
    assert numbers(await repo.search("mo", "MO1")) == ["MO-1"]


async def test_a_full_read_closes_what_katana_no_longer_lists() -> None:
    import asyncio

    repo = await repository(mo(1, "MO-1"), mo(2, "MO-2"))
    await asyncio.sleep(0.002)  # the read began after MO-1 was stored (times are kept to the millisecond)
    started = utcnow()
    await repo.put(mo(2, "MO-2"), started)
    assert await repo.sweep("mo", started) == 1
    assert [o.order_id for o in await repo.all_open("mo", 100)] == [2]


async def test_one_replica_reads_katana_at_a_time() -> None:
    repo = await repository()
    token = await repo.claim_sync("so", 60)
    assert token is not None and await repo.claim_sync("so", 60) is None
    await repo.release_sync("so", token)
    assert await repo.claim_sync("so", 60) is not None


def search_story() -> list[object]:
    """The search's query shapes on mongomock, with and without the in-memory store's range shortcut."""
    import asyncio

    async def story() -> list[object]:
        repo = await repository(mo(1, "MO-1399"), mo(2, "MO-21399"), mo(3, "SO-5", sku="CHILI-400", name="Chili"),
                                mo(4, "MO-13990"))
        await repo.close("mo", 2, utcnow())
        await repo.put(OpenOrder(kind="so", order_id=9, order_no="SO-1399", label="SO-1399"), utcnow())
        seen: list[object] = []
        for typed in ("1399", "MO13", "chili", "tom 13", "9", "#", "zzz", "soup chili"):
            seen.append(numbers(await repo.search("mo", typed)))
        seen.append((await repo.by_number("mo", "mo-13990")) is not None)
        await repo.put(mo(5, "MO-99"), utcnow())  # a write after a search: the shortcut's copy is rebuilt
        seen.append(numbers(await repo.search("mo", "99")))
        return seen
    return asyncio.run(story())


def test_the_range_shortcut_answers_exactly_like_mongomock() -> None:
    """In a fresh process: this one's mongomock may already be patched by another test's store.
    Mutation caught: a shortcut ignoring the rest of the filter (sales order SO-1399 would be found)."""
    import inspect
    import subprocess
    import sys

    source = "\n".join(inspect.getsource(f) for f in (mo, repository, numbers, search_story))
    code = ("import mongomock_motor\nfrom decimal import Decimal\nfrom datetime import timedelta\n"
            "from models.base import utcnow\nfrom models.open_orders import OpenOrder, OpenOrderRepository\n"
            "from sandbox import memory_indexes\n" + source
            + "a = search_story(); memory_indexes.install(); b = search_story(); print(a == b, a)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.startswith("True [['MO-1399', 'MO-13990'], "), out.stdout + out.stderr
    assert "['MO-99', 'MO-1399', 'MO-13990']]" in out.stdout, out.stdout


def answer(body: object, status: int = 200, elapsed: float = 0.05) -> Response:
    import json
    return Response(status, json.dumps(body), body, elapsed)


def test_the_fake_refuses_options_answers_slack_would_not_show() -> None:
    """Stricter than Slack, never more lenient: each of these fails a test that would send it."""
    good = {"text": {"type": "plain_text", "text": "MO-1 · SOUP"}, "value": "1"}
    assert check_options(answer({"options": [good]})) == [good]
    for bad in ({"options": [good] * 2}, {"options": [{**good, "value": str(i)} for i in range(101)]},
                {"options": [{**good, "text": {"type": "plain_text", "text": "x" * 76}}]},
                {"options": [{**good, "text": {"type": "mrkdwn", "text": "*MO-1*"}}]},
                {"options": [{**good, "value": ""}]}, {"option_groups": []}, [good]):
        try:
            check_options(answer(bad))
        except SlackError:
            continue
        raise AssertionError(f"the fake accepted {str(bad)[:80]}")
    for late in (answer({"options": []}, elapsed=3.5), answer({"options": []}, status=500)):
        try:
            check_options(late)
        except SlackError:
            continue
        raise AssertionError("the fake accepted a late or failed answer")
