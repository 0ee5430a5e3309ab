"""The weekly digest in each grid group: the week in numbers, by category, the satisfaction
rate, the issues waiting longest, and a chart (drawn when it is sent, see
bot/reports/charts.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from bot import timefmt
from bot.chunks import split_text
from bot.privacy import excerpt, mask
from bot.reports.charts import ChartLabels, chart_spec
from bot.reports.consultations import grid_sections
from bot.services import Services
from bot.texts import Texts, plain
from storage.records import Grid, Issue, MessageKind, OutgoingMessage, Priority
from storage.report_records import GridWeek

OLDEST_SHOWN = 3
EXCERPT = 30
TREND_WEEKS = 8


@dataclass(frozen=True)
class Window:
    """The period a digest covers: [start, end)."""

    start: datetime
    end: datetime
    zone: ZoneInfo

    @classmethod
    def ending(cls, end: datetime, zone: ZoneInfo, days: int = 7) -> Window:
        return cls(end - timedelta(days=days), end, zone)

    @property
    def today(self) -> str:
        """The local date at the end, as plan dates are stored (YYYY-MM-DD)."""
        return self.end.astimezone(self.zone).date().isoformat()

    def weeks(self, count: int) -> list[datetime]:
        """The first moments of the `count` weeks up to the end, this one last."""
        return [self.end - timedelta(days=7 * (count - index)) for index in range(count)]

    def shown(self) -> dict[str, str]:
        first = self.start.astimezone(self.zone)
        last = (self.end - timedelta(microseconds=1)).astimezone(self.zone)
        return {"start": f"{first.month}月{first.day}日", "end": f"{last.month}月{last.day}日"}


@dataclass(frozen=True)
class GridDigest:
    grid: Grid
    week: GridWeek
    categories: dict[str, int]
    rated: int
    satisfied: int
    oldest: list[Issue]
    consultations: tuple[str, ...] = ()  # 微协商 lines (bot/reports/consultations.py), if any
    trend: tuple[tuple[str, int, int], ...] = ()  # the last weeks: (first day, new, solved)


def rate(texts: Texts, language: str, part: int, whole: int) -> str:
    """85%（17/20）, or 暂无 when there is nothing to divide by."""
    if whole <= 0:
        return texts.get(language, "rate_none")
    return texts.get(language, "rate", percent=round(100 * part / whole), part=part, whole=whole)


async def scope(services: Services, grids: Sequence[Grid]) -> list[int] | None:
    """The grids' ids for a query, or None when they are every grid: a list of a county's
    1,505 ids is planned in each query (PostgreSQL: ~100 ms of a digest) to select nothing
    less than all."""
    if len(grids) == len(await services.store.grids.all()):
        return None
    return [grid.id for grid in grids]


async def collect(services: Services, window: Window, grids: Sequence[Grid]) -> list[GridDigest]:
    """Each grid's week: four GROUP BY queries whatever the number of grids."""
    stats = services.store.stats
    ids = await scope(services, grids)
    weeks = await stats.week(window.start, window.end, window.today, ids)
    categories = await stats.categories(window.start, window.end, ids)
    verdicts = await stats.verdicts(window.start, window.end, ids)
    oldest = await stats.oldest_open(window.end, OLDEST_SHOWN, ids)
    meetings = await grid_sections(services, grids, ids, window.start, window.end)
    starts = window.weeks(TREND_WEEKS)
    weekly = await stats.weekly(starts, window.end, ids)
    days = [f"{s.astimezone(window.zone).month}/{s.astimezone(window.zone).day}" for s in starts]
    empty = [(0, 0)] * TREND_WEEKS
    return [
        GridDigest(
            grid, weeks.get(grid.id, GridWeek(grid.id)), categories.get(grid.id, {}),
            *verdicts.get((grid.id, None), (0, 0)), oldest.get(grid.id, []),
            tuple(meetings.get(grid.id, ())),
            tuple((d, *pair) for d, pair in zip(days, weekly.get(grid.id, empty), strict=True)),
        )
        for grid in grids
    ]  # fmt: skip


