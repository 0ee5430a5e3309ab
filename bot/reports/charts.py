"""The weekly digest's chart: laid out here (bot.reports.canvas), painted as PNG with Pillow
(bot.reports.painting).

It was drawn with matplotlib, at 150-900 ms a chart on a loaded machine: a 1,505-grid
digest wave kept a core busy for minutes, and the acknowledgements sent meanwhile waited
for the interpreter. Four bar panels need none of matplotlib's generality; this draws one
in a few milliseconds, in the same layout, colours and words.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from bot.reports.canvas import TICK, TICK_SIZE, Box, Chart, Label, Plot, padded, span_of, split

__all__ = ["ChartLabels", "chart_spec", "digest_chart", "draw"]

COLOURS = ("#3b82f6", "#22c55e", "#f59e0b", "#ef4444")
WIDTH = 800
TITLE_SIZE = 19  # 14 pt
TREND_BAR = 0.38


@dataclass(frozen=True)
class ChartLabels:
    """Every word on the chart, already in the grid's script."""

    overview: str
    categories: str
    new: str
    solved: str
    open: str
    overdue: str
    nothing: str
    title: str = ""  # the grid and the period: 幸福里第一网格　11月13日至11月19日
    trend: str = ""  # the trend panel's title
    count: str = ""  # the value axis: 件数


Trend = Sequence[tuple[str, int, int]]  # (the week's first day, new, solved), oldest first


def chart_spec(
    labels: ChartLabels, week: tuple[int, int, int, int], categories: Mapping[str, int],
    trend: Trend = (),
) -> bytes:  # fmt: skip
    """What the chart shows, small enough to queue with the digest; drawn before it is sent."""
    spec = {"labels": asdict(labels), "week": list(week), "categories": dict(categories),
            "trend": [list(point) for point in trend]}  # fmt: skip
    return json.dumps(spec, ensure_ascii=False).encode()


def render_spec(spec: bytes) -> bytes:
    """The PNG of a queued chart spec (one queued before the trend existed has none)."""
    data = json.loads(spec)
    trend = [(str(day), int(new), int(solved)) for day, new, solved in data.get("trend", [])]
    return digest_chart(ChartLabels(**data["labels"]), tuple(data["week"]), data["categories"],
                        trend)  # fmt: skip


def digest_chart(
    labels: ChartLabels, week: tuple[int, ...], categories: Mapping[str, int], trend: Trend = ()
) -> bytes:
    """The PNG of `draw(...)`."""
    # Pillow and the fonts load on the first chart, not at the bot's start: the delivery
    # path imports this module, and most starts draw no chart for days.
    from bot.reports.painting import paint

    return paint(draw(labels, week, categories, trend))


def draw(
    labels: ChartLabels, week: tuple[int, ...], categories: Mapping[str, int], trend: Trend = ()
) -> Chart:
    """The grid and period above, the week in four numbers and the new issues by category
    side by side, and under them the last weeks' new and solved issues."""
    height = 640 if trend else 380
    chart = Chart(WIDTH, height)
    if labels.title:
        chart.labels.append(_title(labels.title, height))
    columns = split(0.08 * WIDTH, 0.97 * WIDTH, (2, 3), 0.3)
    # Room for the title and the panels' titles under it, whatever the height.
    top = 90 if labels.title else 0.14 * height
    rows = split(top, 0.92 * height, (1, 1) if trend else (1,), 0.45)
    (left, middle), (right, end), (top, bottom) = columns[0], columns[1], rows[0]
    _overview(Plot(chart, left, top, middle, bottom), labels, week)
    _categories(Plot(chart, right, top, end, bottom), labels, categories)
    if trend:
        (top, bottom) = rows[1]
        _trend(Plot(chart, columns[0][0], top, columns[1][1], bottom), labels, trend)
    return chart


def _title(text: str, height: int) -> Label:
    return Label(WIDTH / 2, 0.02 * height, text, size=TITLE_SIZE, anchor="mt")


def _overview(plot: Plot, labels: ChartLabels, week: tuple[int, ...]) -> None:
    plot.x = span_of(len(week))
    plot.counts(max(1, *week), labels.count)
    for place, (value, colour) in enumerate(zip(week, COLOURS, strict=False)):
        box = plot.bar(place - 0.4, 0, place + 0.4, value, colour)
        plot.say((box.left + box.right) / 2, box.top - 3, str(value), "mb")
    plot.names((labels.new, labels.solved, labels.open, labels.overdue), range(len(week)))
    plot.title(labels.overview)
    plot.frame()


def _categories(plot: Plot, labels: ChartLabels, categories: Mapping[str, int]) -> None:
    plot.title(labels.categories)
    ranked = sorted(categories.items(), key=lambda item: (-item[1], item[0]))[:8]
    if not ranked:
        plot.say((plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2, labels.nothing)
        return
    plot.y = span_of(len(ranked))
    plot.counts(max(count for _, count in ranked), labels.count, across=True)
    places = [len(ranked) - 1 - n for n in range(len(ranked))]  # the largest on top
    for place, (_, count) in zip(places, ranked, strict=True):
        box = plot.bar(0, place - 0.4, count, place + 0.4, COLOURS[0])
        plot.say(box.right + 3, (box.top + box.bottom) / 2, str(count), "lm")
    plot.names([name for name, _ in ranked], places, across=False)
    plot.frame()


def _trend(plot: Plot, labels: ChartLabels, trend: Trend) -> None:
    plot.x = padded(-TREND_BAR, len(trend) - 1 + TREND_BAR)
    new = [n for _, n, _ in trend]
    solved = [s for _, _, s in trend]
    plot.counts(max(1, *new, *solved), labels.count)
    for place, pair in enumerate(zip(new, solved, strict=True)):
        for shift, value, colour in ((-1, pair[0], COLOURS[0]), (0, pair[1], COLOURS[1])):
            x = place + shift * TREND_BAR
            box = plot.bar(x, 0, x + TREND_BAR, value, colour)
            if value:
                plot.say((box.left + box.right) / 2, box.top - 2, str(value), "mb")
    plot.names([day for day, _, _ in trend], range(len(trend)))
    plot.title(labels.trend)
    _legend(plot, ((labels.new, COLOURS[0]), (labels.solved, COLOURS[1])))
    plot.frame()


def _legend(plot: Plot, entries: Sequence[tuple[str, str]]) -> None:
    """Upper left, no frame: a swatch and a name a line."""
    x, y = plot.left + 2 * TICK + 4, plot.top + 2 * TICK + 4
    for name, colour in entries:
        plot.chart.boxes.append(_swatch(x, y, colour))
        plot.say(x + 28 + 2 * TICK, y, name, "lm", size=TICK_SIZE)
        y += TICK_SIZE * 1.55


def _swatch(x: float, y: float, colour: str) -> Box:
    return Box(x, y - 5, x + 28, y + 5, colour)
