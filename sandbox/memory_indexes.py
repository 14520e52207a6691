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
  filed under its values, re-reading each one's current values (updates change documents in place);
- a condition `{field: {"$regex": "^LITERAL"}}` (or `"^LITERAL$"`, letters, digits and "#" only) on a
  field of a declared index — the shape of MongoDB's index range scan, used by the open-order search
  (models.open_orders) — looks at the documents whose values (each element of an array) fall in that
  range of a sorted copy of the field's values. The copy is rebuilt after the collection was written
  (writes are counted), so it is never stale; the rest of the filter is still applied by mongomock, and
  documents come in the order of their values (MongoDB's index order; the bot sorts where it matters);
- a collection with a TTL index is swept of expired documents once a minute, as MongoDB's TTL monitor
  does (`ttlMonitorSleepSecs`, 60), not on every access: mongomock scanned every document of the
  collection for each key looked up, checked or inserted, so each webhook delivery cost a pass over all
  the events stored before it (bench row 3 fell from 6,755 to 124 deliveries/s when issue 19a gave
  `katana_events` its retention TTL).

Anything the shortcuts do not cover exactly (partial indexes, array or document values, `_id`
operators) takes mongomock's own path. Install before the client creates its collections.
"""
from __future__ import annotations

import bisect
import itertools
import re
import time
from typing import Any

from mongomock import DuplicateKeyError, ObjectId, filtering, helpers
from mongomock.collection import Collection, Cursor
from mongomock.filtering import filter_applies
from mongomock.store import CollectionStore

_PLAIN_IDS = (str, int, ObjectId)
_SLOW = object()  # an index whose values the map cannot hold: always scan
_PREFIX = re.compile(r"\^([A-Za-z0-9#]+)(\$?)")
TTL_MONITOR_SECONDS = 60.0  # MongoDB's ttlMonitorSleepSecs: how often the server deletes expired documents
_installed = False


def install() -> None:
    """Patch mongomock's Collection once per process (idempotent)."""
    global _installed
    if _installed:
        return
    scan_documents, scan_uniques = Collection._iter_documents, Collection._ensure_uniques

    def _iter_documents(self: Collection, filter: Any) -> Any:  # mongomock's name
        ids = _named_ids(filter.get("_id", _SLOW) if isinstance(filter, dict) else _SLOW)
        if ids is None and (in_range := _in_range(self._store, filter)) is not None:
            return iter(_matching(self._store, filter, *in_range))
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
    _count_writes()
    _limit_before_projecting()
    _expire_once_a_minute()
    _installed = True


def _expire_once_a_minute(clock: Any = time.monotonic) -> None:
    """mongomock's own expiry pass (every TTL index, every document), at most once per TTL_MONITOR_SECONDS
    per collection instead of on every access. MongoDB promises no sooner: a document may outlive its
    expiry by up to a minute (more under load) there too."""
    sweep = CollectionStore._remove_expired_documents

    def _remove_expired_documents(self: CollectionStore) -> None:
        now = clock()
        if not self._ttl_indexes or now < self.__dict__.get("_next_ttl_pass", now):
            return
        self.__dict__["_next_ttl_pass"] = now + TTL_MONITOR_SECONDS
        sweep(self)
    CollectionStore._remove_expired_documents = _remove_expired_documents  # type: ignore[method-assign]


def _limit_before_projecting() -> None:
    """A cursor with a limit copies (projects) only the documents it returns: mongomock copied every
    match, then cut to the limit — 5,000 copies for the 100 options of a one-letter search."""
    compute = Cursor._compute_results

    def _compute_results(self: Cursor, with_limit_and_skip: bool = False) -> Any:
        if not (with_limit_and_skip and self._limit and self._limit > 0):
            return compute(self, with_limit_and_skip)
        if self.__dict__.get("_first_of") is not self._factory:
            first = list(itertools.islice(self._factory(), self._skip + self._limit))
            if self.collection.codec_options.tz_aware:
                first = [helpers.make_datetime_timezone_aware_in_document(d) for d in first]
            self.__dict__.update(_first=first, _first_of=self._factory)
        return self.__dict__["_first"][self._skip:self._skip + self._limit]
    Cursor._compute_results = _compute_results  # type: ignore[method-assign]
    dataset = Collection._get_dataset

    def _get_dataset(self: Collection, spec: Any, sort: Any, fields: Any, as_class: Any) -> Any:
        """A sort on one top-level field holding integers everywhere: Python's sort by that integer, which
        is mongomock's order for them (its general comparison took 20 µs a document)."""
        order = list(sort.items() if isinstance(sort, dict) else sort or [])
        if len(order) != 1 or not isinstance(order[0][0], str) or order[0][0].startswith("$") or "." in order[0][0]:
            yield from dataset(self, spec, sort, fields, as_class)
            return
        (key, direction), found = order[0], list(self._iter_documents(spec))
        if not all(type(d.get(key)) is int for d in found):
            found.sort(key=lambda d: filtering.resolve_sort_key(key, d), reverse=direction < 0)
        else:
            found.sort(key=lambda d: d[key], reverse=direction < 0)
        for document in found:
            yield self._copy_only_fields(document, fields, as_class)
    Collection._get_dataset = _get_dataset  # type: ignore[method-assign]


def _count_writes() -> None:
    """Every way mongomock changes a collection: documents set or removed, updates in place, a drop."""
    def counted(method: Any, store_of: Any) -> Any:
        def write(self: Any, *args: Any, **kwargs: Any) -> Any:
            store = store_of(self)
            store.__dict__["_writes"] = store.__dict__.get("_writes", 0) + 1
            return method(self, *args, **kwargs)
        return write
    itself, of_collection = (lambda store: store), (lambda collection: collection._store)
    for name in ("__setitem__", "__delitem__", "drop"):
        setattr(CollectionStore, name, counted(getattr(CollectionStore, name), itself))
    Collection._update = counted(Collection._update, of_collection)  # type: ignore[method-assign]


def _matching(store: Any, filter: dict[str, Any], field: str, ids: list[Any]) -> list[Any]:
    """The documents among `ids` the whole filter accepts. The range condition holds by construction, and
    so do `$and`-ed prefix conditions on indexed fields, whose ranges are intersected here; plain
    equalities of top-level fields are compared here (mongomock's general matcher cost 0.1 ms a
    document); anything else goes to mongomock."""
    store._remove_expired_documents()
    rest = [(k, v) for k, v in filter.items() if k not in (field, "$and")]
    prefixes = _and_prefixes(store, filter.get("$and", []))
    plain = prefixes is not None and all(not k.startswith("$") and "." not in k and isinstance(v, (str, int))
                                         for k, v in rest)
    if plain and prefixes:
        also = set.intersection(*(set(_range(store, f, literal, False)) for f, literal in prefixes))
        ids = [i for i in ids if i in also]
    documents, found = store._documents, []
    for doc_id in ids:
        document = documents.get(doc_id)
        if document is not None and (_plainly_equal(document, rest) if plain else filter_applies(filter, document)):
            found.append(document)
    return found


def _and_prefixes(store: Any, conditions: Any) -> list[tuple[str, str]] | None:
    """`$and` of literal prefix conditions on indexed top-level fields ({field: {"$regex": "^LIT"}}) as
    (field, LIT), else None."""
    found = []
    for condition in conditions if isinstance(conditions, list) else [None]:
        if not (isinstance(condition, dict) and len(condition) == 1):
            return None
        ((field, wanted),) = condition.items()
        literal = _literal(wanted)
        if literal is None or literal[1] or "." in field or field.startswith("$") or not _indexed(store, field):
            return None
        found.append((field, literal[0]))
    return found


def _literal(condition: Any) -> tuple[str, bool] | None:
    """(LIT, exact) of `{"$regex": "^LIT"}` or `{"$regex": "^LIT$"}`, LIT letters, digits and "#"."""
    if not (isinstance(condition, dict) and list(condition) == ["$regex"] and isinstance(condition["$regex"], str)):
        return None
    found = _PREFIX.fullmatch(condition["$regex"])
    return (found.group(1), bool(found.group(2))) if found else None


def _plainly_equal(document: dict[str, Any], wanted: list[tuple[str, Any]]) -> bool:
    for key, value in wanted:
        stored = document.get(key)
        if type(stored) is not type(value):  # an array or a number of another type: mongomock decides
            return isinstance(stored, (list, dict, float)) and filter_applies(dict(wanted), document)
        if stored != value:
            return False
    return True


def _in_range(store: Any, filter: Any) -> tuple[str, list[Any]] | None:
    """(field, ids) whose indexed field starts with (or is) a literal, from a sorted copy of its values."""
    if not isinstance(filter, dict):
        return None
    for field, condition in filter.items():
        literal = _literal(condition)
        if literal is not None and _indexed(store, field):
            return field, _range(store, field, *literal)
    return None


def _indexed(store: Any, field: str) -> bool:
    return any(field in dict(index["key"]) for index in store.indexes.values())


def _range(store: Any, field: str, low: str, exact: bool) -> list[Any]:
    values = _sorted_values(store, field)
    high = low if exact else low + "\U0010ffff"
    start, end = bisect.bisect_left(values, (low,)), bisect.bisect_right(values, (high, _LAST))
    return list(dict.fromkeys(doc_id for _, doc_id in values[start:end]))


class _Last:
    """Sorts after every document id: the end of a range of equal values."""

    def __lt__(self, other: Any) -> bool:
        return False

    def __gt__(self, other: Any) -> bool:
        return True


_LAST = _Last()


def _sorted_values(store: Any, field: str) -> list[tuple[str, Any]]:
    copies: dict[str, tuple[int, list[tuple[str, Any]]]] = store.__dict__.setdefault("_sorted_values", {})
    writes = store.__dict__.get("_writes", 0)
    copy = copies.get(field)
    if copy is None or copy[0] != writes:
        pairs = []
        for doc_id, document in store._documents.items():
            try:
                value = helpers.get_value_by_dot(document, field)
            except KeyError:
                continue
            pairs += [(v, doc_id) for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
        pairs.sort(key=lambda pair: pair[0])
        copy = copies[field] = (writes, pairs)
    return copy[1]


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
