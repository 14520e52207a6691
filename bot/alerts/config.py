"""Which alert sources are configured, and what to set for the others (for /healthz, `check`, `/floor status`)."""
from __future__ import annotations

from bot.settings import Settings
from bot.statuses import IntegrationStatus

UNLEASHED_NEEDS = ("UNLEASHED_API_ID", "UNLEASHED_API_KEY")
AMAZON_NEEDS = ("AMAZON_LWA_CLIENT_ID", "AMAZON_LWA_CLIENT_SECRET", "AMAZON_REFRESH_TOKEN", "AMAZON_MARKETPLACE_ID")


def missing(settings: Settings, names: tuple[str, ...]) -> list[str]:
    found = []
    for name in names:
        value = getattr(settings, name.lower())
        value = value.get_secret_value() if hasattr(value, "get_secret_value") else value
        if not value:
            found.append(name)
    return found


def unleashed_configured(settings: Settings) -> bool:
    return not missing(settings, UNLEASHED_NEEDS)


def amazon_configured(settings: Settings) -> bool:
    return not missing(settings, AMAZON_NEEDS)


def quality_configured(settings: Settings) -> bool:
    # Yield comes from Katana, which the bot always has; the check only runs where its alerts can go.
    return bool(settings.alerts_quality_channel and settings.katana_api_key)


def alert_statuses(settings: Settings) -> list[IntegrationStatus]:
    unleashed, amazon = missing(settings, UNLEASHED_NEEDS), missing(settings, AMAZON_NEEDS)
    channel = settings.alerts_inventory_channel
    stock_channel = (f"alerts to {channel}" if channel
                     else "alerts kept for /floor alerts: set ALERTS_INVENTORY_CHANNEL to post them")
    return [
        IntegrationStatus("unleashed", not unleashed, unleashed, required_for_serve=False,
                          detail=(f"stock sync every {settings.unleashed_sync_minutes:g} min; {stock_channel}"
                                  if not unleashed else "stock alerts off: not synced until these are set")),
        IntegrationStatus("amazon", not amazon, amazon, required_for_serve=False,
                          detail=(f"FBA sync every {settings.amazon_sync_minutes:g} min; {stock_channel}"
                                  if not amazon else "FBA alerts off: not synced until these are set")),
        IntegrationStatus("quality_alerts", quality_configured(settings),
                          [] if settings.alerts_quality_channel else ["ALERTS_QUALITY_CHANNEL"],
                          required_for_serve=False,
                          detail=(f"Katana yield checked every {settings.quality_sync_minutes:g} min"
                                  if quality_configured(settings) else "yield of finished MOs not checked")),
        IntegrationStatus("alert_escalation", bool(settings.alerts_escalation_channel),
                          [] if settings.alerts_escalation_channel else ["ALERTS_ESCALATION_CHANNEL"],
                          required_for_serve=False,
                          detail=(f"unacknowledged high/critical alerts re-raised after "
                                  f"{settings.alert_escalate_after_minutes:g} min")),
    ]
