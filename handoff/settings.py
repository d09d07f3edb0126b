"""What the environment configures for handing conversations to the office (docs/handoff.md).

Any combination of destinations may be on; with none, the bot gives the office's contact
instead of offering to send anything.

| variable | meaning |
|---|---|
| HANDOFF_OFFICE_NAME | how the office is named to people (default "Career Development Office") |
| HANDOFF_OFFICE_HOURS | its opening hours, `Mon-Fri 09:00-17:00` (office_hours.py) |
| HANDOFF_OFFICE_TIMEZONE | the IANA time zone of those hours (default: the server's) |
| HANDOFF_STORE_URL | SQLAlchemy URL where requests are kept (default sqlite:///var/data/handoff.db) |
| HANDOFF_SLACK_CHANNEL | the office's Slack channel id; requests are posted there with SLACK_BOT_TOKEN |
| HANDOFF_EMAIL_TO, HANDOFF_EMAIL_FROM | e-mail: to the office's address, from the bot's |
| HANDOFF_SMTP_HOST, _PORT, _USER, _PASSWORD, _STARTTLS | the SMTP server that sends it (port 25 by default) |
| HANDOFF_WEBHOOK_URL | a URL that takes each request as JSON (docs/handoff.md gives the body) |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handoff.office_hours import OfficeHours, OfficeHoursError
from serving import REPO_ROOT

DEFAULT_STORE_URL = f"sqlite:///{REPO_ROOT / 'var/data/handoff.db'}"
DEFAULT_OFFICE = "Career Development Office"
DEFAULT_HOURS = "Mon-Fri 09:00-17:00"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"


class HandoffSettingsError(ValueError):
    """A setting is malformed; the message names the variable."""


@dataclass(frozen=True)
class SlackSettings:
    channel: str
    token: str
    api_url: str = DEFAULT_SLACK_API_URL


@dataclass(frozen=True)
class EmailSettings:
    to: str
    sender: str
    host: str
    port: int = 25
    user: str = ""
    password: str = ""
    starttls: bool = False


@dataclass(frozen=True)
class HandoffSettings:
    office: str
    hours: OfficeHours
    timezone: tzinfo | None
    store_url: str
    slack: SlackSettings | None = None
    email: EmailSettings | None = None
    webhook_url: str | None = None

    @property
    def on(self) -> bool:
        """Whether any destination is set: only then is a person offered."""
        return bool(self.slack or self.email or self.webhook_url)

    def now(self) -> datetime:
        return datetime.now(self.timezone).astimezone(self.timezone)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> HandoffSettings:
        env = os.environ if environ is None else environ

        def get(name: str, default: str = "") -> str:
            return (env.get(name) or default).strip()

        try:
            hours = OfficeHours.parse(get("HANDOFF_OFFICE_HOURS", DEFAULT_HOURS))
        except OfficeHoursError as error:
            raise HandoffSettingsError(f"HANDOFF_OFFICE_HOURS: {error}") from None
        timezone = None
        if get("HANDOFF_OFFICE_TIMEZONE"):
            try:
                timezone = ZoneInfo(get("HANDOFF_OFFICE_TIMEZONE"))
            except (ZoneInfoNotFoundError, ValueError):
                raise HandoffSettingsError(
                    f"HANDOFF_OFFICE_TIMEZONE: {get('HANDOFF_OFFICE_TIMEZONE')!r} is not an IANA time zone "
                    "such as Europe/London or America/Chicago"
                ) from None
        slack = None
        if get("HANDOFF_SLACK_CHANNEL"):
            if not get("SLACK_BOT_TOKEN"):
                raise HandoffSettingsError(
                    "HANDOFF_SLACK_CHANNEL is set but SLACK_BOT_TOKEN is not: "
                    "the bot posts requests with its own token"
                )
            slack = SlackSettings(
                get("HANDOFF_SLACK_CHANNEL"),
                get("SLACK_BOT_TOKEN"),
                get("SLACK_API_URL", DEFAULT_SLACK_API_URL),
            )
        email = None
        if get("HANDOFF_EMAIL_TO"):
            if not get("HANDOFF_SMTP_HOST"):
                raise HandoffSettingsError("HANDOFF_EMAIL_TO is set but HANDOFF_SMTP_HOST is not")
            port = get("HANDOFF_SMTP_PORT", "25")
            if not port.isdigit():
                raise HandoffSettingsError(f"HANDOFF_SMTP_PORT: {port!r} is not a port number")
            email = EmailSettings(
                to=get("HANDOFF_EMAIL_TO"),
                sender=get("HANDOFF_EMAIL_FROM", "career-advisor@localhost"),
                host=get("HANDOFF_SMTP_HOST"),
                port=int(port),
                user=get("HANDOFF_SMTP_USER"),
                password=get("HANDOFF_SMTP_PASSWORD"),
                starttls=get("HANDOFF_SMTP_STARTTLS").lower() in {"1", "true", "yes"},
            )
        webhook = get("HANDOFF_WEBHOOK_URL") or None
        if webhook and not webhook.startswith(("http://", "https://")):
            raise HandoffSettingsError(f"HANDOFF_WEBHOOK_URL: {webhook!r} is not an http(s) URL")
        return cls(
            office=get("HANDOFF_OFFICE_NAME", DEFAULT_OFFICE),
            hours=hours,
            timezone=timezone,
            store_url=get("HANDOFF_STORE_URL", DEFAULT_STORE_URL),
            slack=slack,
            email=email,
            webhook_url=webhook,
        )
