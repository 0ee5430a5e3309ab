"""Settings: environment variables over an optional TOML file, read once and validated."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_API = "https://api.telegram.org/bot"

# Each setting: (environment variable, TOML key, default). The TOML file may use either name.
_KEYS: dict[str, tuple[str, str | None]] = {
    "token": ("TELEGRAM_BOT_TOKEN", None),
    "api_url": ("GRIDBOT_TELEGRAM_API", DEFAULT_API),
    "database_url": ("GRIDBOT_DATABASE_URL", "sqlite:///gridbot.db"),
    "timezone": ("GRIDBOT_TIMEZONE", "Asia/Shanghai"),
    "taxonomy": ("GRIDBOT_TAXONOMY", None),
    "quiet_hours": ("GRIDBOT_QUIET_HOURS", "22:00-07:00"),
    "digest_at": ("GRIDBOT_DIGEST_AT", "thu 15:00"),
    "operator_chat": ("GRIDBOT_OPERATOR_CHAT", None),
    "webhook_url": ("GRIDBOT_WEBHOOK_URL", None),
    "webhook_listen": ("GRIDBOT_WEBHOOK_LISTEN", "127.0.0.1:8443"),
    "webhook_secret": ("GRIDBOT_WEBHOOK_SECRET", None),
    "topic_issues": ("GRIDBOT_TOPIC_ISSUES", "3"),
    "topic_days": ("GRIDBOT_TOPIC_DAYS", "14"),
    "topic_supporters": ("GRIDBOT_TOPIC_SUPPORTERS", "5"),
    "send_limits": ("GRIDBOT_SEND_LIMITS", "telegram"),
    "senders": ("GRIDBOT_SENDERS", "1"),
    "sender_index": ("GRIDBOT_SENDER_INDEX", None),
    "http_client": ("GRIDBOT_HTTP_CLIENT", "aiohttp"),
    "office_hours": ("GRIDBOT_OFFICE_HOURS", "09:00-17:30"),
    "workdays_file": ("GRIDBOT_WORKDAYS_FILE", None),
    "report_unit": ("GRIDBOT_REPORT_UNIT", None),
    "report_author": ("GRIDBOT_REPORT_AUTHOR", None),
    "report_issue_no": ("GRIDBOT_REPORT_ISSUE_NO", None),
    "web_listen": ("GRIDBOT_WEB_LISTEN", None),
    "web_url": ("GRIDBOT_WEB_URL", None),
    "open311_keys": ("GRIDBOT_OPEN311_KEYS", None),
    "bot_username": ("GRIDBOT_BOT_USERNAME", None),
}


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it in one line."""


@dataclass(frozen=True)
class Secret:
    """A value that never shows itself in repr, str or logs."""

    value: str = field(repr=False)

    def __repr__(self) -> str:
        return "Secret('****')"

    __str__ = __repr__


@dataclass(frozen=True)
class Settings:
    token: Secret | None
    api_url: str
    database_url: str
    timezone: ZoneInfo
    taxonomy: Path | None
    quiet_start: time
    quiet_end: time
    operator_chat: int | None = None
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1:8443"
    webhook_secret: Secret | None = None
    # The weekly digest: day (0 = Monday) and local time (SPEC §8: Thursday 15:00).
    digest_weekday: int = 3
    digest_time: time = time(15, 0)
    # A recurring topic (SPEC §9): this many issues of one category in one community within
    # topic_days, or this many supporters on one issue, is offered for a 微协商.
    topic_issues: int = 3
    topic_days: int = 14
    topic_supporters: int = 5
    # Pace sending to Telegram's limits (handlers/plumbing/limits.py); "off" only against a local
    # emulator that does not enforce them.
    send_limits: bool = True
    # Processes sending for the same bot (webhook workers behind one endpoint): each keeps
    # this share of every limit, since none of them sees what the others sent.
    senders: int = 1
    # Which of them this is (0 .. senders - 1): it then sends to its own chats only (a chat's
    # id modulo senders), with each chat's whole limit, and no chat hears from two at once.
    # Without it every process sends anywhere, each with its share of every chat's limit.
    sender_index: int | None = None
    # How Bot API calls travel (handlers/plumbing/transport.py): aiohttp, or PTB's own httpx.
    http_client: str = "aiohttp"
    # Working days (bot/workdays.py): a limit in working days ends at office_end of its last
    # day; the file marks local days off (休) and working days (班) over the national calendar.
    office_start: time = time(9, 0)
    office_end: time = time(17, 30)
    workdays_file: Path | None = None
    # Papers for the office (台账, 社情民意): who makes them (报送单位, 报送人) and the 期号;
    # without a 期号 the 社情民意 draft numbers itself by the month it covers.
    report_unit: str = ""
    report_author: str = ""
    report_issue_no: str = ""
    # The web app and Open311 (SPEC §11): where it listens (host, port), its public address
    # (menu buttons, links), and the keys that may read Open311 (none: Open311 refused).
    web_listen: tuple[str, int] | None = None
    web_url: str | None = None
    open311_keys: tuple[Secret, ...] = ()
    # The bot's @name for invitation links made offline (`gridbot roster invites` without a
    # token); the running bot takes it from getMe.
    bot_username: str | None = None

    def require_token(self) -> str:
        """The bot token, or a ConfigError naming the variable."""
        if self.token is None or not self.token.value:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather")
        return self.token.value


