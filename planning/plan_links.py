"""Links to a printable page of one plan: signed (so unguessable), expiring, and holding the
plan's Markdown alone, never anything else of the conversation.

The action server makes the link; the intranet site opens it. Both need the same secret:
ADVISOR_PLAN_LINK_SECRET, or else a key file made on first use (`var/plan-links.key`, fine
for one machine; a cluster sets the variable). ADVISOR_PLAN_LINK_DAYS sets how long a link
lives (30 days by default); ADVISOR_SITE_URL is the site as people's browsers reach it.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

SECRET_VARIABLE = "ADVISOR_PLAN_LINK_SECRET"
DAYS_VARIABLE = "ADVISOR_PLAN_LINK_DAYS"
SITE_VARIABLE = "ADVISOR_SITE_URL"
DEFAULT_DAYS = 30
DEFAULT_SITE_URL = "http://localhost:8080"
KEY_FILE = Path(__file__).resolve().parent.parent / "var" / "plan-links.key"
_SALT = "printable-career-plan"
MIN_SECRET_CHARS = 16


class LinkExpired(Exception):
    """The link was genuine but is older than its lifetime."""


class LinkInvalid(Exception):
    """The link was not made with this secret, or was altered."""


@dataclass(frozen=True)
class SharedPlan:
    markdown: str
    expires_at: float  # seconds since the epoch


@dataclass(frozen=True)
class PlanLinks:
    secret: str
    max_age_days: float = DEFAULT_DAYS
    site_url: str = DEFAULT_SITE_URL
    clock: Callable[[], float] = time.time  # seconds since the epoch; tests move it

    def __post_init__(self) -> None:
        if len(self.secret) < MIN_SECRET_CHARS:
            # An empty or short key would let anyone sign a plan page of their own.
            raise ValueError(f"the plan link secret must be at least {MIN_SECRET_CHARS} characters")

    def _serializer(self) -> URLSafeTimedSerializer:
        clock = self.clock

        class Signer(TimestampSigner):
            def get_timestamp(self) -> int:
                return int(clock())

        return URLSafeTimedSerializer(
            self.secret, salt=_SALT, signer=Signer, signer_kwargs={"digest_method": hashlib.sha256}
        )

    def token_for(self, markdown: str) -> str:
        """A URL-safe token (a few hundred to a few thousand characters) carrying the plan."""
        return self._serializer().dumps(markdown)

    def url_for(self, markdown: str) -> str:
        return f"{self.site_url.rstrip('/')}/plans/{self.token_for(markdown)}"

    def open(self, token: str) -> SharedPlan:
        """The plan a token carries and when its link expires; raises LinkExpired or LinkInvalid."""
        lifetime = int(self.max_age_days * 86400)
        try:
            markdown, made = self._serializer().loads(token, max_age=lifetime, return_timestamp=True)
        except SignatureExpired as error:
            raise LinkExpired("this plan link has expired") from error
        except BadSignature as error:
            raise LinkInvalid("this is not a plan link made here") from error
        if not isinstance(markdown, str):
            raise LinkInvalid("this is not a plan link made here")
        return SharedPlan(markdown, made.timestamp() + lifetime)

    @classmethod
    def from_environment(cls, key_file: Path = KEY_FILE) -> PlanLinks:
        """Settings from the environment; raises ValueError naming a bad ADVISOR_PLAN_LINK_DAYS."""
        days = os.environ.get(DAYS_VARIABLE, "").strip() or str(DEFAULT_DAYS)
        try:
            max_age_days = float(days)
        except ValueError:
            max_age_days = -1.0
        if not 0 < max_age_days <= 3650:
            raise ValueError(f"{DAYS_VARIABLE} must be a number of days between 0 and 3650, not {days!r}")
        secret = os.environ.get(SECRET_VARIABLE, "").strip() or shared_key(key_file)
        site_url = os.environ.get(SITE_VARIABLE, "").strip() or DEFAULT_SITE_URL
        return cls(secret, max_age_days, site_url)


def shared_key(path: Path) -> str:
    """The key in `path`, made (readable by this user only) by whichever process needs it
    first; raises ValueError when the file holds no usable key."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole to a private temporary file, then linked into place: another process
        # sees either no file or the whole key, never a half-written one.
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".plan-links-")
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(secrets.token_urlsafe(32))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            os.unlink(temporary)
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < MIN_SECRET_CHARS:
        raise ValueError(f"{path} holds no usable plan link key: delete it to have a new one made")
    return key
