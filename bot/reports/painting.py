"""A laid-out chart (bot.reports.canvas) painted as PNG with Pillow, in a CJK font.

A fresh machine has no Chinese font, and its words would come out as empty boxes. The
`noto-cjk-sans-otc` package (a dependency) ships Noto Sans CJK, of which the Simplified
Chinese face is taken; a system font (fonts-noto-cjk, fonts-wqy-microhei) serves when it is
absent. Fonts are loaded once per process and size and are safe to share between threads.
"""

from __future__ import annotations

import functools
import io
import logging
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bot.reports.canvas import Chart, Label

logger = logging.getLogger(__name__)

SYSTEM_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
FACES_IN_A_COLLECTION = 10  # Noto Sans CJK's .ttc: JP, KR, SC, TC, HK, then the Mono ones
PROBE = "新增解决"
NO_SUCH_CHARACTER = "\U0010fffd"


class FontMissing(RuntimeError):
    """No font that can draw Chinese was found: install noto-cjk-sans-otc or fonts-noto-cjk."""


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


@functools.cache
def cjk_face() -> tuple[str, int]:
    """The first font file that draws Chinese, and in a collection the index of its
    Simplified face."""
    for path in map(str, font_files()):
        index = _simplified_face(path)
        if not missing_glyphs(ImageFont.truetype(path, 20, index=index), PROBE):
            return path, index
        logger.warning("%s cannot draw Chinese; trying the next font", path)
    raise FontMissing("no CJK font: pip install noto-cjk-sans-otc or apt install fonts-noto-cjk")


def _simplified_face(path: str) -> int:
    for index in range(FACES_IN_A_COLLECTION):
        try:
            family, _ = ImageFont.truetype(path, 10, index=index).getname()
        except OSError:  # past the last face (or a single font)
            break
        if family and family.endswith(" SC"):
            return index
    return 0


def missing_glyphs(face: ImageFont.FreeTypeFont | ImageFont.ImageFont, text: str) -> list[str]:
    """The characters of `text` this font has no glyph for: each draws as the font's
    missing-glyph box, as a character no font has (a private-use code point) does."""
    box = _drawn(face, NO_SUCH_CHARACTER)
    return [ch for ch in dict.fromkeys(text) if not ch.isspace() and _drawn(face, ch) == box]


def _drawn(face: ImageFont.FreeTypeFont | ImageFont.ImageFont, character: str) -> bytes:
    image = Image.new("L", (64, 64))
    ImageDraw.Draw(image).text((8, 8), character, fill=255, font=face)
    return image.tobytes()


@functools.cache
def font(size: int) -> ImageFont.FreeTypeFont:
    path, index = cjk_face()
    return ImageFont.truetype(path, size, index=index)


def paint(chart: Chart) -> bytes:
    """The chart as PNG: boxes, then lines over them, then the words."""
    image = Image.new("RGB", (chart.width, chart.height), "white")
    pen = ImageDraw.Draw(image)
    for box in chart.boxes:
        left, top, right, bottom = (round(v) for v in (box.left, box.top, box.right, box.bottom))
        if right > left and bottom > top:
            pen.rectangle((left, top, right - 1, bottom - 1), fill=box.colour)
    for line in chart.lines:
        pen.line([(round(x), round(y)) for x, y in line.points], fill=line.colour,
                 width=line.width)  # fmt: skip
    for label in chart.labels:
        _write(pen, label)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=3)  # a third faster than 6, as small
    return buffer.getvalue()


def _write(pen: ImageDraw.ImageDraw, label: Label) -> None:
    face = font(label.size)
    if not label.vertical:
        pen.text((label.x, label.y), label.text, fill="black", font=face, anchor=label.anchor)
        return
    step = label.size * 1.1
    y = label.y - step * (len(label.text) - 1) / 2
    for character in label.text:
        pen.text((label.x, y), character, fill="black", font=face, anchor="mm")
        y += step