def _read_toml(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} (--config / GRIDBOT_CONFIG) not found") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    section = data.get("gridbot", data)
    return {str(k).lower(): v for k, v in section.items()}


def _raw_values(env: dict[str, str], file_values: dict[str, Any]) -> dict[str, str | None]:
    raw: dict[str, str | None] = {}
    for key, (env_name, default) in _KEYS.items():
        value = env.get(env_name)
        if value is None or value == "":
            file_value = file_values.get(env_name.lower(), file_values.get(key))
            value = None if file_value is None else str(file_value)
        raw[key] = value if value not in (None, "") else default
    return raw


def load_settings(config_path: str | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read settings once; a bad value raises ConfigError naming the setting."""
    env = dict(os.environ) if env is None else env
    path = config_path or env.get("GRIDBOT_CONFIG") or None
    raw = _raw_values(env, _read_toml(path) if path else {})
    quiet_start, quiet_end = _parse_quiet_hours(raw["quiet_hours"] or "")
    digest_weekday, digest_time = _parse_digest_at(raw["digest_at"] or "")
    office_start, office_end = _parse_office_hours(raw["office_hours"] or "")
    return Settings(
        token=Secret(raw["token"]) if raw["token"] else None,
        api_url=_parse_api_url(raw["api_url"] or DEFAULT_API),
        database_url=parse_database_url(raw["database_url"] or ""),
        timezone=_parse_timezone(raw["timezone"] or ""),
        taxonomy=_parse_taxonomy(raw["taxonomy"]),
        quiet_start=quiet_start,
        quiet_end=quiet_end,
        operator_chat=_parse_int("GRIDBOT_OPERATOR_CHAT", raw["operator_chat"]),
        webhook_url=raw["webhook_url"],
        webhook_listen=raw["webhook_listen"] or "127.0.0.1:8443",
        webhook_secret=Secret(raw["webhook_secret"]) if raw["webhook_secret"] else None,
        digest_weekday=digest_weekday,
        digest_time=digest_time,
        topic_issues=_parse_positive("GRIDBOT_TOPIC_ISSUES", raw["topic_issues"]),
        topic_days=_parse_positive("GRIDBOT_TOPIC_DAYS", raw["topic_days"]),
        topic_supporters=_parse_positive("GRIDBOT_TOPIC_SUPPORTERS", raw["topic_supporters"]),
        send_limits=_parse_send_limits(raw["send_limits"] or "telegram"),
        senders=(senders := _parse_positive("GRIDBOT_SENDERS", raw["senders"] or "1")),
        sender_index=_parse_index("GRIDBOT_SENDER_INDEX", raw["sender_index"], senders),
        http_client=_parse_choice("GRIDBOT_HTTP_CLIENT", raw["http_client"], ("aiohttp", "httpx")),
        office_start=office_start,
        office_end=office_end,
        workdays_file=_parse_file("GRIDBOT_WORKDAYS_FILE", raw["workdays_file"]),
        report_unit=(raw["report_unit"] or "").strip(),
        report_author=(raw["report_author"] or "").strip(),
        report_issue_no=(raw["report_issue_no"] or "").strip(),
        web_listen=parse_listen("GRIDBOT_WEB_LISTEN", raw["web_listen"]),
        web_url=_parse_web_url(raw["web_url"]),
        open311_keys=tuple(
            Secret(key.strip()) for key in (raw["open311_keys"] or "").split(",") if key.strip()
        ),
        bot_username=_parse_username(raw["bot_username"]),
    )


def parse_database_url(url: str) -> str:
    """Accept sqlite:///PATH or postgresql://...; a +driver suffix is allowed."""
    scheme = url.split("://", 1)[0].split("+", 1)[0].lower() if "://" in url else ""
    if scheme == "sqlite" and url.split("://", 1)[1].startswith("/"):
        return url
    if scheme in ("postgresql", "postgres") and len(url.split("://", 1)[1]) > 0:
        return url
    raise ConfigError(
        f"GRIDBOT_DATABASE_URL must be sqlite:///PATH or postgresql://USER@HOST:PORT/DB, "
        f"got {url!r}"
    )


def parse_listen(name: str, value: str | None) -> tuple[str, int] | None:
    """HOST:PORT (an empty host is 127.0.0.1), or None when unset."""
    if value is None:
        return None
    host, _, port = value.strip().rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"{name} must be HOST:PORT, got {value!r}")
    return host.strip("[]") or "127.0.0.1", int(port)


