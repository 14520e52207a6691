"""What each integration needs and has: shown by `/healthz`, `python -m bot check` and `/floor status`."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class IntegrationStatus:
    name: str
    configured: bool
    missing: list[str] = field(default_factory=list)
    reachable: bool | None = None  # None: not checked
    detail: str = ""
    required_for_serve: bool = True
