"""What a chart is made of before it is painted: boxes, lines and words at pixel places.

The digest chart is laid out here (bot.reports.charts) and painted by bot.reports.painting.
Keeping the two apart lets a test read every word and tick of a chart without a picture.
Sizes are pixels of a 100-dpi figure, the proportions the chart had when matplotlib drew it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

TICK = 5.0  # a tick's length, and the gap between it and its label
TICK_SIZE = 14  # tick and bar labels (10 pt)
TITLE_SIZE = 17  # a panel's title (12 pt)
INK = "#000000"


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float
    colour: str


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]
    colour: str = INK
    width: int = 1


@dataclass(frozen=True)
class Label:
    """Words anchored at (x, y) as Pillow anchors text ("mt": middle of the top, and so on);
    `vertical` stacks the characters, as Chinese is written down a page."""

    x: float
    y: float
    text: str
    size: int = TICK_SIZE
    anchor: str = "mm"
    vertical: bool = False


@dataclass
class Chart:
    width: int
    height: int
    boxes: list[Box] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    panels: list[Plot] = field(default_factory=list)

    def words(self) -> list[str]:
        return [label.text for label in self.labels]


def whole_ticks(limit: float, bins: int = 5) -> list[int]:
    """Whole numbers from 0 up to `limit`, at most `bins` steps of 1, 2, 2.5 or 5 times a
    power of ten (the steps matplotlib's MaxNLocator(integer=True) takes)."""
    scale = 1
    while True:
        halves = (scale * 5 // 2,) if scale >= 10 else ()  # 2.5 is whole from 25 up
        for step in (scale, 2 * scale, *halves, 5 * scale):
            if limit / step <= bins:
                return list(range(0, int(limit) + 1, step))
        scale *= 10


def split(
    start: float, end: float, ratios: Sequence[int], space: float
) -> list[tuple[float, float]]:
    """Cells side by side from `start` to `end` in these ratios, the gap between two
    `space` times the mean cell (as matplotlib's gridspec spaces them)."""
    cells = (end - start) / (1 + space * (len(ratios) - 1) / len(ratios))
    gap, at, spans = space * cells / len(ratios), start, []
    for ratio in ratios:
        width = cells * ratio / sum(ratios)
        spans.append((at, at + width))
        at += width + gap
    return spans


@dataclass
class Plot:
    """One panel: a pixel box showing data from `x` to `x_end` across and `y` to `y_end` up."""

    chart: Chart
    left: float
    top: float
    right: float
    bottom: float
    x: tuple[float, float] = (0.0, 1.0)
    y: tuple[float, float] = (0.0, 1.0)
    ticks: list[int] = field(default_factory=list)  # the value axis

    def __post_init__(self) -> None:
        self.chart.panels.append(self)

    def at(self, x: float, y: float) -> tuple[float, float]:
        """The pixel of a data point."""
        (x0, x1), (y0, y1) = self.x, self.y
        across = self.left + (x - x0) / (x1 - x0) * (self.right - self.left)
        up = self.bottom - (y - y0) / (y1 - y0) * (self.bottom - self.top)
        return across, up

    def bar(self, x0: float, y0: float, x1: float, y1: float, colour: str) -> Box:
        (left, bottom), (right, top) = self.at(x0, y0), self.at(x1, y1)
        box = Box(left, top, right, bottom, colour)
        self.chart.boxes.append(box)
        return box

    def say(self, x: float, y: float, text: str, anchor: str = "mm", **kw: object) -> None:
        self.chart.labels.append(Label(x, y, text, anchor=anchor, **kw))  # type: ignore[arg-type]

    def title(self, text: str) -> None:
        self.say((self.left + self.right) / 2, self.top - 8, text, "mb", size=TITLE_SIZE)

    def frame(self) -> None:
        """The left and bottom spines; top and right are left open."""
        corner = (self.left, self.bottom)
        self.chart.lines.append(Line(((self.left, self.top), corner, (self.right, self.bottom))))

    def counts(self, top: int, name: str, across: bool = False) -> None:
        """A value axis of whole numbers from 0, with room above the tallest bar for its label."""
        limit = top * 1.2
        self.ticks = whole_ticks(limit)
        if across:
            self.x = (0.0, limit)
            for tick in self.ticks:
                x, y = self.at(tick, self.y[0])
                self.chart.lines.append(Line(((x, y), (x, y + TICK))))
                self.say(x, y + 2 * TICK, str(tick), "mt")
            if name:
                self.say((self.left + self.right) / 2, self.bottom + 5 * TICK + 4, name, "mt")
            return
        self.y = (0.0, limit)
        for tick in self.ticks:
            x, y = self.at(self.x[0], tick)
            self.chart.lines.append(Line(((x - TICK, y), (x, y))))
            self.say(x - 2 * TICK, y, str(tick), "rm")
        if name:
            digits = len(str(self.ticks[-1]))
            x = self.left - 3 * TICK - digits * TICK_SIZE * 0.6 - TICK_SIZE / 2
            self.say(x, (self.top + self.bottom) / 2, name, vertical=True)

    def names(self, names: Sequence[str], places: Sequence[float], across: bool = True) -> None:
        """Category names under (or left of) their bars, each at a tick."""
        for name, place in zip(names, places, strict=True):
            if across:
                x, y = self.at(place, self.y[0])
                self.chart.lines.append(Line(((x, y), (x, y + TICK))))
                self.say(x, y + 2 * TICK, name, "mt")
            else:
                x, y = self.at(self.x[0], place)
                self.chart.lines.append(Line(((x - TICK, y), (x, y))))
                self.say(x - 2 * TICK, y, name, "rm")


def padded(first: float, last: float, share: float = 0.05) -> tuple[float, float]:
    """A data range with a margin at each end (matplotlib's default 5 %)."""
    room = (last - first) * share or 0.5
    return first - room, last + room


def span_of(count: int, width: float = 0.8) -> tuple[float, float]:
    """The range that shows `count` bars of `width` at 0 .. count - 1 with margins."""
    return padded(-width / 2, max(count, 1) - 1 + width / 2)
