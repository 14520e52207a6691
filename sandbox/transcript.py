"""Plain-text rendering of what a person sees in Slack: for the demo's printed transcript and test failures.

Close enough to read like the screen, not a Block Kit renderer: bold markers dropped, links shown as
`text (url)`, buttons as `[ Text ]`, inputs as `Label: <value or placeholder>`.
"""

from __future__ import annotations

import re
from typing import Any

_LINK = re.compile(r"<([^<>|]+)\|([^<>]+)>")
_BARE_LINK = re.compile(r"<((?:https?|mailto):[^<>|]+)>")
_MENTION = re.compile(r"<([@#!])([^<>|]+)(?:\|([^<>]+))?>")
_BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")


def mrkdwn_to_text(text: str) -> str:
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = _BARE_LINK.sub(lambda m: m.group(1), text)
    text = _MENTION.sub(lambda m: m.group(3) or f"{'@' if m.group(1) == '@' else m.group(1)}{m.group(2)}", text)
    text = _BOLD.sub(r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def render_blocks(blocks: list[dict]) -> list[str]:
    lines: list[str] = []
    for block in blocks or []:
        render = _RENDERERS.get(block.get("type", ""), _render_unknown)
        lines.extend(render(block))
    return lines


def render_view(view: dict, errors: dict[str, str] | None = None) -> str:
    """A modal or home tab; `errors` (block_id → message) are shown under their inputs as Slack does."""
    title = _text(view.get("title")) or ("Home" if view.get("type") == "home" else "(untitled)")
    lines = [f"┌ {title} ┐"]
    for block in view.get("blocks") or []:
        lines.extend("  " + line for line in render_blocks([block]))
        if errors and block.get("block_id") in errors:
            lines.append(f"  ⚠ {errors[block['block_id']]}")
    footer = [f"[ {_text(view[key])} ]" for key in ("close", "submit") if view.get(key)]
    if footer:
        lines.append("  " + "  ".join(footer))
    return "\n".join(lines)


def render_message(message: dict, names: dict[str, str] | None = None) -> str:
    """A posted message or ephemeral; `names` (channel/user id → name) makes the heading readable."""
    names = names or {}
    channel = str(message.get("channel") or "?")
    person = message.get("user")
    if channel.startswith("D") and person:
        head = f"DM to {names.get(person, person)}"
    else:
        head = f"#{names.get(channel, channel)}"
        if person:  # ephemerals carry the one person who sees them
            head += f" (only visible to {names.get(person, person)})"
    if message.get("thread_ts"):
        head += f" in thread {message['thread_ts']}"
    body = render_blocks(message.get("blocks") or []) or [mrkdwn_to_text(message.get("text") or "")]
    # Slack shows a mention as the person's name; so does the transcript when it knows the name.
    body = [re.sub(r"@(U\w+)", lambda m: "@" + names.get(m.group(1), m.group(1)), line) for line in body]
    return "\n".join([head] + ["  " + line for line in body])


# ---- block renderers ------------------------------------------------------------------------------------
def _text(obj: Any) -> str:
    if isinstance(obj, str):
        return mrkdwn_to_text(obj)
    if not isinstance(obj, dict):
        return ""
    text = obj.get("text", "")
    return mrkdwn_to_text(text) if obj.get("type") == "mrkdwn" else text


def _render_header(block: dict) -> list[str]:
    text = _text(block.get("text"))
    return [text, "=" * len(text)]


def _render_section(block: dict) -> list[str]:
    lines = _text(block.get("text")).splitlines() if block.get("text") else []
    fields = [_text(f).replace("\n", " ") for f in block.get("fields") or []]
    lines += ["  ".join(fields[i:i + 2]) for i in range(0, len(fields), 2)]
    accessory = block.get("accessory")
    if accessory:
        lines.append(_element(accessory))
    return lines


def _render_context(block: dict) -> list[str]:
    parts = [_text(e) if e.get("type") != "image" else f"({e.get('alt_text', 'image')})"
             for e in block.get("elements") or []]
    return ["· " + "  ".join(p for p in parts if p)]


def _render_actions(block: dict) -> list[str]:
    return ["  ".join(_element(e) for e in block.get("elements") or [])]


def _render_input(block: dict) -> list[str]:
    label = _text(block.get("label"))
    optional = " (optional)" if block.get("optional") else ""
    lines = [f"{label}{optional}: {_input_shown(block.get('element') or {})}"]
    if block.get("hint"):
        lines.append(f"  ({_text(block['hint'])})")
    return lines


def _render_image(block: dict) -> list[str]:
    return [f"[image: {block.get('alt_text', '')}]"]


def _render_divider(block: dict) -> list[str]:
    return ["─" * 30]


def _render_rich_text(block: dict) -> list[str]:
    texts = []
    for element in block.get("elements") or []:
        texts.append("".join(part.get("text", "") for part in element.get("elements") or []))
    return texts


def _render_unknown(block: dict) -> list[str]:
    return [f"<{block.get('type', 'block')}>"]


_RENDERERS = {"header": _render_header, "section": _render_section, "context": _render_context,
              "actions": _render_actions, "input": _render_input, "divider": _render_divider,
              "image": _render_image, "rich_text": _render_rich_text}


def _element(element: dict) -> str:
    kind = element.get("type")
    if kind == "button":
        return f"[ {_text(element.get('text'))} ]"
    if kind == "overflow":
        return "[ ⋯ ]"
    if kind == "image":
        return f"(image: {element.get('alt_text', '')})"
    return f"[{_input_shown(element)} ▾]"


def _input_shown(element: dict) -> str:
    """What the field shows before anyone types: its initial value, else its greyed placeholder."""
    initial = next((element[key] for key in ("initial_value", "initial_option", "initial_date", "initial_time",
                                             "initial_user", "initial_options", "initial_users")
                    if element.get(key) not in (None, "", [])), None)
    if isinstance(initial, dict):
        return _text(initial.get("text"))
    if isinstance(initial, list):
        return ", ".join(_text(i.get("text")) if isinstance(i, dict) else str(i) for i in initial)
    if initial is not None:
        return str(initial)
    placeholder = _text(element.get("placeholder"))
    if placeholder:
        return f"<{placeholder}>"
    if element.get("type") == "file_input":
        return "<drop a file>"
    return "<>"
