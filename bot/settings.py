"""Configuration from the environment (and an optional `.env`).

The variable names are a contract with operators' deployments: keep them.
Invalid values fail at start-up with a message naming the variable
(`load_settings` turns pydantic's error into `SettingsError`).
"""
from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AnyHttpUrl, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.logging import install_malformed_request_filter, install_secret_filter
from bot.report.periods import ShiftClock, parse_shift_ends
from models.retention import DEFAULT_RETENTION, Retention

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class SettingsError(Exception):
    """A configuration value is missing or invalid; the message names the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    # Slack
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None  # set → Socket Mode
    slack_api_url: AnyHttpUrl = AnyHttpUrl("https://slack.com/api/")
    floor_channel: str | None = None
    slack_files_url: AnyHttpUrl | None = None  # an extra trusted file host (tests); files.slack.com always is
    supervisor_channel: str | None = None  # floor actions that need a decision (gave up, partly recorded)
    # Slack's pace for posts per channel, kept by every replica together (bot/slack_pacing.py)
    slack_posts_per_second: float = Field(1.0, gt=0, le=1000)
    slack_post_burst: int = Field(3, ge=1, le=1000)

    # Katana
    katana_api_key: SecretStr | None = None
    katana_base_url: AnyHttpUrl = AnyHttpUrl("https://api.katanamrp.com/v1")
    katana_webhook_token: SecretStr | None = None
    katana_rate_limit_per_minute: int = Field(60, ge=1, le=10_000)
    katana_app_url: AnyHttpUrl = AnyHttpUrl("https://factory.katanamrp.com")  # for "open in Katana" links
    # /ship to Amazon FBA: the Katana location (its name or id) stock is transferred to; unset → FBA ships refused
    fba_location: str | None = Field(None, max_length=100)

    # Floor actions: how long the worker keeps retrying one while Katana is down
    action_give_up_after_hours: float = Field(24, gt=0, le=24 * 14)
    action_retry_first_seconds: float = Field(5, gt=0, le=3600)  # doubles per attempt…
    action_retry_max_seconds: float = Field(300, gt=0, le=6 * 3600)  # …up to this
    worker_interval_seconds: float = Field(10, gt=0, le=3600)  # sweep for waiting actions and failed events
    # A request body (Slack's, Katana's) not complete within this many seconds is answered 408 (issue 14)
    body_read_timeout_seconds: float = Field(10, gt=0, le=300)
    open_orders_sync_minutes: float = Field(5, gt=0, le=24 * 60)  # light re-sync of the open orders forms search
    # Task timers, the author's Undo, scrap reasons (issue 7)
    timer_auto_pause_hours: float = Field(4, gt=0, le=72)  # a timer running longer is paused, the operator told
    undo_window_minutes: float = Field(15, gt=0, le=24 * 60)  # how long a confirmation's Undo works
    scrap_reasons: str = Field("burnt,spilled,underweight,damaged,contaminated,other", min_length=1, max_length=2000)

    # Who may do what: comma-separated Slack user ids (U…) and user groups (@handle or S… id).
    # Unset = everyone in the workspace.
    cook_allowed: str | None = None
    label_allowed: str | None = None
    pack_allowed: str | None = None
    ship_allowed: str | None = None
    receive_allowed: str | None = None
    supervisors: str | None = None  # /floor, and acting on escalated alerts and given-up actions

    # Stock and quality alerts (issue 4). An integration without its credentials is not synced.
    unleashed_api_id: str | None = None
    unleashed_api_key: SecretStr | None = None
    unleashed_base_url: AnyHttpUrl = AnyHttpUrl("https://api.unleashedsoftware.com")
    unleashed_client_type: str = Field("shopfloor/shopfloorbot", min_length=1, max_length=100)
    unleashed_monthly_call_limit: int | None = Field(None, ge=1)  # the plan's quota: warn at 80 % and 95 %
    unleashed_sync_minutes: float = Field(15, ge=1, le=24 * 60)
    amazon_lwa_client_id: str | None = None
    amazon_lwa_client_secret: SecretStr | None = None
    amazon_refresh_token: SecretStr | None = None
    amazon_marketplace_id: str | None = None
    amazon_sp_api_url: AnyHttpUrl = AnyHttpUrl("https://sellingpartnerapi-na.amazon.com")
    amazon_lwa_url: AnyHttpUrl = AnyHttpUrl("https://api.amazon.com/auth/o2/token")
    amazon_sync_minutes: float = Field(15, ge=1, le=24 * 60)
    amazon_low_stock_units: int = Field(10, ge=0)
    amazon_min_days_cover: float = Field(14, ge=0, le=365)
    amazon_sales_window_days: int = Field(30, ge=1, le=365)  # recent daily sales = units sold in it / its days
    quality_sync_minutes: float = Field(15, ge=1, le=24 * 60)
    ingredient_overuse_percent: float = Field(10, ge=0, le=1000)  # a cook's ingredient this far above plan: an alert
    alerts_inventory_channel: str | None = None
    alerts_quality_channel: str | None = None
    alerts_escalation_channel: str | None = None
    alert_escalate_after_minutes: float = Field(60, gt=0, le=7 * 24 * 60)

    # The shift report (issue 21): posted to REPORT_CHANNEL when each shift ends (unset → on demand only)
    report_channel: str | None = None
    shift_ends: str = Field("06:00,14:00,22:00", min_length=4, max_length=200)  # local times shifts end at
    shift_tz: str = Field("UTC", min_length=1, max_length=64)  # an IANA zone, e.g. Europe/Berlin

    # Packing-slip photos for /receive: read by the vision model when a key is set, offline OCR otherwise
    anthropic_api_key: SecretStr | None = None
    anthropic_model: str = Field("claude-haiku-5-5", min_length=1, max_length=100)
    anthropic_base_url: AnyHttpUrl | None = None  # tests point it at sandbox/anthropic.py
    # Offline slip reading runs in child processes at a lower priority, this many reads at once (issue 14)
    ocr_processes: int = Field(1, ge=1, le=8)
    # How far below the bot the OCR child runs (nice): the ack path first. 0 where nothing needs serving
    # first, e.g. a test run whose other workers would otherwise starve the slip reading.
    ocr_niceness: int = Field(10, ge=0, le=19)
    slip_reads_at_once: int = Field(2, ge=1, le=16)  # packing-slip photos read at the same time; others wait

    # Storage
    mongodb_uri: SecretStr | None = None  # unset → in-memory store, nothing persists
    mongodb_db: str = Field("shopfloor", min_length=1, max_length=63)
    # Retention (models/retention.py): days after which finished records are forgotten. The floors keep
    # what other features read: the report's week, this month's Unleashed calls, the order memory's trust.
    events_retention_days: int = Field(DEFAULT_RETENTION.events.days, ge=1, le=3650)
    actions_retention_days: int = Field(DEFAULT_RETENTION.actions.days, ge=8, le=3650)
    audit_retention_days: int = Field(DEFAULT_RETENTION.audit.days, ge=32, le=3650)
    drafts_retention_days: int = Field(DEFAULT_RETENTION.drafts.days, ge=1, le=3650)
    order_memory_retention_days: int = Field(DEFAULT_RETENTION.order_memory.days, ge=1, le=3650)

    # Rolling deploys (README "Running several replicas")
    shutdown_grace_seconds: float = Field(10, ge=0, le=300)  # after SIGTERM: /healthz 503, still serving

    # Server
    replica_id: str = Field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}", min_length=1,
                            max_length=100)  # names this process in leases, logs and /metrics
    port: int = Field(3000, ge=1, le=65535)
    host: str = "0.0.0.0"
    log_level: LogLevel = "INFO"

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and v.get_secret_value() and not v.get_secret_value().startswith("xapp-"):
            raise ValueError("must be an app-level token starting with 'xapp-'")
        return v

    @field_validator("floor_channel", "supervisor_channel", "alerts_inventory_channel", "alerts_quality_channel",
                     "alerts_escalation_channel", "report_channel")
    @classmethod
    def _channel_id_shape(cls, v: str | None) -> str | None:
        if v and v[:1] not in ("C", "G", "D"):
            raise ValueError("must be a channel id like C0123ABCD (not a #name)")
        return v or None

    @field_validator("scrap_reasons")
    @classmethod
    def _scrap_reason_codes(cls, v: str) -> str:
        codes = [c.strip() for c in v.split(",") if c.strip()]
        if not codes or any(len(c) > 30 or "(" in c or ")" in c for c in codes):
            raise ValueError("must be comma-separated reason codes, each at most 30 characters, no parentheses")
        return v

    @field_validator("shift_ends")
    @classmethod
    def _shift_ends(cls, v: str) -> str:
        parse_shift_ends(v)  # raises ValueError naming the bad entry
        return v

    @field_validator("shift_tz")
    @classmethod
    def _shift_zone(cls, v: str) -> str:
        try:
            ZoneInfo(v.strip())
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be a time zone name like Europe/Berlin or UTC") from None
        return v.strip()

    @field_validator("unleashed_monthly_call_limit", mode="before")
    @classmethod
    def _blank_is_unset(cls, v: object) -> object:
        return None if isinstance(v, str) and not v.strip() else v  # `UNLEASHED_MONTHLY_CALL_LIMIT=` in .env

    @field_validator("replica_id", mode="before")
    @classmethod
    def _blank_replica_is_this_process(cls, v: object) -> object:
        return f"{socket.gethostname()}:{os.getpid()}" if isinstance(v, str) and not v.strip() else v

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, v: object) -> object:
        return v.upper() if isinstance(v, str) else v

    # Derived facts, so callers never compare strings themselves.
    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token and self.slack_app_token.get_secret_value())

    @property
    def katana_url(self) -> str:
        return str(self.katana_base_url).rstrip("/")

    @property
    def slack_url(self) -> str:
        url = str(self.slack_api_url)
        return url if url.endswith("/") else url + "/"

    @property
    def scrap_reason_codes(self) -> list[str]:
        """SCRAP_REASONS as a list, in the order given, without repeats."""
        return list(dict.fromkeys(c.strip() for c in self.scrap_reasons.split(",") if c.strip()))[:100]

    @property
    def ingredient_overuse_share(self) -> Decimal:
        """INGREDIENT_OVERUSE_PERCENT as a share (10 → 0.1), exact."""
        return Decimal(str(self.ingredient_overuse_percent)) / 100

    @property
    def shift_clock(self) -> ShiftClock:
        return ShiftClock(parse_shift_ends(self.shift_ends), ZoneInfo(self.shift_tz))

    @property
    def retention(self) -> Retention:
        return Retention(events=timedelta(days=self.events_retention_days),
                         actions=timedelta(days=self.actions_retention_days),
                         audit=timedelta(days=self.audit_retention_days),
                         drafts=timedelta(days=self.drafts_retention_days),
                         order_memory=timedelta(days=self.order_memory_retention_days))

    def allow_list(self, command: str) -> str | None:
        """The raw allow list for a slash command (without "/"); /floor is the supervisors'."""
        if command == "floor":
            return self.supervisors
        return getattr(self, f"{command}_allowed", None)

    def secrets(self) -> list[str]:
        """Every secret value, so logs and user messages can be scrubbed of them."""
        fields = (self.slack_bot_token, self.slack_signing_secret, self.slack_app_token,
                  self.katana_api_key, self.katana_webhook_token, self.mongodb_uri,
                  self.unleashed_api_key, self.amazon_lwa_client_secret, self.amazon_refresh_token,
                  self.anthropic_api_key)
        return [f.get_secret_value() for f in fields if f is not None and f.get_secret_value()]


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning validation errors into one message per variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = str(err["loc"][0]).upper() if err["loc"] else "?"
            problems.append(f"{name}: {err['msg']}")
        raise SettingsError("Invalid configuration:\n  " + "\n  ".join(problems)) from None


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    install_secret_filter(settings.secrets())
    install_malformed_request_filter()
