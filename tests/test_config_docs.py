"""Every setting the bot reads is listed in .env.example and in the README's configuration table."""
from __future__ import annotations

import re
from pathlib import Path

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def names() -> set[str]:
    return {name.upper() for name in Settings.model_fields}


def test_env_example_lists_every_setting() -> None:
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert names() - listed == set(), "missing from .env.example"
    assert listed - names() == set(), "in .env.example but not read by the bot"


def test_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = {n for n in names() if f"`{n}`" not in readme}
    assert missing == set(), "missing from the README's configuration table"
