"""`python -m bot serve | check | audit --mo MO-1 | webhooks register --url https://…` (and demo, faults,
slips, which hand over to `python -m sandbox`)."""
from __future__ import annotations

import argparse
import asyncio
import importlib.util
import logging
import os
import signal
import sys

import httpx
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.app import ShopfloorBot, secret
from bot.audit import print_history
from bot.health import configuration
from bot.settings import Settings, SettingsError, configure_logging, load_settings
from bot.statuses import IntegrationStatus
from integrations.katana import build_katana
from models.store import open_store

log = logging.getLogger("bot")

# What the floor chain listens to; `webhooks register` subscribes to exactly these.
FLOOR_EVENTS = [
    "manufacturing_order.created", "manufacturing_order.updated", "manufacturing_order.deleted",
    "manufacturing_order.done", "manufacturing_order_operation_row.completed",
]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in EQUIPMENT:
        return hand_over(argv)
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    configure_logging(settings)
    return int(asyncio.run(args.run(settings, args)) or 0)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bot", description="Shop-floor Slack bot for Katana MRP")
    sub = p.add_subparsers(required=True, metavar="command")
    serving = sub.add_parser("serve", help="run the bot (HTTP, or Socket Mode when SLACK_APP_TOKEN is set)")
    serving.set_defaults(run=serve)
    sub.add_parser("check", help="show what is configured, missing and reachable").set_defaults(run=check)
    audit = sub.add_parser("audit", help="print an MO's full history (floor actions, webhooks, tasks)")
    audit.add_argument("--mo", required=True, metavar="ORDER_NO", help="the MO's order number, e.g. MO-101")
    audit.set_defaults(run=print_audit)
    for verb, what in EQUIPMENT.items():  # listed for --help; main() hands them over before parsing
        sub.add_parser(verb, help=what)
    hooks = sub.add_parser("webhooks", help="manage the Katana webhook subscription")
    hooks_sub = hooks.add_subparsers(required=True, metavar="action")
    register = hooks_sub.add_parser("register", help="subscribe this bot's URL to Katana's events")
    register.add_argument("--url", required=True, help="public https URL of /webhooks/katana")
    register.set_defaults(run=register_webhook)
    return p


def missing_for_serve(statuses: list[IntegrationStatus]) -> list[str]:
    return [name for s in statuses if s.required_for_serve for name in s.missing]


async def serve(settings: Settings, _: argparse.Namespace) -> int:

    missing = missing_for_serve(configuration(settings))
    if missing:
        print(f"Cannot serve: set {', '.join(missing)} (see .env.example, or run `python -m bot check`).",
              file=sys.stderr)
        return 2
    bot = ShopfloorBot(settings)
    runner = web.AppRunner(bot.web, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, settings.host, settings.port).start()
    socket = await start_socket_mode(bot) if settings.socket_mode else None
    log.info("serving on %s:%d (%s)", settings.host, settings.port, "Socket Mode" if socket else "HTTP /slack/events")
    await wait_for_stop_signal()
    log.info("stopping: finishing in-flight floor actions")
    if socket is not None:
        await socket.close_async()  # type: ignore[no-untyped-call]  # slack_bolt leaves it unannotated
    await runner.cleanup()  # runs the bot's shutdown: scheduler off, in-flight work drained
    return 0


async def start_socket_mode(bot: ShopfloorBot) -> AsyncSocketModeHandler:
    handler = AsyncSocketModeHandler(bot.bolt, secret(bot.settings.slack_app_token))
    await handler.connect_async()  # type: ignore[no-untyped-call]  # slack_bolt leaves it unannotated
    return handler


async def wait_for_stop_signal() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def check(settings: Settings, _: argparse.Namespace) -> int:
    statuses = configuration(settings)
    await probe_reachability(settings, statuses)
    for s in statuses:
        state = "configured" if s.configured else "MISSING " + ", ".join(s.missing)
        reach = {True: "reachable", False: "NOT reachable", None: "-"}[s.reachable]
        print(f"{s.name:<16} {state:<40} {reach:<14} {s.detail}")
    missing = missing_for_serve(statuses)
    if missing:
        print(f"\n`serve` needs: {', '.join(missing)}")
        return 1
    return 0


async def probe_reachability(settings: Settings, statuses: list[IntegrationStatus]) -> None:
    by_name = {s.name: s for s in statuses}
    async with httpx.AsyncClient(timeout=5.0) as http:
        if by_name["slack"].configured:
            by_name["slack"].reachable = await answers(http, "POST", settings.slack_url + "auth.test",
                                                       settings.slack_bot_token, slack=True)
        if by_name["katana"].configured:
            by_name["katana"].reachable = await answers(http, "GET", settings.katana_url + "/locations?limit=1",
                                                        settings.katana_api_key)
    store = open_store(settings.mongodb_uri.get_secret_value() if settings.mongodb_uri else None, settings.mongodb_db)
    by_name["store"].reachable = await store.ping()
    store.close()


async def answers(http: httpx.AsyncClient, method: str, url: str, token: object, *, slack: bool = False) -> bool:
    """True when the service accepts our credentials; never prints the token or the body."""
    try:
        reply = await http.request(method, url, headers={"Authorization": f"Bearer {token.get_secret_value()}"})  # type: ignore[attr-defined]
        if slack:
            return reply.status_code == 200 and bool(reply.json().get("ok"))
    except (httpx.HTTPError, ValueError, AttributeError):  # no answer, or not Slack's JSON
        return False
    return reply.status_code == 200


async def register_webhook(settings: Settings, args: argparse.Namespace) -> int:
    if not args.url.startswith("https://"):
        print("Katana only delivers to https URLs: pass --url https://your-host/webhooks/katana", file=sys.stderr)
        return 2
    if not settings.katana_api_key:
        print("Set KATANA_API_KEY first.", file=sys.stderr)
        return 2
    async with httpx.AsyncClient(timeout=30.0) as http:
        katana = build_katana(http, base_url=settings.katana_url, api_key=settings.katana_api_key.get_secret_value(),
                              per_minute=settings.katana_rate_limit_per_minute)
        record = await katana.webhooks.register(args.url, FLOOR_EVENTS)
    print(f"Registered Katana webhook {record.get('id')} for {args.url}")
    print(f"Events: {', '.join(FLOOR_EVENTS)}")
    print("Store this as KATANA_WEBHOOK_TOKEN (it signs every delivery):")
    print(record.get("token"))
    return 0


async def print_audit(settings: Settings, args: argparse.Namespace) -> int:
    store = open_store(settings.mongodb_uri.get_secret_value() if settings.mongodb_uri else None, settings.mongodb_db)
    try:
        return await print_history(store, args.mo, sys.stdout)
    finally:
        store.close()


EQUIPMENT = {
    "demo": "replay a shift against local sandboxes (same as `python -m sandbox demo`)",
    "faults": "fault scenarios on loopback (same as `python -m sandbox faults`)",
    "slips": "packing-slip reading accuracy (same as `python -m sandbox slips accuracy`)",
}


def hand_over(argv: list[str]) -> int:
    """`python -m bot demo …` becomes `python -m sandbox demo …` in this process's place: the sandboxes are
    test equipment outside the shipped `bot` package (the import contract keeps `bot` from importing them)."""
    if importlib.util.find_spec("sandbox") is None:
        print("The sandbox package is not here: run this from the repository (make demo).", file=sys.stderr)
        return 2
    os.execv(sys.executable, [sys.executable, "-m", "sandbox", *argv])  # replaces this process
