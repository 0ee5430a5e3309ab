"""`gridbot --help` in Chinese and English: the Chinese beside each English help line, for
every command and option, keyed by where it is (`"jobs run --dry-run"`), and argparse's own
headings in both languages. tests/test_command_line.py checks that none is missing."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

# path → Chinese, or (Chinese, English) where the option has no English help of its own.
ZH: dict[str, str | tuple[str, str]] = {
    "": "“有事好商量”网格机器人：登记、分派、进展、评价",
    "--config": "TOML 配置文件（或 GRIDBOT_CONFIG）",
    "--verbose": "显示详细日志",
    "run": "运行机器人（长轮询，或 --webhook）",
    "run --webhook": "通过 webhook 接收更新",
    "web": "只提供网格工作台和 Open311（不接收 Telegram 更新）",
    "demo": "在本机演示全流程：不需要令牌，不联网",
    "demo --out": "输出文件夹",
    "roster": "网格和委员花名册",
    "roster import": "从 CSV 或 XLSX 导入网格和委员",
    "roster import files": ("花名册文件", "roster files"),
    "roster import --replace": "以这些文件为全部花名册：不在其中的委员离任",
    "roster invites": "带二维码的邀请单（.docx）",
    "roster invites --grid": ("只生成这个网格的", "only this grid"),
    "roster invites --out": ("输出文件", "output file"),
    "roster invites --days": "有效天数",
    "roster remove": "委员离任：其未办结的诉求转交他人",
    "roster remove who": ("委员姓名或 Telegram ID", "the member's name or Telegram id"),
    "export": "导出诉求台账",
    "export --format": "默认按 --out 的扩展名",
    "export --out": ("输出文件（.csv 或 .xlsx）", "output file (.csv or .xlsx)"),
    "export --from": ("起始日期 YYYY-MM-DD", "first day, YYYY-MM-DD"),
    "export --to": ("截止日期 YYYY-MM-DD", "last day, YYYY-MM-DD"),
    "export --by-grid": "XLSX：每个网格一张工作表",
    "export --unit": "XLSX 标题中的单位名称",
    "classify": "一段文字的类别、命中的关键词和得分",
    "classify text": "要分类的文字",
    "classify --taxonomy": "分类表 TOML（默认 GRIDBOT_TAXONOMY，否则用内置的）",
    "classify --json": "输出一个 JSON 对象",
    "classify --staff": "按网格委员发的消息来判断（通知类不算诉求）",
    "eval": "在标注好的 CSV 上计算准确率和宏平均 F1",
    "eval file": "列：text（或 title+text）、label",
    "eval --taxonomy": "分类表 TOML（默认 GRIDBOT_TAXONOMY，否则用内置的）",
    "eval --json": "输出一个 JSON 对象",
    "learn": "从标注好的 CSV 学习各类别的加权关键词",
    "learn file": "列：text（或 title+text）、label",
    "learn --seed": "种子：分类表 TOML，或 level1,level2 两列的 CSV",
    "learn --from-db": "加上委员用 /cat 做的更正",
    "learn --out": ("输出的分类表 TOML", "the taxonomy TOML written"),
    "doctor": "检查配置、数据库、令牌和群",
    "backup": "在线备份 SQLite 数据库",
    "backup out": ("备份文件", "backup file"),
    "jobs": "定时任务：周报、提醒、抽查、协商",
    "jobs run": "现在运行一个任务（如同在 --at 时刻），并发送它的消息",
    "jobs run job": "任务名",
    "jobs run --at": "ISO 8601 时间；不带时区即 GRIDBOT_TIMEZONE",
    "jobs run --grid": "只运行这个网格",
    "jobs run --dry-run": "只显示将要发送的消息：不发送，不改动数据库",
    "report": "根据诉求起草的材料",
    "report sqmy": "社情民意草稿，每个反复出现的议题一篇",
    "report sqmy --from": (
        "起始日期 YYYY-MM-DD（默认最近 30 天）",
        "first day (default: 30 days)",
    ),
    "report sqmy --to": ("截止日期 YYYY-MM-DD", "last day, YYYY-MM-DD"),
    "report sqmy --grid": ("只看这个网格", "only this grid"),
    "report sqmy --community": ("只看这个社区", "only this community"),
    "report sqmy --category": ("只看这个类别", "only this category"),
    "report sqmy --format": "默认按 --out 的扩展名",
    "report sqmy --issue-no": "期号",
    "report sqmy --unit": "报送单位",
    "report sqmy --author": "报送人",
    "report sqmy --out": ("输出文件（.docx、.md 或 .pdf）", "output file (.docx, .md or .pdf)"),
}
HEADINGS = {"positional": "参数 arguments", "options": "选项 options"}
HELP_LINE = "显示帮助并退出 · show this help and exit"


class Formatter(argparse.HelpFormatter):
    """argparse's layout with a bilingual `usage:`."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, prefix or "用法 usage: ")


def bilingual(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Every help line of `parser` and its subcommands in Chinese, then English."""
    said: dict[str, str | None] = {}  # a subcommand's help line, its page's description too
    for path, sub, action in _walk(parser, ""):
        if sub is not None:
            sub.formatter_class = Formatter
            sub._positionals.title, sub._optionals.title = (
                HEADINGS["positional"], HEADINGS["options"]
            )  # fmt: skip
            sub.description = said[path] if path in said else _both(path, sub.description)
        elif isinstance(action, argparse._HelpAction):
            action.help = HELP_LINE
        elif action is not None:
            action.help = said[path] = _both(path, action.help)
    return parser


def missing(parser: argparse.ArgumentParser) -> list[str]:
    """The paths that have no Chinese help yet."""
    return [path for path, _, action in _walk(parser, "") if path not in ZH
            and not isinstance(action, argparse._HelpAction)]  # fmt: skip


def _both(path: str, english: str | None) -> str | None:
    chinese = ZH.get(path)
    if chinese is None:
        return english
    if isinstance(chinese, tuple):
        chinese, fallback = chinese
        english = english or fallback
    return f"{chinese} · {english}" if english else chinese


Walked = tuple[str, argparse.ArgumentParser | None, argparse.Action | None]


def _walk(parser: argparse.ArgumentParser, path: str) -> Iterator[Walked]:
    """(path, parser, None) for each parser, (path, None, action) for each of its options;
    a subcommand's help line is its choice action's."""
    yield path, parser, None
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            choices = {choice.dest: choice for choice in action._choices_actions}
            for name, sub in action.choices.items():
                where = f"{path} {name}".strip()
                yield where, None, choices[name]
                yield from _walk(sub, where)
        else:
            name = action.option_strings[-1] if action.option_strings else action.dest
            yield f"{path} {name}".strip(), None, action
