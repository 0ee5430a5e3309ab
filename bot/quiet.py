"""Quiet hours: non-urgent notices wait until the morning instead of waking members at night."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.config import Settings
from storage.records import OutgoingMessage


def _inside(moment: time, start: time, end: time) -> bool:
    if start == end:
        return False  # "07:00-07:00" switches quiet hours off
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end  # the usual case: across midnight


def quiet_until(settings: Settings, moment: datetime) -> datetime | None:
    """The end of the quiet hours `moment` falls in, or None when it is not in them."""
    zone: ZoneInfo = settings.timezone
    local = moment.astimezone(zone)
    start, end = settings.quiet_start, settings.quiet_end
    if not _inside(local.time(), start, end):
        return None
    day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=zone)


def deferred(settings: Settings, message: OutgoingMessage, urgent: bool) -> OutgoingMessage:
    """The message, held back to the end of quiet hours unless it is urgent."""
    if urgent:
        return message
    until = quiet_until(settings, message.not_before or message.created_at)
    return message if until is None else replace(message, not_before=until)
