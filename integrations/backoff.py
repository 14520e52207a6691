"""Retry timing shared by the Unleashed and Amazon clients (Katana's client has its own, older copy).

Exponential backoff with full jitter: attempt n waits a random time in [0, min(cap, base·2^(n-1))], so
several processes retrying after the same outage do not hit the service in lock-step.
"""
from __future__ import annotations

import random

from integrations.katana.client import parse_retry_after

__all__ = ["full_jitter", "parse_retry_after"]


def full_jitter(attempt: int, *, base: float, cap: float, rng: random.Random, at_least: float = 0.0) -> float:
    ceiling = min(cap, base * 2 ** (attempt - 1))
    return max(at_least, rng.uniform(0.0, ceiling))
