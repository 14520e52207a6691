"""Hash lookups for the in-memory store, so it scales the way MongoDB does.

mongomock answers every `{"_id": …}` query and checks every unique index by scanning all documents
of the collection; MongoDB uses its indexes. A 10,000-delivery webhook burst or a 50,000-item stock
sync therefore took quadratic time in memory mode (tests, `make demo`, `make bench`), which measured
mongomock instead of the bot (`make bench` profile). `install()` gives mongomock two shortcuts:

- a query naming one plain `_id`, or a `$in` list of them, looks at those documents only (the `_id`
  is the store's own key), and the rest of the filter is still applied by mongomock. (Such a `$in`
  answers in the list's order, not mongomock's insertion order: MongoDB promises neither without a
  sort, and the bot sorts where order matters);
- a unique index keeps a map from key values to document ids; a write checks only the documents
  filed under its values, re-reading each one's current values (updates change documents in place).

Anything the shortcuts do not cover exactly (partial indexes, array or document values, `_id`
operators) takes mongomock's own path. Install before the client creates its collections.
"""
from __future__ import annotations

from typing import Any

from mongomock import DuplicateKeyError, ObjectId, helpers
from mongomock.collection import Collection
from mongomock.filtering import filter_applies

_PLAIN_IDS = (str, int, ObjectId)
_SLOW = object()  # an index whose values the map cannot hold: always scan
_installed = False


def install() -> None:
    """Patch mongomock's Collection once per process (idempotent)."""
    global _installed
    if _installed:
        return
    scan_documents, scan_uniques = Collection._iter_documents, Collection._ensure_uniques

    def _iter_documents(self: Collection, filter: Any) -> Any:  # mongomock's name
        ids = _named_ids(filter.get("_id", _SLOW) if isinstance(filter, dict) else _SLOW)
        if ids is None:
            return scan_documents(self, filter)
        documents = [self._store[i] for i in ids if i in self._store]
        if not documents:
            filter_applies(filter, {})  # mongomock validates the filter even when nothing can match
            return iter(())
        # The `_id` clause holds by construction: checking it again costs a scan of the `$in` list per
        # document (quadratic for a long list, as the shift report's tasks of 500 MOs).
        rest = {key: value for key, value in filter.items() if key != "_id"}
        return iter([document for document in documents if filter_applies(rest, document)])

    def _ensure_uniques(self: Collection, new_data: Any) -> None:
        for name, index in self._store.indexes.items():
            if index.get("unique") and not _check_by_map(self, name, index, new_data):
                scan_uniques_for(self, index, new_data)

    def scan_uniques_for(self: Collection, index: dict[str, Any], new_data: Any) -> None:
        indexes = self._store.indexes
        self._store.indexes = {"one": index}
        try:
            scan_uniques(self, new_data)
        finally:
            self._store.indexes = indexes

    Collection._iter_documents = _iter_documents  # type: ignore[method-assign]
    Collection._ensure_uniques = _ensure_uniques  # type: ignore[method-assign]
    _installed = True


def _plain_id(value: Any) -> bool:
    return isinstance(value, _PLAIN_IDS) and not isinstance(value, bool)


def _named_ids(wanted: Any) -> list[Any] | None:
    """The ids a `_id` condition names — one plain id, or `{"$in": [plain ids]}` — or None to scan."""
    if _plain_id(wanted):
        return [wanted]
    if isinstance(wanted, dict) and list(wanted) == ["$in"] and isinstance(wanted["$in"], (list, tuple)) \
            and all(_plain_id(i) for i in wanted["$in"]):
        return list(dict.fromkeys(wanted["$in"]))  # each document once, as a scan finds it
    return None


def _key(document: Any, fields: list[str]) -> tuple[Any, ...] | None:
    """The index's values for a document (missing = None, as mongomock matches them), or None when
    a value cannot be a hash key exactly (arrays and sub-documents match by containment)."""
    values = []
    for field in fields:
        try:
            value = helpers.get_value_by_dot(document, field)
        except KeyError:
            value = None
        if isinstance(value, (list, tuple, dict, set)):
            return None
        values.append(value)  # (True and 1 are one key here, as they are one match to mongomock)
    return tuple(values)


def _check_by_map(collection: Collection, name: str, index: dict[str, Any], new_data: Any) -> bool:
    """Check `new_data` (already stored) against a unique index; False: take the scanning path."""
    if index.get("partialFilterExpression") is not None:
        return False
    fields = [field for field, _ in index["key"]]
    store = collection._store
    maps: dict[str, tuple[dict[str, Any], Any]] = store.__dict__.setdefault("_unique_maps", {})
    current = maps.get(name)
    if current is None or current[0] is not index:  # a new (or re-created) index: file what is there
        current = maps[name] = (index, _build(store, fields))
    buckets = current[1]
    key = _key(new_data, fields)
    if buckets is _SLOW or key is None:
        maps[name] = (index, _SLOW)
        return False
    if index.get("sparse") and all(value is None for value in key):
        return True
    doc_id = _store_key(new_data["_id"])
    filed = buckets.get(key)
    if filed is None or filed is doc_id or (not isinstance(filed, set) and filed == doc_id):
        buckets[key] = doc_id  # one document per key, the usual case: the id itself, no set
        return True
    ids = filed if isinstance(filed, set) else {filed}
    ids.add(doc_id)
    buckets[key] = ids
    if sum(1 for i in list(ids) if _still_filed(store, i, fields, key, ids)) > 1:
        raise DuplicateKeyError("E11000 Duplicate Key Error", 11000)
    return True


def _build(store: Any, fields: list[str]) -> Any:
    buckets: dict[tuple[Any, ...], Any] = {}  # key → a document id, or a set of ids sharing the key
    for document in store.documents:
        key = _key(document, fields)
        if key is None:
            return _SLOW
        doc_id, filed = _store_key(document["_id"]), buckets.get(key)
        if filed is None:
            buckets[key] = doc_id
        else:
            buckets[key] = (filed if isinstance(filed, set) else {filed}) | {doc_id}
    return buckets


def _still_filed(store: Any, doc_id: Any, fields: list[str], key: tuple[Any, ...], ids: set[Any]) -> bool:
    """Whether the document still exists with these values; forget it from this bucket otherwise."""
    document = store._documents.get(doc_id)
    if document is not None and _key(document, fields) == key:
        return True
    ids.discard(doc_id)
    return False


def _store_key(doc_id: Any) -> Any:
    return helpers.hashdict(doc_id) if isinstance(doc_id, dict) else doc_id
