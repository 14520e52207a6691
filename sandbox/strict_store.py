"""The in-memory store refuses what MongoDB's driver refuses: updates it could not encode as BSON.

mongomock encodes a document it inserts (an int beyond 64 bits raises OverflowError, a Decimal raises
InvalidDocument, as with PyMongo) but applies updates without encoding them, so an `$inc`, `$push` or
`$set` carrying such a value succeeds in tests and fails against MongoDB (issue 14: a 25-digit
`X-Katana-Retry-Num` pushed into `retry_nums`). A sandbox must be stricter than the service, never
more lenient: `install()` encodes every update's filter and update document first, as the driver does
when it builds the command. Installed with the key indexes (sandbox.harness, sandbox.serve).
"""
from __future__ import annotations

from typing import Any

from bson import BSON
from mongomock.collection import Collection

_installed = False


def install() -> None:
    """Patch mongomock's Collection once per process (idempotent)."""
    global _installed
    if _installed:
        return
    apply_update = Collection._update

    def _update(self: Collection, spec: Any, document: Any, *args: Any, **kwargs: Any) -> Any:
        BSON.encode({"q": spec, "u": document})  # raises as PyMongo would, before anything changes
        return apply_update(self, spec, document, *args, **kwargs)

    Collection._update = _update  # type: ignore[method-assign]
    _installed = True
