"""`/floor help` and `/cook help` (etc.): what each command records in Katana, two lines each, privately."""
from __future__ import annotations

from commands.registry import COMMANDS
from sandbox.harness import Sandbox

ANA = "U0ANA"


def command_lines(text: str) -> dict[str, list[str]]:
    """The lines under each `*/command*` heading."""
    found: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("*/"):
            current = line[2:].split("*")[0]
            found[current] = []
        elif not line.strip() or line.startswith("*"):
            current = None
            continue
        if current:
            found[current].append(line)
    return found


async def test_each_command_explains_itself_in_two_lines(shop: Sandbox) -> None:
    for name in ("cook", "label", "pack"):
        reply = await shop.workspace.slash_command(ANA, f"/{name}", "help")
        assert reply.status == 200
        lines = reply.body.splitlines()
        assert len(lines) == 2 and lines[0].startswith(f"*/{name}* — "), reply.body
        assert "task" in lines[1]  # what it hands over to
    cook = (await shop.workspace.slash_command(ANA, "/cook", " HELP ")).body
    assert "production" in cook and "batch" in cook and "scrap" in cook
    assert shop.slack.calls_to("views.open") == []  # help opens nothing


async def test_floor_help_lists_every_command_and_the_task_buttons(shop: Sandbox) -> None:
    reply = await shop.workspace.slash_command(ANA, "/floor", "help")  # everyone may read it
    assert reply.status == 200
    listed = command_lines(reply.body)
    assert set(COMMANDS) <= set(listed)
    assert all(1 <= len(lines) <= 2 for lines in listed.values()), listed
    for word in ("Start", "Pause", "Block", "Record", "Undo"):
        assert word in reply.body
    assert "sync unleashed|amazon|quality" in reply.body  # the supervisors' part is still there
