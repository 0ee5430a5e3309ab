"""Digest charts as PNG: matplotlib's Agg backend, with a CJK font registered at chart time.

A fresh machine has no Chinese font, and matplotlib would draw empty boxes and warn about
missing glyphs. The `noto-cjk-sans-otc` package (a dependency) ships Noto Sans CJK; a
system font (fonts-wqy-microhei, fonts-noto-cjk) serves when it is absent.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

logger = logging.getLogger(__name__)

SYSTEM_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
COLOURS = ("#3b82f6", "#22c55e", "#f59e0b", "#ef4444")


class FontMissing(RuntimeError):
    """No font that can draw Chinese was found: install noto-cjk-sans-otc or fonts-noto-cjk."""


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


def font_files() -> list[Path]:
    """Fonts able to draw Chinese, best first."""
    found = []
    try:
        import noto_cjk_sans_otc

        found.append(Path(str(noto_cjk_sans_otc.FONT_PATH)))
    except ImportError:
        logger.debug("noto-cjk-sans-otc is not installed; looking for a system CJK font")
    found.extend(Path(path) for path in SYSTEM_FONTS)
    return [path for path in found if path.is_file()]


def cjk_family() -> str:
    """Register the first CJK font with matplotlib (once per process) and return its name."""
    from matplotlib import font_manager

    files = font_files()
    if not files:
        raise FontMissing(
            "no CJK font: pip install noto-cjk-sans-otc or apt install fonts-noto-cjk"
        )
    path = str(files[0])
    if not any(entry.fname == path for entry in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    return str(font_manager.FontProperties(fname=path).get_name())


def chart_spec(
    labels: ChartLabels, week: tuple[int, int, int, int], categories: Mapping[str, int],
    trend: Trend = (),
) -> bytes:  # fmt: skip
    """What the chart shows, small enough to queue with the digest; drawn when it is sent."""
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
    """The PNG of `figure(...)`."""
    figure = draw(labels, week, categories, trend)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def draw(
    labels: ChartLabels, week: tuple[int, ...], categories: Mapping[str, int], trend: Trend = ()
) -> Any:
    """The figure: the grid and period above, the week in four numbers and the new issues by
    category side by side, and under them the last weeks' new and solved issues."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # The family goes to each text rather than to rcParams: no global state is changed.
    font: dict[str, Any] = {"fontfamily": [cjk_family(), "DejaVu Sans"]}
    figure = Figure(figsize=(8, 6.4 if trend else 3.8), dpi=100)
    FigureCanvasAgg(figure)
    if labels.title:
        figure.suptitle(labels.title, fontsize=14, fontweight="bold", **font)
    grid = figure.add_gridspec(
        2 if trend else 1,
        2,
        width_ratios=(2, 3),
        hspace=0.45,
        wspace=0.3,
        left=0.08,
        right=0.97,
        bottom=0.08,
        top=0.86,
    )
    left, right = figure.add_subplot(grid[0, 0]), figure.add_subplot(grid[0, 1])
    names = (labels.new, labels.solved, labels.open, labels.overdue)
    left.bar_label(left.bar(names, week, color=COLOURS), padding=2, **font)
    left.set_title(labels.overview, **font)
    _counts(left, labels, max(1, *week), font)
    _categories(right, labels, categories, font)
    panels = [left, right]
    if trend:
        panels.append(_trend(figure.add_subplot(grid[1, :]), labels, trend, font))
    for axes in panels:
        axes.tick_params(labelfontfamily=font["fontfamily"])
        axes.spines[["top", "right"]].set_visible(False)
    return figure


def _counts(
    axes: Axes, labels: ChartLabels, top: int, font: dict[str, Any], x: bool = False
) -> None:
    """A value axis of whole numbers from 0, with room above the tallest bar for its label."""
    from matplotlib.ticker import MaxNLocator

    axis = axes.xaxis if x else axes.yaxis
    axis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    (axes.set_xlim if x else axes.set_ylim)(0, top * 1.2)
    if labels.count:
        (axes.set_xlabel if x else axes.set_ylabel)(labels.count, **font)


def _trend(axes: Axes, labels: ChartLabels, trend: Trend, font: dict[str, Any]) -> Axes:
    days = [day for day, _, _ in trend]
    places = range(len(days))
    new = [n for _, n, _ in trend]
    solved = [s for _, _, s in trend]
    width = 0.38
    for shift, values, colour, name in ((-1, new, COLOURS[0], labels.new),
                                        (1, solved, COLOURS[1], labels.solved)):  # fmt: skip
        bars = axes.bar([p + shift * width / 2 for p in places], values, width, color=colour,
                        label=name)  # fmt: skip
        axes.bar_label(bars, [str(v) if v else "" for v in values], padding=1, **font)
    axes.set_xticks(list(places), days)
    axes.set_title(labels.trend, **font)
    axes.legend(prop={"family": font["fontfamily"]}, frameon=False, loc="upper left")
    _counts(axes, labels, max(1, *new, *solved), font)
    return axes


def _categories(
    axes: Axes, labels: ChartLabels, categories: Mapping[str, int], font: dict[str, Any]
) -> None:
    axes.set_title(labels.categories, **font)
    ranked = sorted(categories.items(), key=lambda item: (-item[1], item[0]))[:8]
    if not ranked:
        axes.text(0.5, 0.5, labels.nothing, ha="center", va="center", transform=axes.transAxes,
                  **font)  # fmt: skip
        axes.set_axis_off()
        return
    names = [name for name, _ in reversed(ranked)]
    bars = axes.barh(names, [count for _, count in reversed(ranked)], color=COLOURS[0])
    axes.bar_label(bars, padding=2, **font)
    _counts(axes, labels, max(count for _, count in ranked), font, x=True)
