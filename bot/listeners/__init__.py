"""Every Bolt listener of the bot, and nothing else: thin adapters from Slack requests to the floor.

Each listener acks first (anything slow happens after Slack has its 200, as a tracked job so a shutdown
waits for it), turns Slack's payload into what the floor needs (`Tap`, `Submission`) and calls
`commands/`. `register_listeners` is the one place a listener is registered.
"""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.alerts import Alerts
from bot.listeners import commands, events, supervisors, tasks
from bot.report.post import ShiftReports
from commands.context import Floor
from commands.receiving.service import Receiving
from commands.recording import Recorder


def register_listeners(app: AsyncApp, floor: Floor, recorder: Recorder, receiving: Receiving, alerts: Alerts,
                       reports: ShiftReports) -> None:
    events.register(app, floor)
    commands.register(app, floor, recorder, receiving)
    tasks.register(app, floor, recorder)
    supervisors.register(app, floor, recorder, alerts, reports)
