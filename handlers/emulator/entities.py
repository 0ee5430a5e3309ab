"""Telegram's text as a call carries it: the entities Telegram adds by itself (commands,
mentions, hashtags), parse_mode=HTML parsed as strictly as Telegram does, and a text or
caption checked against Telegram's limits."""

from __future__ import annotations

import html
import re

from handlers.emulator.api import JSON, ApiError


def utf16_len(text: str) -> int:
    # Telegram measures entity offsets and text limits in UTF-16 code units.
    return len(text.encode("utf-16-le")) // 2


# Word boundaries follow tdlib: an entity may not start right after a letter (Chinese included).
_AUTO_ENTITIES = (
    (
        "bot_command",
        re.compile(
            r"(?<![\w/<>])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?"
            r"(?![\w/<>])"
        ),
    ),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z0-9_]{3,32}")),
    ("hashtag", re.compile(r"(?<![\w#])#[\w·]{1,256}")),
)


def detect_entities(text: str) -> list[JSON]:
    """The entities Telegram adds by itself to a plain text: commands, mentions, hashtags."""
    found = []
    for kind, pattern in _AUTO_ENTITIES:
        for m in pattern.finditer(text):
            if kind == "hashtag" and m.group()[1:].isdigit():
                continue  # "#12" is an issue number, not a hashtag, for Telegram too
            offset = utf16_len(text[: m.start()])
            found.append({"type": kind, "offset": offset, "length": utf16_len(m.group())})
    return sorted(found, key=lambda e: (e["offset"], -e["length"]))


_HTML_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler", "span": "spoiler", "a": "text_link", "code": "code", "pre": "pre",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}  # fmt: skip
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
_CHAR_REF_RE = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_SPECIAL_RE = re.compile("[<&]")
_NAMED_REFS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ATTR_RE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _cant_parse(text: str, pos: int, why: str) -> ApiError:
    where = len(text[:pos].encode())
    return ApiError(400, f"Bad Request: can't parse entities: {why} at byte offset {where}")


def _char_ref(ref: str) -> str:
    if ref in _NAMED_REFS:
        return _NAMED_REFS[ref]
    return chr(int(ref[2:], 16) if ref[1] == "x" else int(ref[1:]))


def parse_html(text: str) -> tuple[str, list[JSON]]:
    """Telegram's parse_mode=HTML, strictly: stray '<', unknown or unbalanced tags fail."""
    out: list[str] = []
    entities: list[JSON] = []
    stack: list[tuple[str, int, str, int]] = []
    pos = u16 = 0
    while pos < len(text):
        if text[pos] == "<":
            m = _TAG_RE.match(text, pos)
            if not m:
                raise _cant_parse(text, pos, 'unexpected "<"')
            name, attrs = m.group(2).lower(), m.group(3)
            if not m.group(1):
                if name not in _HTML_TAGS or (name == "span" and "tg-spoiler" not in attrs):
                    raise _cant_parse(text, pos, f'Unsupported start tag "{name}"')
                stack.append((name, u16, attrs, pos))
            elif not stack or stack[-1][0] != name:
                raise _cant_parse(text, pos, f'Unexpected end tag "{name}"')
            else:
                tag, start, tag_attrs, _ = stack.pop()
                if u16 > start:
                    entities.append(_html_entity(tag, start, u16 - start, tag_attrs))
            pos = m.end()
            continue
        if text[pos] == "&" and (ref := _CHAR_REF_RE.match(text, pos)):
            piece, pos = _char_ref(ref.group(1)), ref.end()
        else:
            special = _SPECIAL_RE.search(text, pos + 1)
            end = special.start() if special else len(text)
            piece, pos = text[pos:end], end
        out.append(piece)
        u16 += utf16_len(piece)
    if stack:
        tag, *_, start_pos = stack[-1]
        why = f'Can\'t find end tag corresponding to start tag "{tag}"'
        raise _cant_parse(text, start_pos, why)
    return "".join(out), sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _html_entity(tag: str, offset: int, length: int, attrs: str) -> JSON:
    entity: JSON = {"type": _HTML_TAGS[tag], "offset": offset, "length": length}
    values = {
        m.group(1): html.unescape(m.group(2) or m.group(3) or "") for m in _ATTR_RE.finditer(attrs)
    }
    if tag == "a":
        entity["url"] = values.get("href", "")
    elif tag == "tg-emoji":
        entity["custom_emoji_id"] = values.get("emoji-id", "")
    return entity


def rich_text(params: JSON, key: str, entities_key: str, limit: int) -> JSON:
    """text/caption after parse_mode, with entities, checked as Telegram checks them."""
    raw = params.get(key)
    if raw is None or raw == "":
        if key == "text":
            raise ApiError(400, "Bad Request: message text is empty")
        return {}
    text, entities = str(raw), params.get(entities_key) or []
    if str(params.get("parse_mode") or "").upper() == "HTML":
        text, entities = parse_html(text)
    if not text.strip():
        raise ApiError(400, f"Bad Request: {'message text' if key == 'text' else key} is empty")
    if utf16_len(text) > limit:
        what = "message" if key == "text" else "message caption"
        raise ApiError(400, f"Bad Request: {what} is too long")
    entities = sorted(
        [*entities, *detect_entities(text)], key=lambda e: (e["offset"], -e["length"])
    )
    return {key: text} | ({entities_key: entities} if entities else {})
