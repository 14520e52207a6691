"""`/floor operator @person <Katana operator>`: supervisors say which Katana operator a Slack person is.

    /floor operators                          Katana's operators and the Slack person linked to each
    /floor operator @person Ana Lopez         link (the operator's exact name, or its number: #41)
    /floor operator @person none              unlink: their name goes to Katana as text again

Recordings credit the linked operator (commands.steps.identify_operator); nothing is matched by name,
which anyone can change in Slack. The person is named with an @mention, which Slack hands over as their
user id (`should_escape: true` on /floor in manifest.yml). Each change is kept in the audit trail.
"""
from __future__ import annotations

import re
from typing import Any

from commands.context import Floor
from commands.mrkdwn import escape
from integrations.katana.errors import KatanaError
from integrations.katana.models import Operator
from models.operators import OperatorLink, OperatorTaken

USAGE = ("`/floor operator @person Katana operator name` (or its number, `#41`) links a person; "
         "`/floor operator @person none` unlinks; `/floor operators` lists them.")
MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
UNLINK_WORDS = {"none", "nobody", "-"}


def verb_text(command_text: str) -> str:
    """What follows `operator` in the command, as typed (names keep their case)."""
    return (command_text or "").strip().partition(" ")[2].strip()


async def answer(floor: Floor, command_text: str, *, by: str) -> dict[str, Any]:
    words = verb_text(command_text)
    if not words:
        return await listing(floor)
    who, _, wanted = words.partition(" ")
    mention = MENTION.match(who)
    if mention is None or not wanted.strip():
        return {"text": f"Name the person with an @mention, then the operator. {USAGE}"}
    person, wanted = mention.group(1), " ".join(wanted.split())
    if wanted.lower() in UNLINK_WORDS:
        return await unlink(floor, person, by=by)
    try:
        operators = await floor.katana.manufacturing.operators()
    except KatanaError as exc:
        return {"text": f":warning: Can't read Katana's operators: {exc.user_message} Nothing changed."}
    found = matching(operators, wanted)
    if len(found) != 1:
        return {"text": not_found(operators, wanted, len(found))}
    return await link(floor, person, found[0], by=by)


def matching(operators: list[Operator], wanted: str) -> list[Operator]:
    if re.fullmatch(r"#\d+", wanted):
        return [o for o in operators if o.id == int(wanted[1:])]
    key = wanted.casefold()
    return [o for o in operators if " ".join(o.operator_name.split()).casefold() == key]


def not_found(operators: list[Operator], wanted: str, count: int) -> str:
    if count > 1:
        return f"Katana has {count} operators called “{escape(wanted)}”: use its number, e.g. `#{operators[0].id}`."
    names = ", ".join(f"{escape(o.operator_name)} (#{o.id})" for o in operators[:30]) or "none"
    return f"Katana has no operator “{escape(wanted)}”. Its operators: {names}. Nothing changed."


async def link(floor: Floor, person: str, operator: Operator, *, by: str) -> dict[str, Any]:
    name = escape(operator.operator_name)
    try:
        await floor.store.operators.link(person, operator.id, operator.operator_name, by=by)
    except OperatorTaken as taken:
        return {"text": f"{name} (#{operator.id}) is linked to <@{taken.holder.id}> already: unlink them first "
                        f"(`/floor operator @them none`). Nothing changed."}
    await floor.store.audit.write("floor_action", "operator link", "linked", actor_id=by, person=person,
                                  operator_id=operator.id, operator_name=operator.operator_name)
    return {"text": f":white_check_mark: <@{person}> is Katana operator *{name}* (#{operator.id}): "
                    "what they record from now on is credited to that operator."}


async def unlink(floor: Floor, person: str, *, by: str) -> dict[str, Any]:
    gone = await floor.store.operators.unlink(person)
    if gone is None:
        return {"text": f"<@{person}> was not linked to a Katana operator."}
    await floor.store.audit.write("floor_action", "operator link", "unlinked", actor_id=by, person=person,
                                  operator_id=gone.operator_id, operator_name=gone.operator_name)
    return {"text": f"<@{person}> is no longer Katana operator {escape(gone.operator_name)}: "
                    "Katana gets their name as text."}


async def listing(floor: Floor) -> dict[str, Any]:
    links = await floor.store.operators.all()
    by_operator = {link.operator_id: link for link in links}
    try:
        operators = await floor.katana.manufacturing.operators()
    except KatanaError as exc:
        lines = [f":warning: Can't read Katana's operators ({exc.user_message}); the links kept here:"]
        return {"text": "\n".join(lines + [linked_line(link) for link in links])}
    lines = [operator_line(o, by_operator.get(o.id)) for o in operators]
    known = {o.id for o in operators}
    lines += [f"{linked_line(link)} — :warning: no longer in Katana" for link in links if link.operator_id not in known]
    head = "*Katana operators and who they are in Slack* (unlinked people are sent to Katana by name, as text)"
    return {"text": "\n".join([head, *lines]) if lines else "Katana has no operators."}


def operator_line(operator: Operator, link: OperatorLink | None) -> str:
    name = f"{escape(operator.operator_name)} (#{operator.id})"
    if link is None:
        return f"• {name} — not linked"
    return f"• {name} — <@{link.id}>, linked by <@{link.linked_by}> {link.linked_at:%Y-%m-%d}"


def linked_line(link: OperatorLink) -> str:
    return f"• {escape(link.operator_name)} (#{link.operator_id}) — <@{link.id}>"
