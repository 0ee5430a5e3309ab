"""The messages intake owes: the acknowledgement, the member's notice, the coordinator's alert."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from bot import deadlines
from bot.privacy import mask
from bot.quiet import deferred
from bot.services import Services
from bot.texts import Html
from storage.records import Buttons, Grid, Issue, Member, MessageKind, OutgoingMessage, Priority
from storage.statuses import Status


def mention(member: Member) -> Html:
    return Html(f'<a href="tg://user?id={member.telegram_id}">{html.escape(member.name)}</a>')


# The member actions a notice and /issue N offer as buttons, in rows as a phone shows them;
# those after 认领 ask for a note with a reply prompt.
NOTE_ACTIONS = ("progress", "done", "plan", "escalate", "ask", "reject")
ROWS = (("progress", "done"), ("plan", "escalate"), ("ask", "reject"))


def issue_buttons(services: Services, grid: Grid, issue: Issue) -> Buttons:
    """认领 while nobody has it, then every step a member may take, and 详情."""

    def say(key: str) -> str:
        return services.texts.get(grid.language, key)

    first = [(say("button_view"), f"view:{issue.id}")]
    if issue.status == Status.NEW:
        first.insert(0, (say("button_take"), f"take:{issue.id}"))
    rows = [tuple((say(f"button_act_{verb}"), f"{verb}:{issue.id}") for verb in row)
            for row in ROWS]  # fmt: skip
    return (tuple(first), *rows)


@dataclass(frozen=True)
class Intake:
    """What one new issue owes, rendered once the issue has its number."""

    services: Services
    grid: Grid
    assignee: Member | None
    coordinators: Sequence[Member]
    # What to do until help arrives, for the kind of danger an urgent message names.
    advice: str = ""

    def messages(self, issue: Issue) -> list[OutgoingMessage]:
        owed = [self.acknowledgement(issue)]
        if self.assignee is not None:
            owed.append(self.member_notice(issue, self.assignee))
        recipients = [c for c in self.coordinators if c != self.assignee]
        if issue.urgent or self.assignee is None:
            owed.extend(self.coordinator_alert(issue, c) for c in recipients)
        # The resident's acknowledgement goes at once; private notices wait out quiet hours.
        settings = self.services.settings
        return [owed[0], *(deferred(settings, message, issue.urgent) for message in owed[1:])]

    def acknowledgement(self, issue: Issue) -> OutgoingMessage:
        lang = self.grid.language
        texts = self.services.texts
        member = self.assignee.name if self.assignee else texts.get(lang, "nobody")
        text = texts.get(
            lang,
            "ack_urgent" if issue.urgent else "ack",
            n=issue.id,
            category=texts.name(lang, issue.category),
            member=member,
            respond_by=deadlines.shown(self.services, lang, issue.respond_by, relative=False),
        )
        if issue.urgent and self.advice:
            text += texts.get(lang, "ack_advice", advice=texts.name(lang, self.advice))
        return OutgoingMessage(
            kind=MessageKind.ACK,
            chat_id=issue.chat_id,
            thread_id=issue.thread_id,
            reply_to_message_id=issue.message_id,
            text=text,
            issue_id=issue.id,
            created_at=issue.created_at,
            priority=Priority.URGENT if issue.urgent else Priority.ACK,
        )

    def member_notice(self, issue: Issue, member: Member) -> OutgoingMessage:
        lang = self.grid.language
        texts = self.services.texts
        category = texts.name(lang, issue.category)
        text = texts.get(
            lang,
            "notice",
            n=issue.id,
            urgent=texts.get(lang, "notice_urgent_mark") if issue.urgent else "",
            grid=f"{self.grid.code} {self.grid.name}",
            category=category,
            text=issue.text,
            reporter=issue.reporter_name,
            respond_by=deadlines.shown(
                self.services, lang, issue.respond_by, waits=not issue.urgent
            ),
        )
        link = f"https://t.me/{self.services.bot_username}?start=member"
        fallback = texts.get(
            lang, "notice_fallback", mention=mention(member), n=issue.id, category=category,
            link=link,
        )  # fmt: skip
        # A private report's chat is the resident's own: the fallback mention goes to the group.
        in_group = issue.chat_id < 0
        return OutgoingMessage(
            kind=MessageKind.NOTICE,
            chat_id=member.telegram_id,
            text=text,
            issue_id=issue.id,
            created_at=issue.created_at,
            buttons=issue_buttons(self.services, self.grid, issue),
            fallback_chat_id=issue.chat_id if in_group else self.grid.chat_id,
            fallback_thread_id=issue.thread_id if in_group else None,
            fallback_text=mask(fallback),
            priority=Priority.URGENT if issue.urgent else Priority.NOTICE,
        )

    def coordinator_alert(self, issue: Issue, coordinator: Member) -> OutgoingMessage:
        lang = self.grid.language
        texts = self.services.texts
        key = "coordinator_urgent" if issue.urgent else "coordinator_unassigned"
        text = texts.get(
            lang,
            key,
            n=issue.id,
            grid=f"{self.grid.code} {self.grid.name}",
            category=texts.name(lang, issue.category),
            text=issue.text,
            reporter=issue.reporter_name,
            member=self.assignee.name if self.assignee else texts.get(lang, "nobody"),
        )
        return OutgoingMessage(
            kind=MessageKind.ALERT,
            chat_id=coordinator.telegram_id,
            text=text,
            issue_id=issue.id,
            created_at=issue.created_at,
            priority=Priority.URGENT,
        )
