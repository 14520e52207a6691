"""A tiny aiohttp server on 127.0.0.1 with an ephemeral port, for the Unleashed and Amazon fakes."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class SeenRequest:
    method: str
    path: str
    raw_query: str
    headers: dict[str, str]
    form: dict[str, str] = field(default_factory=dict)
    status: int = 0


@dataclass
class Fault:
    status: int
    remaining: int
    path_prefix: str = ""
    body: Any = None


class LoopbackServer:
    def __init__(self) -> None:
        self.base_url = ""
        self._runner: web.AppRunner | None = None

    async def serve(self, app: web.Application, host: str = "127.0.0.1", port: int = 0) -> str:
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self.base_url = f"http://{host}:{self._runner.addresses[0][1]}"
        return self.base_url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def take_fault(faults: list[Fault], path: str) -> Fault | None:
    for fault in faults:
        if fault.remaining > 0 and path.startswith(fault.path_prefix):
            fault.remaining -= 1
            return fault
    return None
