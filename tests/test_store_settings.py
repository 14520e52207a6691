"""MongoDB settings the store sets in code, whatever the URI says (issue 19).

Motor builds its client without connecting, so the options a URI turns into can be read here without a
MongoDB server: these are what the driver would use against a real replica set."""
from __future__ import annotations

import logging

import pytest
from pymongo import ReadPreference, WriteConcern

from bot.app import store_for
from bot.settings import Settings, SettingsError, load_settings
from models.store import open_store

LOOSE_URI = ("mongodb://floor:s3cret-pw@db1.invalid:27017,db2.invalid:27017/?replicaSet=rs0"
             "&readPreference=secondaryPreferred&w=1&journal=false&retryWrites=false&retryReads=false"
             "&serverSelectionTimeoutMS=5000")


def test_the_uri_cannot_weaken_what_read_after_write_and_failover_need(caplog: pytest.LogCaptureFixture) -> None:
    """Fails on the old `AsyncIOMotorClient(uri, serverSelectionTimeoutMS=5000, tz_aware=True)`: w:1, a
    secondary read preference and no retries came from the URI, and selection gave up before an election
    (~10–12 s) was over."""
    with caplog.at_level(logging.WARNING):
        store = open_store(LOOSE_URI, "shopfloor", app_name="shopfloor replica-7")
    try:
        client = store.client
        assert client.write_concern == WriteConcern(w="majority", j=True)
        assert client.read_preference == ReadPreference.PRIMARY
        assert client.options.retry_writes is True and client.options.retry_reads is True
        assert client.options.server_selection_timeout >= 20  # seconds: past an election, with room
        assert client.options.pool_options.socket_timeout is not None  # never waits for ever on a silent link
        assert client.codec_options.tz_aware is True
        assert client.options.pool_options.metadata["application"] == {"name": "shopfloor replica-7"}
        assert store.kind == "mongodb"
    finally:
        store.close()
    warned = " ".join(r.getMessage() for r in caplog.records)
    for option in ("readPreference=secondaryPreferred", "w=1", "journal=false", "retryWrites=false",
                   "serverSelectionTimeoutMS=5000"):
        assert option in warned  # the operator learns which of their URI's options do not apply
    assert "s3cret-pw" not in warned and "db1.invalid" not in warned  # the URI is a secret


def test_a_uri_that_agrees_with_the_code_warns_of_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        store = open_store("mongodb://db1.invalid/?w=majority&readPreference=primary&replicaSet=rs0", "x")
    store.close()
    assert [r for r in caplog.records if "MONGODB_URI" in r.getMessage()] == []


def test_retention_settings_reach_the_store_and_keep_their_floors() -> None:
    settings = Settings(_env_file=None, events_retention_days=3, actions_retention_days=9,  # type: ignore[call-arg]
                        audit_retention_days=40, drafts_retention_days=2, order_memory_retention_days=5)
    store = store_for(settings)
    assert (store.events.keep.days, store.actions.keep.days, store.audit.keep.days, store.drafts.keep.days,
            store.orders.keep.days) == (3, 9, 40, 2, 5)
    assert store.undo_offers.keep == store.claims.keep == store.actions.keep
    assert store.alerts.keep == store.reports.keep == store.audit.keep
    # The shift report reads a week of actions; this month's Unleashed calls are summed from the audit.
    with pytest.raises(SettingsError, match="ACTIONS_RETENTION_DAYS"):
        load_settings(_env_file=None, actions_retention_days=7)
    with pytest.raises(SettingsError, match="AUDIT_RETENTION_DAYS"):
        load_settings(_env_file=None, audit_retention_days=31)
