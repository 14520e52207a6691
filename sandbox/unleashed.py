"""A loopback stand-in for Unleashed's API, for the alert tests.

It checks what real Unleashed checks (apidocs.unleashedsoftware.com/AuthenticationHelp, as summarised in
shared/docs/INTEGRATIONS.md): `api-auth-id`, an `api-auth-signature` recomputed over the exact query string
it received (a mismatch is 403), `client-type`, JSON Accept/Content-Type; paging by path (`/StockOnHand/2`)
with `pageSize` 1–1000 (default 200); the `{"Pagination", "Items"}` envelope; `/Date(ms)/` dates. It counts
every call it receives against an optional monthly quota — refused ones too (a bad signature, a 429, the
quota itself): Unleashed counts the calls made, not the calls answered, and a sandbox that forgave refused
calls would be more lenient than the service. Past the quota every call is refused (403 — the status
Unleashed uses for a blocked account is not documented; that choice is the fake's).

The signature and the dates are computed here, from the documentation, never with the client's
`integrations.unleashed` code: `signature()` is checked against the published test vector in the tests.

Unleashed publishes no example data, so the fake starts empty: tests add the products they need.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from aiohttp import web

from sandbox.loopback import Fault, LoopbackServer, SeenRequest, take_fault

RESOURCES = ("StockOnHand", "Products", "Assemblies")
DEFAULT_PAGE_SIZE = 200


def signature(query: str, api_key: str) -> str:
    """base64(HMAC-SHA256(key = the API key's UTF-8 bytes, message = the query string without "?"))."""
    return base64.b64encode(hmac.digest(api_key.encode("utf-8"), query.encode("utf-8"), hashlib.sha256)).decode()


def ms_date(moment: datetime) -> str:
    """Unleashed's JSON dates: `/Date(<ms since the epoch, UTC>)/`."""
    return f"/Date({round(moment.timestamp() * 1000)})/"


class FakeUnleashed:
    def __init__(self, *, api_id: str = "unleashed-sandbox-id", api_key: str = "unleashed-sandbox-key",
                 monthly_quota: int | None = None) -> None:
        self.api_id, self.api_key, self.monthly_quota = api_id, api_key, monthly_quota
        self.products: dict[str, dict[str, Any]] = {}  # by Guid
        self.stock: dict[str, dict[str, Any]] = {}  # by ProductGuid
        self.assemblies: list[dict[str, Any]] = []
        self.requests: list[SeenRequest] = []
        self.refused: list[SeenRequest] = []
        self.auth_refusals: list[str] = []  # why a request's id/signature/headers were refused
        self.faults: list[Fault] = []
        self._server = LoopbackServer()

    @property
    def base_url(self) -> str:
        return self._server.base_url

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/{resource}", self._serve)
        app.router.add_get("/{resource}/{page:\\d+}", self._serve)
        return await self._server.serve(app)

    async def stop(self) -> None:
        await self._server.close()

    # --- what tests set up ----------------------------------------------------------------------

    def add_product(self, code: str, description: str, *, on_hand: Any, min_level: Any = None,
                    obsolete: bool = False) -> str:
        guid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"unleashed-sandbox/{code}"))
        self.products[guid] = {"Guid": guid, "ProductCode": code, "ProductDescription": description,
                               "MinStockAlertLevel": _number(min_level), "MaxStockAlertLevel": None,
                               "ReOrderPoint": None, "Obsolete": obsolete, "LastModifiedOn": _now()}
        self.set_stock(code, on_hand)
        return guid

    def set_stock(self, code: str, on_hand: Any) -> None:
        product = next(p for p in self.products.values() if p["ProductCode"] == code)
        qty = _number(on_hand)
        self.stock[product["Guid"]] = {
            "ProductGuid": product["Guid"], "ProductCode": code,
            "ProductDescription": product["ProductDescription"], "QtyOnHand": qty, "AvailableQty": qty,
            "AllocatedQty": 0, "AvgCost": 0, "Warehouse": None, "WarehouseCode": None, "LastModifiedOn": _now()}

    def fail_next(self, n: int = 1, *, status: int = 500, path_prefix: str = "") -> None:
        self.faults.append(Fault(status=status, remaining=n, path_prefix=path_prefix))

    # --- HTTP -----------------------------------------------------------------------------------

    async def _serve(self, request: web.Request) -> web.Response:
        seen = SeenRequest("GET", request.path, request.rel_url.raw_query_string, dict(request.headers))
        self.requests.append(seen)
        status, body = self._answer(request, seen)
        seen.status = status
        if status >= 400:
            self.refused.append(seen)
        return web.Response(status=status, text=json.dumps(body, default=_json_default),
                            content_type="application/json")

    def _answer(self, request: web.Request, seen: SeenRequest) -> tuple[int, Any]:
        refusal = self._auth_problem(seen)
        if refusal:
            self.auth_refusals.append(refusal)
            return 403, {"description": refusal}
        if self.monthly_quota is not None and len(self.requests) > self.monthly_quota:
            return 403, {"description": "API call limit for this month reached"}
        fault = take_fault(self.faults, request.path)
        if fault is not None:
            return fault.status, {"description": "sandbox fault"}
        resource = request.match_info["resource"]
        if resource not in RESOURCES:
            return 404, {"description": f"unknown resource {resource}"}
        return self._page(resource, request)

    def _auth_problem(self, seen: SeenRequest) -> str | None:
        headers = {k.lower(): v for k, v in seen.headers.items()}
        if headers.get("api-auth-id") != self.api_id:
            return "unknown api-auth-id"
        expected = signature(seen.raw_query, self.api_key)
        if not hmac.compare_digest(headers.get("api-auth-signature", ""), expected):
            return "The signature provided is not valid"
        if not headers.get("client-type"):
            return "client-type header missing"
        if "application/json" not in headers.get("accept", ""):
            return "Accept must be application/json"
        return None

    def _page(self, resource: str, request: web.Request) -> tuple[int, Any]:
        try:
            size = int(request.query.get("pageSize", DEFAULT_PAGE_SIZE))
            page = int(request.match_info.get("page", 1))
        except ValueError:
            return 400, {"description": "pageSize and page must be numbers"}
        if not 1 <= size <= 1000 or page < 1:
            return 400, {"description": "pageSize must be 1-1000"}
        items = self._items(resource, request.query)
        pages = max(1, math.ceil(len(items) / size))
        chunk = items[(page - 1) * size: page * size]
        return 200, {"Pagination": {"NumberOfItems": len(items), "PageSize": size, "PageNumber": page,
                                    "NumberOfPages": pages}, "Items": chunk}

    def _items(self, resource: str, query: Any) -> list[dict[str, Any]]:
        if resource == "StockOnHand":
            return sorted(self.stock.values(), key=lambda r: r["ProductCode"])
        if resource == "Products":
            return sorted(self.products.values(), key=lambda r: r["ProductCode"])
        status = query.get("assemblyStatus")
        return [a for a in self.assemblies if status is None or a.get("AssemblyStatus") == status]


def _number(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _now() -> str:
    return ms_date(datetime.now(UTC))


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot encode {type(value).__name__}")