def render(services: Services, digest: GridDigest, window: Window) -> str:
    texts, lang, week = services.texts, digest.grid.language, digest.week
    lines = [
        texts.get(lang, "digest_head", grid=digest.grid.name, **window.shown()),
        texts.get(lang, "digest_counts", new=week.new, solved=week.solved, open=week.open,
                  overdue=week.overdue),
        texts.get(lang, "digest_satisfaction",
                  rate=rate(texts, lang, digest.satisfied, digest.rated)),
    ]  # fmt: skip
    ranked = sorted(digest.categories.items(), key=lambda item: (-item[1], item[0]))
    items = "、".join(f"{texts.name(lang, name)} {count}" for name, count in ranked)
    lines.append(texts.get(lang, "digest_categories", items=items) if items else
                 texts.get(lang, "digest_no_new"))  # fmt: skip
    lines.append(texts.get(lang, "digest_oldest_head" if digest.oldest else "digest_no_open"))
    lines.extend(_oldest_line(services, lang, issue, window) for issue in digest.oldest)
    lines.extend(digest.consultations)
    return "\n".join(lines)


def _oldest_line(services: Services, lang: str, issue: Issue, window: Window) -> str:
    texts = services.texts
    shown = excerpt(issue.text, EXCERPT)
    return texts.get(
        lang, "digest_oldest_line", n=issue.id, category=texts.name(lang, issue.category),
        label=texts.status(lang, issue.status),
        waited=timefmt.waited(issue.created_at, window.zone, partial(texts.get, lang), window.end),
        text=shown,
    )  # fmt: skip


def chart_labels(
    texts: Texts, language: str, grid: Grid | None = None, window: Window | None = None
) -> ChartLabels:
    def say(key: str, **values: str) -> str:
        return plain(texts.get(language, key, **values))

    title = say("chart_title", grid=grid.name, **window.shown()) if grid and window else ""
    return ChartLabels(
        say("chart_overview"), say("chart_categories"), say("chart_new"), say("chart_solved"),
        say("chart_open"), say("chart_overdue"), say("chart_nothing"), title,
        say("chart_trend", weeks=str(TREND_WEEKS)), say("chart_count"),
    )  # fmt: skip


def messages(
    services: Services, digest: GridDigest, window: Window, reply_to: int | None = None
) -> list[OutgoingMessage]:
    """The digest text (in parts if long) then the chart, to the grid's group."""
    grid, texts, now = digest.grid, services.texts, services.clock()
    assert grid.chat_id is not None
    owed = [
        OutgoingMessage(kind=MessageKind.DIGEST, chat_id=grid.chat_id, text=part, created_at=now,
                        reply_to_message_id=reply_to if index == 0 else None,
                        priority=Priority.DIGEST)
        for index, part in enumerate(split_text(mask(render(services, digest, window))))
    ]  # fmt: skip
    week = digest.week
    categories = {texts.name(grid.language, k): v for k, v in digest.categories.items()}
    spec = chart_spec(
        chart_labels(texts, grid.language, grid, window),
        (week.new, week.solved, week.open, week.overdue), categories, digest.trend,
    )  # fmt: skip
    caption = texts.get(grid.language, "digest_chart_caption", grid=grid.name)
    owed.append(
        OutgoingMessage(
            kind=MessageKind.DIGEST_CHART,
            chat_id=grid.chat_id,
            text=caption,
            created_at=now,
            priority=Priority.DIGEST,
            media_kind="chart",
            media_name="digest.png",
            media=spec,
        )
    )
    return owed


async def weekly_messages(
    services: Services, window: Window, grids: Sequence[Grid]
) -> list[OutgoingMessage]:
    """Digests for every bound grid among `grids`."""
    bound = [grid for grid in grids if grid.chat_id is not None]
    owed: list[OutgoingMessage] = []
    for digest in await collect(services, window, bound):
        owed.extend(messages(services, digest, window))
    return owed
