"""The inbox's settings, all from the environment (see docs/intake.md).

    INBOX_PORT            8001          port on 127.0.0.1 (make inbox)
    INBOX_DATA            var/inbox/    folder of the sealed store
    INBOX_SITE_URL        http://127.0.0.1:8000   the site: the only Origin accepted,
                                        and where the thank-you page is
    INBOX_PROFILE         content/practice.yaml   the form's fields and the public key
    INBOX_PUBLIC_KEY      (profile's intake.public_key)  seal to this key instead
    INBOX_SPAM_CHECKS     on            off: no honeypot, fill time or rate limit
    INBOX_MIN_FILL_SECONDS 3            a script post sooner than this is refused
    INBOX_RATE_LIMIT      10            posts per client per hour (0: no limit)
    INBOX_TOKEN           (none)        lets `make requests` read remotely (GET /requests)
    INBOX_RETENTION_DAYS  30            older records are deleted
    INBOX_TRUSTED_PROXIES 127.0.0.1,::1 whose X-Forwarded-For names the client
    INBOX_READ_TIMEOUT    10            seconds a client may take to send its body
                                        (its headers: this and 5 more)
    INBOX_SMTP_HOST ...   (none)        "a new request arrived" e-mail; see notify.py
"""

import os
from dataclasses import dataclass, field

from . import keys
from .errors import ConfigProblem
from .rules import ProfileProblem, load_form

MAX_BODY = 64 * 1024


def site_origin(url):
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise ConfigProblem(f"INBOX_SITE_URL: {url!r} is not a site address like https://www.example.org")
    host = parts.hostname.lower()
    default = {"http": 80, "https": 443}[parts.scheme]
    try:
        port = parts.port
    except ValueError:
        raise ConfigProblem(f"INBOX_SITE_URL: {url!r} has a bad port") from None
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def _int(env, name, default, minimum=0):
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigProblem(f"{name}: {value!r} is not a whole number") from None
    if number < minimum:
        raise ConfigProblem(f"{name}: must be at least {minimum}, not {number}")
    return number


def _switch(env, name, default=True):
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("on", "yes", "true", "1"):
        return True
    if value in ("off", "no", "false", "0"):
        return False
    raise ConfigProblem(f"{name}: {value!r} is neither on nor off")


@dataclass
class Config:
    data_dir: str
    site_url: str
    fields: list
    public_key: object
    practice_name: str
    contact: dict = field(default_factory=dict)
    spam_checks: bool = True
    min_fill_seconds: int = 3
    rate_limit: int = 10
    token: str = ""
    retention_days: int = 30
    trusted_proxies: tuple = ("127.0.0.1", "::1")
    read_timeout: int = 10
    smtp: dict = field(default_factory=dict)

    @property
    def key_id(self):
        return keys.key_id(self.public_key)

    @property
    def thank_you_url(self):
        return self.site_url + "/thank-you/"


def smtp_settings(env):
    host = env.get("INBOX_SMTP_HOST", "").strip()
    if not host:
        return {}
    to = env.get("INBOX_NOTIFY_TO", "").strip()
    if "@" not in to:
        raise ConfigProblem("INBOX_NOTIFY_TO: the practice's e-mail address is needed with INBOX_SMTP_HOST")
    return {
        "host": host,
        "port": _int(env, "INBOX_SMTP_PORT", 587, minimum=1),
        "starttls": _switch(env, "INBOX_SMTP_STARTTLS", True),
        "user": env.get("INBOX_SMTP_USER", ""),
        "password": env.get("INBOX_SMTP_PASSWORD", ""),
        "to": to,
        "from": env.get("INBOX_NOTIFY_FROM", "").strip() or to,
    }


def from_environment(env=None):
    """The Config for the environment ``env`` (default ``os.environ``)."""
    env = os.environ if env is None else env
    site_url = site_origin(env.get("INBOX_SITE_URL") or "http://127.0.0.1:8000")
    profile_path = env.get("INBOX_PROFILE") or os.path.join("content", "practice.yaml")
    try:
        form = load_form(profile_path)
    except ProfileProblem as exc:
        raise ConfigProblem(str(exc)) from None
    key_text = env.get("INBOX_PUBLIC_KEY") or form["public_key"]
    if not key_text:
        raise ConfigProblem(f"{profile_path}: intake.public_key: is not set; run make inbox-key "
                            "(or set INBOX_PUBLIC_KEY)")
    try:
        public_key = keys.parse_public_key(key_text)
    except ValueError as exc:
        where = "INBOX_PUBLIC_KEY" if env.get("INBOX_PUBLIC_KEY") else f"{profile_path}: intake.public_key"
        raise ConfigProblem(f"{where}: {exc}") from None
    token = env.get("INBOX_TOKEN", "")
    if token and len(token) < 32:
        raise ConfigProblem("INBOX_TOKEN: must be at least 32 characters (try: openssl rand -hex 32)")
    return Config(
        data_dir=env.get("INBOX_DATA") or os.path.join("var", "inbox"),
        site_url=site_url,
        fields=form["fields"],
        public_key=public_key,
        practice_name=form["practice_name"],
        contact=form["contact"],
        spam_checks=_switch(env, "INBOX_SPAM_CHECKS"),
        min_fill_seconds=_int(env, "INBOX_MIN_FILL_SECONDS", 3),
        rate_limit=_int(env, "INBOX_RATE_LIMIT", 10),
        token=token,
        retention_days=_int(env, "INBOX_RETENTION_DAYS", 30, minimum=1),
        trusted_proxies=tuple(p.strip() for p in env.get("INBOX_TRUSTED_PROXIES", "127.0.0.1,::1").split(",")
                              if p.strip()),
        read_timeout=_int(env, "INBOX_READ_TIMEOUT", 10, minimum=1),
        smtp=smtp_settings(env),
    )
