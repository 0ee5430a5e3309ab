"""The quarterly spot check (季度抽查): a reproducible random sample of each member's finished
issues, sent to the coordinators as an XLSX workbook to review."""

from __future__ import annotations

import io
import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.language import of_member
from bot.lifecycle import label
from bot.reports.cells import put
from bot.reports.oversight import overseen
from bot.services import Services
from storage.records import Grid, Member, MessageKind, OutgoingMessage
from storage.report_records import LedgerRow

SAMPLE_MIN = 3
SAMPLE_SHARE = 0.1  # a tenth of a busy member's issues ...
SAMPLE_MAX = 10  # ... but never more than a coordinator can review
HEADER = [
    "委员", "网格", "编号", "类别", "状态", "诉求内容", "反映人", "登记时间", "认领时间",
    "办结时间", "按时响应", "按时办结", "评价", "抽查意见",
]  # fmt: skip
WIDTHS = [10, 8, 8, 10, 10, 50, 10, 18, 18, 18, 10, 10, 10, 30]


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int
    zone: ZoneInfo

    @classmethod
    def before(cls, moment: datetime, zone: ZoneInfo) -> Quarter:
        """The last whole quarter before `moment`: what a check run then looks at."""
        local = moment.astimezone(zone)
        number = (local.month - 1) // 3  # the current quarter's number, less one
        return cls(local.year - 1, 4, zone) if number == 0 else cls(local.year, number, zone)

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> datetime:
        return datetime(self.year, 3 * self.number - 2, 1, tzinfo=self.zone)

    @property
    def end(self) -> datetime:
        if self.number == 4:
            return datetime(self.year + 1, 1, 1, tzinfo=self.zone)
        return datetime(self.year, 3 * self.number + 1, 1, tzinfo=self.zone)


def sample_size(finished: int) -> int:
    wanted = max(SAMPLE_MIN, math.ceil(finished * SAMPLE_SHARE))
    return min(finished, wanted, SAMPLE_MAX)


def sample(rows: Sequence[LedgerRow], quarter: Quarter, member: Member) -> list[LedgerRow]:
    """The same sample whoever draws it and however often: seeded by quarter and member."""
    ordered = sorted(rows, key=lambda row: row.issue.id)
    chooser = random.Random(f"{quarter.key}:{member.telegram_id}")
    picked = chooser.sample(ordered, sample_size(len(ordered)))
    return sorted(picked, key=lambda row: row.issue.id)


async def draw(services: Services, quarter: Quarter, grids: Sequence[Grid]) -> list[LedgerRow]:
    """Every member's sample for the quarter, within these grids."""
    store = services.store
    finished = await store.stats.closed_between(quarter.start, quarter.end, [g.id for g in grids])
    by_member: dict[int, list[LedgerRow]] = defaultdict(list)
    for row in finished:
        by_member[row.issue.assignee_id or 0].append(row)
    people = {member.id: member for member in await store.members.all()}
    drawn: list[LedgerRow] = []
    for member_id, rows in sorted(by_member.items()):
        if member_id in people:
            drawn.extend(sample(rows, quarter, people[member_id]))
    return drawn


def _row(row: LedgerRow, zone: ZoneInfo) -> list[str | int]:
    issue = row.issue

    def when(moment: datetime | None) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""

    finished = issue.resolved_at or issue.closed_at
    on_time = "是" if finished and finished <= issue.solve_by else "否"
    responded = "是" if issue.taken_at and issue.taken_at <= issue.respond_by else "否"
    return [
        row.assignee_name, row.grid_code, issue.id, issue.category, label(issue.status),
        issue.text, issue.reporter_name, when(issue.created_at), when(issue.taken_at),
        when(finished), responded, on_time, issue.rating or "", "",
    ]  # fmt: skip


def workbook(rows: Sequence[LedgerRow], quarter: Quarter) -> bytes:
    from openpyxl import Workbook  # only the spot check pays for openpyxl
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "抽查清单"
    sheet.append(HEADER)
    for row in sorted(rows, key=lambda r: (r.assignee_name, r.issue.id)):
        put(sheet, _row(row, quarter.zone))  # a resident's "=..." stays text
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def spotcheck_messages(
    services: Services, quarter: Quarter, grids: Sequence[Grid]
) -> list[OutgoingMessage]:
    """One workbook per coordinator, with the samples of the members of their grids."""
    drawn = await draw(services, quarter, grids)
    texts, now = services.texts, services.clock()
    every = await services.store.grids.all()
    owed = []
    for member in await services.store.members.all():
        codes = {grid.code for grid in overseen(member, grids)} if member.is_coordinator else set()
        rows = [row for row in drawn if row.grid_code in codes]
        if not codes:
            continue
        lang = of_member(member, every)  # each coordinator in their own script
        name = texts.get(lang, "quarter", year=quarter.year, quarter=quarter.number)
        if not rows:
            text = texts.get(lang, "spotcheck_empty", quarter=name)
            owed.append(
                OutgoingMessage(
                    kind=MessageKind.SPOTCHECK,
                    chat_id=member.telegram_id,
                    text=text,
                    created_at=now,
                )
            )
            continue
        members = len({row.assignee_name for row in rows})
        text = texts.get(lang, "spotcheck_caption", quarter=name, members=members, count=len(rows))
        owed.append(OutgoingMessage(
            kind=MessageKind.SPOTCHECK, chat_id=member.telegram_id, text=text, created_at=now,
            media_kind="document", media_name=f"spotcheck-{quarter.key}.xlsx",
            media=workbook(rows, quarter),
        ))  # fmt: skip
    return owed
