"""How the emulator's transcript reads people and messages: a name, a group member's status as
its owner sees it, a message's buttons, one line of what a message shows."""

from __future__ import annotations

from handlers.emulator.api import JSON


def display_name(user: JSON) -> str:
    return " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p)


# Telegram's membership statuses as a group's owner reads them in the app.
STATUS_NAMES = {
    "member": "普通成员", "administrator": "管理员", "creator": "群主", "restricted": "受限成员",
    "left": "已移出群", "kicked": "已移出并拉黑",
}  # fmt: skip


def buttons_of(message: JSON) -> list[JSON]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [button for row in rows for button in row]


def describe(message: JSON) -> str:
    """One line of what a message shows, for the transcript."""
    parts = []
    if "photo" in message:
        parts.append("[图片]")
    if doc := message.get("document"):
        parts.append(f"[文件 {doc.get('file_name', '')}]")
    if loc := message.get("location"):
        parts.append(f"[位置 {loc['latitude']}, {loc['longitude']}]")
    if sticker := message.get("sticker"):
        parts.append(f"[贴纸 {sticker.get('emoji', '')}]")
    if poll := message.get("poll"):
        options = " / ".join(o["text"] for o in poll["options"])
        parts.append(f"[投票] {poll['question']} ({options})")
    if topic := message.get("forum_topic_created"):
        parts.append(f"[新话题 {topic['name']}]")
    if members := message.get("new_chat_members"):
        parts.append("[加入群] " + "、".join(display_name(u) for u in members))
    text = message.get("text") or message.get("caption")
    if text:
        parts.append(text)
    if buttons := buttons_of(message):
        parts.append("[按钮: " + " | ".join(b.get("text", "") for b in buttons) + "]")
    return " ".join(parts)
