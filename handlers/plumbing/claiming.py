"""Which due rows one pass of the outbox sender claims (handlers.plumbing.delivery), and which it
may send: none behind a chart not drawn yet, none behind a row another sender holds.

A claimed chat is served until its claimed rows are sent and takes nothing new meanwhile
but rows more urgent than a wave's (handlers.plumbing.lanes), so what a pass claims decides
how long a row owed later waits. Claiming a whole backlog
at once (a 1,505-grid digest wave) kept each group's next acknowledgement behind the
whole wave; these keep a pass to about a second of sends, urgent rows first.
"""

from __future__ import annotations

from collections import defaultdict

from storage.records import OutgoingMessage, Priority


def first_chats(due: list[OutgoingMessage], room: int, spare: int = 0) -> list[OutgoingMessage]:
    """The due rows of the first chats in the list (the most urgent) until they fill `room`
    sends. A chat claims everything it has due (its bundles stay whole) but nothing more
    is claimed than the limits let out in about a second: a chat being served sends
    nothing new until its service ends, and a digest wave claimed at once kept every
    group's next acknowledgement behind the whole wave. Acknowledgements (and urgent
    rows) may take `spare` sends beyond the room: their sends go before every digest
    waiting. Never more: a claim waiting longer than its lease (a backlog of them) would
    fall due again and could be sent twice."""
    chosen: set[int] = set()
    for message in due:
        if message.chat_id not in chosen:
            urgent = message.priority <= Priority.ACK
            if room <= (-spare if urgent else 0):
                continue
            chosen.add(message.chat_id)
        room -= 1
    return _one_digest_each([message for message in due if message.chat_id in chosen])


def _one_digest_each(rows: list[OutgoingMessage]) -> list[OutgoingMessage]:
    """Each chat's rows up to its second digest row: a chat is served one digest post at a
    time, so an acknowledgement owed to it meanwhile waits for one send, not two."""
    digests: set[int] = set()
    blocked: set[int] = set()
    kept = []
    for message in rows:
        chat = message.chat_id
        if chat in blocked:
            continue
        if message.priority >= Priority.DIGEST:
            if chat in digests:
                blocked.add(chat)
                continue
            digests.add(chat)
        kept.append(message)
    return kept


def drawn_only(due: list[OutgoingMessage]) -> tuple[list[OutgoingMessage], bool]:
    """The due rows up to each chat's first chart not drawn yet (nothing after it may
    overtake it), and whether there was such a chart."""
    blocked: set[int] = set()
    ready = []
    for message in due:
        if message.media_kind == "chart":
            blocked.add(message.chat_id)
        elif message.chat_id not in blocked:
            ready.append(message)
    return ready, bool(blocked)


def held_queues(
    due: list[OutgoingMessage], held: set[int]
) -> tuple[list[list[OutgoingMessage]], list[int]]:
    """Each chat's rows that this sender holds, up to the first it does not: another worker
    sends that one, and nothing after it may overtake it. Also the held rows left out."""
    by_chat: dict[int, list[OutgoingMessage]] = defaultdict(list)
    blocked: set[int] = set()
    not_mine: list[int] = []
    for message in due:
        chat = message.chat_id
        if message.id in held and chat not in blocked:
            by_chat[chat].append(message)
        elif message.id in held and message.id is not None:
            not_mine.append(message.id)
        else:
            blocked.add(chat)
    return list(by_chat.values()), not_mine
