"""What Katana returns, as tolerant pydantic models.

Tolerant on purpose: unknown fields are kept (extra="allow"), almost every field is optional, and
quantities accept numbers or Katana's fixed-point strings ("7.00000") and become Decimal.
"""
from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

MO_STATUSES = ("NOT_STARTED", "BLOCKED", "IN_PROGRESS", "PARTIALLY_COMPLETED", "DONE")
OPERATION_STATUSES = ("NOT_STARTED", "BLOCKED", "IN_PROGRESS", "PAUSED", "COMPLETED")


def _assume_utc(value: datetime) -> datetime:
    # Katana sends "...Z", but date-only values ("2024-05-01") parse naive; naive and aware
    # datetimes cannot be compared, so read a missing offset as UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


Timestamp = Annotated[datetime, AfterValidator(_assume_utc)]


class KatanaModel(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _unwrap_example_envelope(cls, data: Any) -> Any:
        # Some documented responses wrap the record once more ({"moOperationRowResponseExample": {...}}
        # or {"data": {...}}); a record always has an id, a wrapper has one key holding the record.
        if isinstance(data, dict) and "id" not in data and len(data) == 1:
            (inner,) = data.values()
            if isinstance(inner, dict):
                return inner
        return data


class OperatorRef(BaseModel):
    """Who did an operation: Katana accepts an operator id or a name (UpdateOperatorDto)."""

    model_config = ConfigDict(extra="allow")
    operator_id: int | None = None
    name: str | None = None

    def to_dto(self) -> dict[str, Any]:
        """Only the keys UpdateOperatorDto allows (the DTO forbids extra properties).

        Checked here rather than in a validator so an odd row in a *response* never breaks parsing.
        """
        if self.operator_id is not None:
            return {"operator_id": self.operator_id}
        if self.name and self.name.strip():
            return {"name": self.name.strip()}
        raise ValueError("an operator needs an operator_id or a name")


class Operator(KatanaModel):
    id: int
    operator_name: str = ""


class ManufacturingOrder(KatanaModel):
    id: int
    order_no: str = ""
    status: str = ""
    variant_id: int | None = None
    location_id: int | None = None
    planned_quantity: Decimal = Decimal(0)
    actual_quantity: Decimal | None = None
    additional_info: str | None = ""
    is_linked_to_sales_order: bool = False
    sales_order_id: int | None = None
    sales_order_row_id: int | None = None
    production_deadline_date: Timestamp | None = None
    done_date: Timestamp | None = None
    created_at: Timestamp | None = None
    deleted_at: Timestamp | None = None

    @property
    def is_done(self) -> bool:
        return self.status == "DONE"


class OperationRow(KatanaModel):
    id: int
    manufacturing_order_id: int | None = None
    operation_id: int | None = None
    operation_name: str = ""
    status: str = ""
    rank: Decimal | None = None  # Katana ranks can be fractional after reordering
    total_actual_time: Decimal | None = None  # seconds
    completed_by_operators: list[OperatorRef] = Field(default_factory=list)
    assigned_operators: list[OperatorRef] = Field(default_factory=list)
    resource_id: int | None = None
    resource_name: str | None = None
    completed_at: Timestamp | None = None
    deleted_at: Timestamp | None = None


class Production(KatanaModel):
    id: int
    manufacturing_order_id: int | None = None
    quantity: Decimal = Decimal(0)
    production_date: Timestamp | None = None
    created_at: Timestamp | None = None
    deleted_at: Timestamp | None = None

    def batch_ids(self) -> set[int]:
        """Output batch ids if Katana echoed any (the response shape for this is undocumented)."""
        extra = self.model_extra or {}
        found: set[int] = set()
        single = extra.get("batch_transaction")
        rows = [single] if isinstance(single, dict) else []
        rows += [r for r in extra.get("batch_transactions") or [] if isinstance(r, dict)]
        for row in rows:
            if isinstance(row.get("batch_id"), int):
                found.add(row["batch_id"])
        return found


class Batch(KatanaModel):
    """A batch from POST /batches ({id}) or GET /batch_stocks ({batch_id, quantity_in_stock})."""

    id: int
    batch_number: str = ""
    variant_id: int | None = None
    expiration_date: Timestamp | None = None
    batch_barcode: str | None = None
    batch_created_date: Timestamp | None = None
    location_id: int | None = None
    quantity_in_stock: Decimal | None = None

    @model_validator(mode="before")
    @classmethod
    def _batch_stock_shape(cls, data: Any) -> Any:
        if isinstance(data, dict) and "id" not in data and "batch_id" in data:
            return {**data, "id": data["batch_id"]}
        return data


class Variant(KatanaModel):
    id: int
    sku: str | None = None
    product_id: int | None = None
    material_id: int | None = None
    type: str | None = None
    internal_barcode: str | None = None
    registered_barcode: str | None = None


class SalesOrderRow(KatanaModel):
    id: int
    variant_id: int | None = None
    quantity: Decimal = Decimal(0)
    linked_manufacturing_order_id: int | None = None
    location_id: int | None = None


class SalesOrder(KatanaModel):
    id: int
    order_no: str = ""
    status: str | None = None
    customer_id: int | None = None
    location_id: int | None = None
    production_status: str | None = None
    delivery_date: Timestamp | None = None
    sales_order_rows: list[SalesOrderRow] = Field(default_factory=list)


class PurchaseOrderRow(KatanaModel):
    id: int
    variant_id: int | None = None
    quantity: Decimal = Decimal(0)
    purchase_order_id: int | None = None
    received_date: Timestamp | None = None


class PurchaseOrder(KatanaModel):
    id: int
    order_no: str = ""
    status: str | None = None
    supplier_id: int | None = None
    location_id: int | None = None
    expected_arrival_date: Timestamp | None = None
    purchase_order_rows: list[PurchaseOrderRow] = Field(default_factory=list)
    deleted_at: Timestamp | None = None