def _parse_web_url(url: str | None) -> str | None:
    if url is None:
        return None
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"GRIDBOT_WEB_URL must be an http(s) URL, got {url!r}")
    return url.rstrip("/")


def _parse_username(value: str | None) -> str | None:
    if value is None:
        return None
    name = value.strip().removeprefix("@").removeprefix("https://t.me/")
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{3,31}", name):
        raise ConfigError(f"GRIDBOT_BOT_USERNAME must be a bot's @name, got {value!r}")
    return name


def _parse_api_url(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"GRIDBOT_TELEGRAM_API must be an http(s) URL, got {url!r}")
    return url


def _parse_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"GRIDBOT_TIMEZONE {name!r} is not an IANA time zone") from None


def _parse_taxonomy(path: str | None) -> Path | None:
    return _parse_file("GRIDBOT_TAXONOMY", path)


def _parse_file(name: str, path: str | None) -> Path | None:
    if path is None:
        return None
    if not Path(path).is_file():
        raise ConfigError(f"{name} file {path} not found")
    return Path(path)


def _parse_office_hours(text: str) -> tuple[time, time]:
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        start = end = time(0)
    if start >= end:
        raise ConfigError(f"GRIDBOT_OFFICE_HOURS must look like 09:00-17:30, got {text!r}")
    return start, end


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _parse_digest_at(text: str) -> tuple[int, time]:
    day, _, clock = text.strip().lower().partition(" ")
    try:
        return _WEEKDAYS.index(day[:3]), time.fromisoformat(clock.strip())
    except ValueError:
        raise ConfigError(f"GRIDBOT_DIGEST_AT must look like 'thu 15:00', got {text!r}") from None


def _parse_quiet_hours(text: str) -> tuple[time, time]:
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        raise ConfigError(
            f"GRIDBOT_QUIET_HOURS must look like 22:00-07:00, got {text!r}"
        ) from None
    return start, end


def _parse_int(name: str, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {value!r}") from None


def _parse_send_limits(value: str) -> bool:
    if value.strip().lower() not in ("telegram", "off"):
        raise ConfigError(f"GRIDBOT_SEND_LIMITS must be telegram or off, got {value!r}")
    return value.strip().lower() == "telegram"


def _parse_choice(name: str, value: str | None, choices: tuple[str, ...]) -> str:
    cleaned = (value or choices[0]).strip().lower()
    if cleaned not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return cleaned


def _parse_index(name: str, value: str | None, count: int) -> int | None:
    number = _parse_int(name, value)
    if number is not None and not 0 <= number < count:
        raise ConfigError(f"{name} must be 0 to GRIDBOT_SENDERS - 1 ({count - 1}), got {value!r}")
    return number


def _parse_positive(name: str, value: str | None) -> int:
    number = _parse_int(name, value)
    if number is None or number < 1:
        raise ConfigError(f"{name} must be a whole number of at least 1, got {value!r}")
    return number
