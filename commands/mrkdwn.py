"""Text for Slack's mrkdwn: what people typed, what a slip said and what Katana or Slack hold is shown,
never obeyed.

In mrkdwn — section and context text, a message's fallback `text`, ephemeral and slash-command answers —
`<…>` is markup: `<https://evil.example|Open MO>` renders as a link, `<!channel>` notifies everyone,
`<@U…>` mentions someone. Slack's rule for text that is not ours: escape `&`, `<` and `>` as `&amp;`,
`&lt;`, `&gt;` (api.slack.com/reference/surfaces/formatting#escaping); `*`, `_` and `~` only style. The
bare words `@channel`, `@here` and `@everyone` get a zero-width space after the `@` as well: Slack turns
them into the real thing wherever a message is posted with name linking.

Every value that did not come from this code — a pause reason, a name from users.info, a batch or crate
code, an order number, a product name, a slip line, Katana's error text — goes through `escape` where it
is put into mrkdwn, once. `plain_text` fields (labels, buttons, options, titles, field errors) are
never parsed by Slack and take text as it is: escaping them would show `&lt;` to people.
"""
from __future__ import annotations

import re

_EVERYONE = re.compile(r"@(channel|here|everyone)", re.IGNORECASE)


def escape(value: object) -> str:
    """`value` as mrkdwn that shows it and does nothing else (None: nothing)."""
    if value is None:
        return ""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _EVERYONE.sub("@\u200b\\1", text)


def link(url: str, label: object) -> str:
    """A link of ours whose label is data (an order number, a product)."""
    return f"<{url}|{escape(label)}>"
