"""An owed message as the outbox keeps it: a record written to a row, and read back."""

from __future__ import annotations

import json
from typing import Any

from storage.records import Buttons, OutgoingMessage, PollSpec


def row_values(message: OutgoingMessage) -> dict[str, Any]:
    return dict(
        kind=message.kind,
        issue_id=message.issue_id,
        chat_id=message.chat_id,
        thread_id=message.thread_id,
        reply_to_message_id=message.reply_to_message_id,
        text=message.text,
        buttons=json.dumps(message.buttons, ensure_ascii=False) if message.buttons else None,
        fallback_chat_id=message.fallback_chat_id,
        fallback_thread_id=message.fallback_thread_id,
        fallback_text=message.fallback_text,
        priority=message.priority,
        created_at=message.created_at,
        not_before=message.not_before or message.created_at,
        media_kind=message.media_kind,
        media_name=message.media_name or None,
        media=message.media,
        poll=_poll_json(message.poll),
    )


def _poll_json(poll: PollSpec | None) -> str | None:
    if poll is None:
        return None
    spec = {"question": poll.question, "options": list(poll.options), "ref": poll.ref,
            "anonymous": poll.anonymous}  # fmt: skip
    return json.dumps(spec, ensure_ascii=False)


def poll_spec(raw: str | None) -> PollSpec | None:
    if not raw:
        return None
    spec = json.loads(raw)
    return PollSpec(spec["question"], tuple(spec["options"]), spec["ref"], spec["anonymous"])


def _buttons(raw: str | None) -> Buttons:
    if not raw:
        return ()
    return tuple(tuple((label, data) for label, data in row) for row in json.loads(raw))


def message_of(row: Any) -> OutgoingMessage:
    return OutgoingMessage(
        id=row.id,
        kind=row.kind,
        issue_id=row.issue_id,
        chat_id=row.chat_id,
        thread_id=row.thread_id,
        reply_to_message_id=row.reply_to_message_id,
        text=row.text,
        buttons=_buttons(row.buttons),
        fallback_chat_id=row.fallback_chat_id,
        fallback_thread_id=row.fallback_thread_id,
        fallback_text=row.fallback_text,
        priority=row.priority,
        created_at=row.created_at,
        not_before=row.not_before,
        attempts=row.attempts,
        media_kind=row.media_kind,
        media_name=row.media_name or "",
        media=row.media,
        poll=poll_spec(row.poll),
    )
