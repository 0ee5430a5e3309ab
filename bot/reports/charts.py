"""Digest charts as PNG: matplotlib's Agg backend, with a CJK font registered at chart time.

A fresh machine has no Chinese font, and matplotlib would draw empty boxes and warn about
missing glyphs. The `noto-cjk-sans-otc` package (a dependency) ships Noto Sans CJK; a
system font (fonts-wqy-microhei, fonts-noto-cjk) serves when it is absent.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Mapping
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
    labels: ChartLabels, week: tuple[int, int, int, int], categories: Mapping[str, int]
) -> bytes:
    """What the chart shows, small enough to queue with the digest; drawn when it is sent."""
    spec = {"labels": asdict(labels), "week": list(week), "categories": dict(categories)}
    return json.dumps(spec, ensure_ascii=False).encode()


def render_spec(spec: bytes) -> bytes:
    """The PNG of a queued chart spec."""
    data = json.loads(spec)
    week = data["week"]
    return digest_chart(ChartLabels(**data["labels"]), tuple(week), data["categories"])


def digest_chart(
    labels: ChartLabels, week: tuple[int, ...], categories: Mapping[str, int]
) -> bytes:
    """Two panels: the week in four numbers, and the new issues by category."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # The family goes to each text rather than to rcParams: no global state is changed.
    font = {"fontfamily": [cjk_family(), "DejaVu Sans"]}
    figure = Figure(figsize=(8, 3.6), dpi=100)
    FigureCanvasAgg(figure)
    figure.subplots_adjust(left=0.03, right=0.97, bottom=0.1, top=0.88, wspace=0.3)
    left, right = figure.subplots(1, 2, width_ratios=(2, 3))
    names = (labels.new, labels.solved, labels.open, labels.overdue)
    left.bar_label(left.bar(names, week, color=COLOURS), **font)
    left.set_title(labels.overview, **font)
    left.yaxis.set_visible(False)  # the numbers stand on the bars
    left.set_ylim(0, max(1, *week) * 1.15)  # an empty week must not float its zeros mid-air
    _categories(right, labels, categories, font)
    for axes in (left, right):
        axes.tick_params(labelfontfamily=font["fontfamily"])
        axes.spines[["top", "right", "left"]].set_visible(False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


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
    axes.xaxis.set_visible(False)
