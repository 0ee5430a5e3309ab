"""Who is calling the web app: Telegram's initData (inside Telegram), or a session opened by
a one-time login link sent by /web (in a browser). Nothing else is trusted.

initData is checked exactly as Telegram documents it ("Validating data received via the
Mini App"): every field but `hash`, sorted by key, as `key=value` lines, HMAC-SHA256 keyed
by HMAC-SHA256(key="WebAppData", msg=bot token), compared in constant time; an `auth_date`
older than a day is refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl

MAX_AGE = timedelta(days=1)
SKEW = timedelta(minutes=5)  # an auth_date this far ahead of our clock is still accepted
LINK_LIFE = timedelta(minutes=10)
SESSION_LIFE = timedelta(hours=12)
SESSION_COOKIE = "gridbot_session"


@dataclass(frozen=True)
class Caller:
    """A Telegram user the server has verified."""

    telegram_id: int
    name: str = ""
    language_code: str = ""


def _digest(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def secret_key(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def sign_init_data(fields: dict[str, str], token: str) -> str:
    """initData as Telegram would send it (for tests and the demo): fields plus their hash."""
    from urllib.parse import urlencode

    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    return urlencode({**fields, "hash": _digest(secret_key(token), check)})


def check_init_data(init_data: str, token: str, now: datetime) -> Caller | None:
    """The user initData vouches for, or None if its hash or date is wrong."""
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return None
    fields = dict(pairs)
    if len(fields) != len(pairs) or "hash" not in fields:
        return None  # a field given twice could be read one way here and another there
    received = fields.pop("hash")
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    if not hmac.compare_digest(_digest(secret_key(token), check), received):
        return None
    if not fields.get("auth_date", "").isdigit():
        return None
    signed = datetime.fromtimestamp(int(fields["auth_date"]), now.tzinfo)
    if not now - MAX_AGE <= signed <= now + SKEW:
        return None
    return _caller(fields.get("user", ""))


def _caller(raw: str) -> Caller | None:
    try:
        user = json.loads(raw)
        telegram_id = int(user["id"])
    except (ValueError, TypeError, KeyError):
        return None
    name = " ".join(str(user.get(k) or "") for k in ("first_name", "last_name")).strip()
    return Caller(telegram_id, name, str(user.get("language_code") or ""))


# -- one-time login links and sessions: HMAC-signed, keyed apart from initData's key -------
def _key(token: str, purpose: str) -> bytes:
    return hmac.new(token.encode(), f"gridbot-web-{purpose}".encode(), hashlib.sha256).digest()


def _pack(payload: str, token: str, purpose: str) -> str:
    signature = _digest(_key(token, purpose), payload)[:32]
    return base64.urlsafe_b64encode(f"{payload}.{signature}".encode()).decode().rstrip("=")


def _unpack(value: str, token: str, purpose: str) -> list[str] | None:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except ValueError:
        return None
    payload, _, signature = raw.rpartition(".")
    expected = _digest(_key(token, purpose), payload)[:32]
    if not payload or not hmac.compare_digest(expected, signature):
        return None
    return payload.split(".")


def make_link_token(telegram_id: int, token: str, now: datetime) -> str:
    """A login token for /web: whose, until when, and a nonce that is used once."""
    expires = int((now + LINK_LIFE).timestamp())
    return _pack(f"{telegram_id}.{expires}.{secrets.token_hex(8)}", token, "link")


def read_link_token(value: str, token: str, now: datetime) -> tuple[int, str] | None:
    """(telegram id, nonce) of a genuine, unexpired login token; claiming the nonce is the
    caller's part (it makes the link one-time)."""
    parts = _unpack(value, token, "link")
    if parts is None or len(parts) != 3 or not parts[0].lstrip("-").isdigit():
        return None
    if not parts[1].isdigit() or int(parts[1]) < now.timestamp():
        return None
    return int(parts[0]), parts[2]


def make_session(telegram_id: int, token: str, now: datetime) -> str:
    expires = int((now + SESSION_LIFE).timestamp())
    return _pack(f"{telegram_id}.{expires}", token, "session")


def read_session(value: str, token: str, now: datetime) -> Caller | None:
    parts = _unpack(value, token, "session")
    if parts is None or len(parts) != 2 or not parts[0].lstrip("-").isdigit():
        return None
    if not parts[1].isdigit() or int(parts[1]) < now.timestamp():
        return None
    return Caller(int(parts[0]))
