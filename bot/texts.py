"""Every text the bot says, in Simplified and Traditional Chinese (HTML parse mode).

Templates are filled by `Texts.get`, which escapes every value unless it is `Html`, so
nothing a resident writes can break the markup. The Traditional variant is the OpenCC
s2tw rendering of the Simplified one, reviewed; tests/test_texts.py keeps them in step.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from bot.chunks import clip
from bot.lifecycle import label

SIMPLIFIED = "zh-Hans"
TRADITIONAL = "zh-Hant"
# The county's script: for coordinators and for chats that no single grid speaks for.
DEFAULT = SIMPLIFIED


def language_of(languages: Iterable[str]) -> str:
    """The script these grids share (a group's grid, a person's grids), else the default."""
    found = set(languages)
    return found.pop() if len(found) == 1 else DEFAULT


# The most a filled-in value may take, in UTF-16 units: a template with three values this
# long (a note, a department, a name) still fits one Telegram message of 4,096.
VALUE_LIMIT = 1000


class Html(str):
    """A value that is already markup (a mention link) and must not be escaped."""

    __slots__ = ()


ZH_HANS: dict[str, str] = {
    "ack": "✅ 已受理 #{n}【{category}】\n承办人：{member}\n将于{respond_by}响应。",
    "ack_urgent": (
        "🚨 紧急 · 已受理 #{n}【{category}】\n"
        "承办人：{member}\n"
        "将于{respond_by}响应，已同时告知召集人。"
    ),
    # Safety advice for the danger an urgent report names; the advice is the taxonomy's.
    "ack_advice": "\n⚠️ 安全提示：{advice}",
    # Several acknowledgements in one message, when a burst would exceed the group's limit.
    "ack_many": "✅ 已受理 {count} 件诉求：",
    "ack_line": "{who}「{words}」#{n}【{category}】承办人：{member}，{respond_by}响应",
    "ack_line_urgent": (
        "🚨 {who}「{words}」#{n}【{category}】紧急，承办人：{member}，{respond_by}响应，已告知召集人"
    ),
    "nobody": "待分派",
    "report_usage": "用法：/report 问题描述，例如：/report 3号楼门口路灯不亮",
    "hint_unbound": (
        "本群尚未绑定网格，暂不登记诉求。请召集人在群里发送 /bind 网格编码（例如 /bind A01）。"
    ),
    "greeting": (
        "大家好，我是“有事好商量”网格助手 🤝\n"
        "居民在群里直接说出遇到的问题，我会登记编号、转给负责的委员，并在群里同步进展。"
    ),
    "greeting_unbound": "请召集人发送 /bind 网格编码，把本群绑定到网格。",
    "edited": "#{n} 的内容已按您的修改更新。",
    "bind_usage": "用法：/bind 网格编码，例如：/bind A01",
    "bind_ok": "已将本群绑定到网格 {code}（{name}）。居民现在可以在群里反映问题了。",
    "bind_unknown": "没有编码为 {code} 的网格，请检查花名册。",
    "bind_refused": "只有召集人可以绑定网格。",
    "bind_private": "请在要绑定的网格群里发送 /bind 网格编码。",
    "notice": (
        "📋 新诉求 #{n}{urgent}\n"
        "网格：{grid}\n"
        "类别：{category}\n"
        "内容：{text}\n"
        "反映人：{reporter}\n"
        "请于{respond_by}响应。"
    ),
    "notice_urgent_mark": "（紧急）",
    "notice_fallback": (
        "{mention}：新诉求 #{n}【{category}】请您处理。您还没有开通私聊通知，请点这里 {"
        "link} 后发送 /start。"
    ),
    "coordinator_urgent": (
        "🚨 紧急诉求 #{n}\n"
        "网格：{grid}\n"
        "类别：{category}\n"
        "内容：{text}\n"
        "反映人：{reporter}\n"
        "承办人：{member}"
    ),
    "coordinator_unassigned": (
        "⚠️ 诉求 #{n}（{grid}，{category}）暂无可分派的委员，请安排：/assign {n} 姓名"
    ),
    "button_take": "✋ 认领",
    "button_view": "📄 详情",
    "start_member": "您好，{name}！私聊通知已开通，新诉求和提醒会发到这里。",
    "start_resident": "您好！在网格群里直接说出遇到的问题即可登记，也可以发送 /report 问题描述。",
    "action_created": "登记",
    "action_take": "认领",
    "action_progress": "进展",
    "action_plan": "列入计划",
    "action_escalate": "转交",
    "action_done": "解决",
    "action_reject": "不予受理",
    "action_merge": "合并",
    "action_assign": "改派",
    "action_recategorise": "改类别",
    "action_satisfied": "评价",
    "action_unsatisfied": "评价",
    "action_self_rated": "自评（不计入满意率）",
    "action_auto_close": "自动办结",
    "action_hand_over": "转派",
    "action_leave": "离任转交",
    "action_edit": "修改内容",
    "action_attach": "补充附件",
    "help_resident": "在群里直接说出遇到的问题，我会登记编号、转给负责的委员，并在群里告诉您每一步进展。\n/my 查看我反映的诉求",
    "help_member": "委员：新诉求会私聊发给您，点通知下面的按钮即可认领、反馈进展、办结；需要写说明时我会请您直接回复。\n/mine 我承办的\u3000/open 未办结\u3000/issue 编号 查看详情",
    "help_coordinator": "召集人：在所负责的网格中可以做委员能做的一切，并可绑定群、调整设置、查看统计和生成社情民意草稿。\n/stats 统计\u3000/digest 周报\u3000/bind 网格编码 绑定本群",
    "help_more": "📖 更多说明",
    "help_more_resident": "📖 居民使用说明\n1. 反映问题：在群里直接说，例如“3号楼门口路灯不亮”；也可以发送 /report 问题描述。带照片、位置都可以。\n2. 登记后我会回复编号（如 #12）、类别、承办委员和响应时间。\n3. 每一步进展都会回复在您的原消息下面。\n4. 解决后请点按钮评价：满意、基本满意或不满意。不满意的会重新办理。\n5. 别人反映过的同样问题，回复那条消息说“+1”或“我也是”即可附议。\n/my 查看我反映的诉求",
    "help_more_member": "📖 委员使用说明（N 为诉求编号）\n按钮：新诉求通知和 /issue N 下面都有按钮——认领、进展、列入计划、转交、询问居民、已解决、不予受理。需要写说明的，我会发一条提示，直接回复它即可。\n也可以打字（群里、私聊都行；“/progress1 …”“认领 3”“办结 3 已修好”这样的写法也认）：\n/take N 认领\n/progress N 说明\u3000反馈进展\n/ask N 问题\u3000询问反映人（等待答复期间暂停计时）\n/plan N YYYY-MM-DD 说明\u3000列入计划\n/escalate N 部门 监督建议\u3000转交部门\n/done N 结果\u3000已解决，请居民评价\n/reject N 理由\u3000不予受理\n/dup N M\u3000合并重复\u3000/assign N 姓名\u3000改派\u3000/cat N 类别\u3000改类别\n/mine 我承办的\u3000/open 未办结\u3000/stats 统计\u3000/digest 周报\n/consult new 标题 | 时间 | 地点 | #N… 发起微协商；/consult online 标题 | 选项A | 选项B 线上协商；/consult minutes 编号 纪要；/consult list",
    "help_more_coordinator": "📖 召集人使用说明\n1. 绑定群：把机器人拉进网格群，设为管理员或关闭隐私模式，在群里发送 /bind 网格编码。\n2. 设置本群：/lang 简体|繁体\u3000/mode auto|confirm|explicit（自动登记、先确认、只登记明确的反映）。\n3. 督办：紧急诉求和无人承办的诉求会立即私聊告诉您；两次超期的诉求会交给您督办。\n4. 统计：/stats 看响应率、解决率、满意率和无法私聊的委员；每周四收到跨网格周报。\n5. 委员：私聊 /invite 姓名 获取邀请链接；花名册变动请联系管理员导入。\n6. 私聊 /sqmy 生成社情民意草稿（Word）；私聊 /web 打开网格工作台。\n在所负责的所有网格中，委员能用的按钮和命令您都能用。",
    "refused": "抱歉，您无权处理此诉求。",
    "not_found": "没有找到诉求 #{n}。",
    "wrong_status": "#{n} 当前状态为“{label}”，不能执行此操作。",
    "stale_button": "此按钮已失效。",
    "post_take": "#{n} {label}：由{member}负责办理，正在了解情况，有进展会在这里告诉您。",
    "post_progress": "#{n} {label}：{note}\n后续进展会继续在这里告诉您。",
    "post_plan": "#{n} {label}：预计{date}前解决，届时在这里告诉您结果。{note}",
    "post_escalate": "#{n} {label}：此事需由{department}办理，监督建议：{note}\n委员将跟踪督促，有结果会在这里告诉您。",
    "post_done": "#{n} {label}：{note}\n请{reporter}点下面的按钮评价办理结果；{days} 天内没有评价的，将自动办结。",
    "post_reject": "#{n} {label}：{note}\n感谢您的反映，如有疑问可随时联系网格委员。",
    "post_merge": "#{n} {label}：与 #{other} 是同一问题，后续进展请关注 #{other}。",
    "post_assign": "#{n} {label}：改由{member}负责办理，会尽快与您联系。",
    "post_recategorise": "#{n} {label}：类别调整为“{category}”，办理照常进行。",
    "post_satisfied": "#{n} {label}：{reporter}评价“{rating}”。感谢您的反映，有新问题随时在群里说。",
    "post_unsatisfied": "#{n} {label}：反映人评价“不满意”，承办人会继续跟进。\n请问哪里不满意？点下面的原因，或直接回复这条消息说明。",
    "button_reason_n": "没有修好",
    "button_reason_s": "处理太慢",
    "button_reason_a": "态度不好",
    "button_reason_o": "其他原因",
    "reason_other": "请直接回复那条消息，写下不满意的原因。",
    "reason_thanks": "已记下原因，承办人会继续跟进。",
    "reason_notice": "💬 #{n} 反映人说明了不满意的原因：{reason}\n内容：{text}",
    "action_reason": "不满意原因",
    "feedback_only_reporter": "只有反映人可以评价，谢谢您的关注。",
    "feedback_thanks": "谢谢您的评价！",
    "reopened_notice": "⚠️ #{n} 反映人评价“不满意”，已重新进入办理中，请继续跟进。\n内容：{text}",
    "assigned_notice": "📋 #{n} 已改由您承办（{category}）。\n内容：{text}\n反映人：{reporter}",
    "acted_take": "好的，#{n} 由您办理，群里已告诉反映人。有进展时点“进展”，办好后点“已解决”。",
    "acted_progress": "#{n} 的进展已发到群里。",
    "acted_plan": "#{n} 的计划日期已告诉反映人，计划期间不计超期。",
    "acted_escalate": "#{n} 的转交情况已告诉反映人，请继续跟踪部门办理。",
    "acted_done": "#{n} 的办理结果已发到群里，并请反映人评价。",
    "acted_reject": "#{n} 不予受理的理由已告诉反映人。",
    "acted_merge": "#{n} 已合并，反映人会在群里看到。",
    "acted_assign": "#{n} 已改派，新承办人会收到私聊通知。",
    "acted_recategorise": "#{n} 的类别已调整。",
    "button_act_progress": "🔧 进展",
    "button_act_plan": "📅 列入计划",
    "button_act_escalate": "📤 转交",
    "button_act_ask": "❓ 问居民",
    "button_act_done": "✅ 已解决",
    "button_act_reject": "🚫 不予受理",
    "prompt_progress": "✍️ #{n} 请直接回复这条消息，写下进展说明。\n（也可以发送 /progress {n} 说明）",
    "prompt_plan": "✍️ #{n} 请直接回复这条消息，写下计划解决的日期和说明，例如：2026-12-31 等配件到货后更换。\n（也可以发送 /plan {n} 日期 说明）",
    "prompt_escalate": "✍️ #{n} 请直接回复这条消息，写下转交的部门和监督建议，例如：区城管局 建议一周内修复。\n（也可以发送 /escalate {n} 部门 建议）",
    "prompt_ask": "✍️ #{n} 请直接回复这条消息，写下想向反映人了解的问题。\n（也可以发送 /ask {n} 问题）",
    "prompt_done": "✍️ #{n} 请直接回复这条消息，写下办理结果，我会发到群里并请反映人评价。\n（也可以发送 /done {n} 结果）",
    "prompt_reject": "✍️ #{n} 请直接回复这条消息，写下不予受理的理由。\n（也可以发送 /reject {n} 理由）",
    "prompt_for": "{mention} ",
    "prompt_placeholder": "在这里写说明",
    "bad_date": "日期格式应为 YYYY-MM-DD，且不早于今天，例如 /plan {n} 2026-12-31 说明",
    "bad_category": "没有“{category}”这个类别。可选：{choices}",
    "unknown_member": "本网格没有名为“{name}”的委员。",
    "merge_self": "不能把 #{n} 合并到自身。",
    "merge_other_grid": "#{other} 不在同一网格，不能合并。",
    "note_required": "请写明{what}。",
    "what_reason": "不予受理的理由",
    "what_department": "转交部门和监督建议",
    "button_satisfied": "满意",
    "button_basic": "基本满意",
    "button_unsatisfied": "不满意",
    "usage": "用法：{usage}",
    "usage_take": "/take 编号",
    "usage_progress": "/progress 编号 进展说明",
    "usage_ask": "/ask 编号 想向反映人了解的问题",
    "usage_plan": "/plan 编号 YYYY-MM-DD 计划说明",
    "usage_escalate": "/escalate 编号 部门 监督建议",
    "usage_done": "/done 编号 办理结果",
    "usage_reject": "/reject 编号 理由",
    "usage_dup": "/dup 编号 保留的编号",
    "usage_assign": "/assign 编号 委员姓名",
    "usage_cat": "/cat 编号 类别",
    "usage_issue": "/issue 编号",
    "cmd_report": "反映问题（/report 问题描述）",
    "cmd_my": "我反映的诉求",
    "cmd_help": "能做什么",
    "cmd_start": "开通私聊通知",
    "cmd_take": "认领诉求：/take 编号",
    "cmd_progress": "反馈进展：/progress 编号 说明",
    "cmd_plan": "列入计划：/plan 编号 日期 说明",
    "cmd_escalate": "转交部门：/escalate 编号 部门 建议",
    "cmd_done": "办结：/done 编号 结果",
    "cmd_reject": "不予受理：/reject 编号 理由",
    "cmd_dup": "合并重复：/dup 编号 编号",
    "cmd_assign": "改派：/assign 编号 姓名",
    "cmd_cat": "改类别：/cat 编号 类别",
    "cmd_issue": "诉求时间线：/issue 编号",
    "cmd_mine": "我承办的诉求",
    "cmd_open": "未办结诉求",
    "cmd_stats": "响应率、按时率、解决率、满意率",
    "cmd_digest": "本周周报",
    "cmd_bind": "绑定网格：/bind 网格编码",
    "cmd_lang": "简体/繁体：/lang 繁体",
    "cmd_mode": "登记方式：/mode auto|confirm|explicit",
    "lang_usage": "用法：/lang 简体 或 /lang 繁体",
    "lang_ok": "好的，本群今后使用{script}。",
    "mode_usage": "用法：/mode auto（自动登记）、/mode confirm（先确认）或 /mode explicit（只登记 /report、#诉求 和 @我）",
    "mode_ok": "本群登记方式已改为：{mode}。",
    "mode_auto": "自动登记",
    "mode_confirm": "先向居民确认再登记",
    "mode_explicit": "只登记 /report、#诉求 和 @机器人",
    "settings_refused": "只有本网格的召集人可以修改设置。",
    "unbound_here": "本群尚未绑定网格，请先 /bind 网格编码。",
    "confirm_ask": "这条消息要登记为诉求吗？（{category}）",
    "button_confirm": "登记为诉求",
    "button_decline": "不用了",
    "question_lapsed": "这条消息没有登记为诉求（未确认）。如需登记，请用 /report 重新发送。",
    "confirm_only_author": "只有发消息的居民可以确认。",
    "declined": "好的，不登记。",
    "timeline_head": (
        "#{n} {label}【{category}】{grid}\n"
        "反映人：{reporter}\u3000承办人：{member}\n"
        "内容：{text}\n"
        "响应时限：{respond_by}\u3000办结时限：{solve_by}"
    ),
    # Each step names the status it reached (SPEC labels), so /done reads 已解决, not 办结.
    "timeline_line": "{at} {actor} {action}{status}{note}",
    "timeline_status": " → {label}",
    "list_head": "{title}（{count} 件）：",
    "list_line": "#{n} {label}【{category}】{text}",
    "list_empty": "{title}：暂无。",
    "title_mine": "我承办的未办结诉求",
    "title_open": "未办结诉求",
    "title_my": "我反映的诉求",
    "members_only": "此命令仅供委员和召集人使用。",
    # In a group the bot speaks only of that group's grid; anything else is asked privately.
    "ask_privately": "本群只能查看本网格的诉求，其他请私聊我查询。",
    "group_only": "请在网格群里使用此命令。",
    "summary": "#{n} {label}【{category}】承办人：{member}\n{text}",
    # Schedules: reminders, hand-over, escalation to a coordinator, closing unrated issues.
    "remind_respond_soon": (
        "⏰ 提醒：#{n}【{category}】响应时限：{deadline}，请尽快认领：/take {n}\n内容：{text}"
    ),
    "remind_respond_late": (
        "⚠️ #{n}【{category}】已超过响应时限（{deadline}），本网格没有其他委员可以转派，"
        "请尽快认领：/take {n}\n内容：{text}"
    ),
    "remind_respond_late_again": (
        "⚠️ #{n}【{category}】仍未认领，再次超过响应时限（{deadline}）。\n内容：{text}"
    ),
    "remind_solve_soon": (
        "⏰ 提醒：#{n}【{category}】办结时限：{deadline}，"
        "请解决或列入计划（/plan {n} 日期 说明）。\n内容：{text}"
    ),
    "remind_solve_late": (
        "⚠️ #{n}【{category}】已超过办结时限（{deadline}），请尽快办理，或列入计划、转交部门。"
        "\n内容：{text}"
    ),
    "remind_solve_late_again": (
        "⚠️ #{n}【{category}】超过办结时限（{deadline}）已逾一天，仍未办结。\n内容：{text}"
    ),
    "remind_fallback": (
        "{mention}：#{n}【{category}】有一条时限提醒。您还没有开通私聊通知，"
        "请点这里 {link} 后发送 /start。"
    ),
    "handover_notice": (
        "📋 转派 #{n}{urgent}：原承办人 {previous} 未在时限内响应，现转由您承办。\n"
        "网格：{grid}\n"
        "类别：{category}\n"
        "内容：{text}\n"
        "反映人：{reporter}\n"
        "请于{respond_by}响应。"
    ),
    "handover_previous": "#{n} 未在响应时限内认领，已转派给 {member}。",
    "handover_note": "{previous} → {member}（超过响应时限）",
    "raised_notice": (
        "🔺 督办：#{n} 已两次超期，请督促办理。\n"
        "网格：{grid}\n"
        "承办人：{member}\n"
        "类别：{category}\u3000状态：{label}\n"
        "内容：{text}\n"
        "响应时限：{respond_by}\u3000办结时限：{solve_by}"
    ),
    "system_actor": "系统",
    "post_auto_close": "#{n} {label}：解决后 {days} 天未收到评价，按规定自动结案。感谢您的反映！",
    # The weekly digest in each grid group.
    "digest_head": "📊 {grid} 周报（{start}—{end}）",
    "digest_counts": "本周新增 {new} 件，解决 {solved} 件；未办结 {open} 件，其中超期 {overdue} 件。",
    "digest_satisfaction": "满意率：{rate}",
    "digest_categories": "分类：{items}",
    "digest_no_new": "分类：本周没有新增诉求。",
    "digest_oldest_head": "等待最久的诉求：",
    "digest_oldest_line": "#{n}【{category}】{label}，{waited}：{text}",
    "digest_no_open": "目前没有未办结的诉求。",
    "digest_chart_caption": "{grid} 本周诉求图表",
    "chart_overview": "本周概况",
    "chart_categories": "本周新增（按类别）",
    "chart_new": "新增",
    "chart_solved": "解决",
    "chart_open": "未办结",
    "chart_overdue": "超期",
    "chart_nothing": "本周没有新增诉求",
    "chart_title": "{grid}　{start}至{end}诉求情况",
    "chart_trend": "近 {weeks} 周新增与解决（按周起始日）",
    "chart_count": "件数",
    "rate": "{percent}%（{part}/{whole}）",
    "rate_none": "暂无",
    # Coordinators' figures: the private digest and /stats.
    "oversight_head": "📈 召集人周报（{start}—{end}）：{grids} 个网格",
    "stats_head": "📈 统计（{start}—{end}）：{grids} 个网格",
    "questions_line": (
        "🤔 问过居民是否登记 {asked} 次：登记为诉求 {confirmed}，不用了 {declined}，"
        "未答撤下 {expired}，待答 {open}"
    ),
    "figures_line": "{name}：响应率 {respond}，按时响应率 {respond_on_time}，解决率 {solve}，按时办结率 {solve_on_time}，满意率 {satisfy}，超期 {overdue} 件",
    "figures_member_line": "\u3000{name}：响应率 {respond}，按时响应率 {respond_on_time}，解决率 {solve}，按时办结率 {solve_on_time}，满意率 {satisfy}，超期 {overdue} 件",
    "figures_self_rated": "另有 {count} 件由委员或召集人自评，不计入满意率。",
    "figures_idle": "另有 {count} 个网格期内没有诉求。",
    "figures_total": "合计",
    "figures_hidden": "另有 {count} 个网格未逐一列出（上面按超期件数列出前 {shown} 个）。",
    "overdue_head": "超期诉求（{count} 件）：",
    "overdue_line": "#{n} {grid}【{category}】{label}，承办人：{member}，时限：{due}",
    "overdue_more": "……另有 {count} 件",
    "overdue_none": "目前没有超期诉求。",
    "unreachable_head": "无法私聊的委员（请提醒其私聊机器人发送 /start）：",
    "unreachable_line": "{name}（{grids}）",
    "unreachable_none": "所有委员都已开通私聊通知。",
    "no_grids": "您没有负责的网格。",
    # The quarterly spot check (季度抽查).
    "quarter": "{year}年第{quarter}季度",
    "spotcheck_caption": (
        "📑 {quarter}抽查清单：{members} 名委员，抽查 {count} 件。"
        "请逐件复核，并在“抽查意见”一栏填写意见。"
    ),
    "spotcheck_empty": "📑 {quarter}抽查：所负责网格本季度没有办结的诉求，无需抽查。",
    # Consultation (微协商): supporters, duplicates, topics, meetings.
    "action_support": "附议",
    "action_unsupport": "取消附议",
    "action_consult": "微协商",
    "support_count": "👍 附议 {count} 人",
    "duplicate_linked": "这个问题已登记为 #{n}【{category}】，已记为您附议，进展会在群里同步。",
    "duplicate_own": "您反映的问题已登记为 #{n}，正在办理中，请留意群里的进展。",
    "supporter_update": "📣 您附议的诉求 #{n} 有新进展：\n{post}",
    "topic_offer_issues": (
        "💡 协商建议：{community}近 {days} 天有 {count} 件“{category}”诉求：\n{lines}\n"
        "可以召开一次微协商。把下面这行发给我即可发布预告（时间、地点可改）：\n<code>{command}</code>"
    ),
    "topic_offer_supporters": (
        "💡 协商建议：#{n}（{grid}，{category}）已有 {count} 位居民附议：{text}\n"
        "可以召开一次微协商。把下面这行发给我即可发布预告（时间、地点可改）：\n<code>{command}</code>"
    ),
    "topic_line": "#{n} {grid}：{text}",
    "topic_title": "{where}{category}问题协商",
    "topic_place": "{where}议事厅",
    "consult_usage": (
        "用法：/consult new 标题 | YYYY-MM-DD HH:MM | 地点 | #编号…；"
        "/consult online 标题 | 选项A | 选项B [| 截止 YYYY-MM-DD HH:MM]；"
        "/consult minutes 编号 纪要；/consult list"
    ),
    "consult_bad_time": "时间应为 YYYY-MM-DD HH:MM 且晚于现在，例如 /consult new 标题 | 2026-12-03 15:00 | 地点",
    "consult_no_grid": "请在网格群里发起，或在私聊中写上关联的诉求编号。",
    "consult_unbound": "网格 {code} 尚未绑定群，无法发布预告。",
    "consult_refused": "只有本网格的委员和召集人可以组织微协商。",
    "consult_bad_issue": "不能关联 #{n}：没有这条诉求，或您无权处理。",
    "consult_created": "已发布微协商预告（编号 {id}），关联 {count} 件诉求。会后请发送：/consult minutes {id} 纪要",
    "consult_announce": (
        "📢 微协商预告（编号 {id}）\n议题：{title}\n时间：{time}\n地点：{place}\n{issues}"
        "欢迎居民参加，请在下面的投票里告诉我们是否参加。"
    ),
    "consult_issues": "关联诉求：{numbers}\n",
    "consult_poll": "是否参加微协商“{title}”（{time}）？",
    "poll_yes": "参加",
    "poll_no": "不参加",
    "poll_maybe": "待定",
    "consult_reminder": (
        "⏰ 微协商提醒（编号 {id}）：{time} 在 {place} 召开“{title}”。\n"
        "已报名参加 {yes} 人，待定 {maybe} 人，欢迎准时参加。"
    ),
    "consult_minutes_post": "📝 微协商纪要（编号 {id}）：{title}\n{minutes}\n{issues}",
    "consult_link_note": "列入微协商（编号 {id}）“{title}”，{time}，{place}",
    "consult_outcome_note": "微协商（编号 {id}）“{title}”：{outcome}",
    "post_consult": "📝 #{n} 协商结果：{note}\n当前状态：{label}，承办人将据此继续办理。",
    "consult_conclusion": "（结论：{value}）",
    "consult_minuted": "已记录纪要（编号 {id}）。{updated}",
    "consult_updated": "已更新 {numbers}。",
    "consult_skipped": "未能更新 {numbers}（已办结或无权处理）。",
    "consult_minutes_usage": "用法：/consult minutes 编号 纪要（可写一行“结论：已解决”）",
    "consult_already_minuted": "编号 {id} 的微协商已记录过纪要。",
    "consult_not_found": "没有编号为 {id} 的微协商。",
    "consult_list_head": "微协商（{count} 场）：",
    "consult_list_line": "编号 {id}｜{time}｜{title}｜{place}｜{state}｜参加 {yes}、待定 {maybe}、不参加 {no}{issues}",
    "consult_list_empty": "暂无微协商。",
    "consult_state_scheduled": "待召开",
    "consult_state_minuted": "已记录纪要",
    "consult_digest_head": "微协商：本期召开 {held} 场，待召开 {upcoming} 场。",
    "consult_digest_line": "编号 {id} {grid}{time}“{title}”{state}，报名参加 {yes} 人",
    "cmd_consult": "微协商：/consult new|online|minutes|list",
    # Online consultation (线上协商): a poll in the group, replies as comments, a result.
    "consult_online_usage": (
        "用法：/consult online 标题 | 选项A | 选项B [| 更多选项] [| 截止 YYYY-MM-DD HH:MM]"
        " [| #编号…]（2 至 10 个选项，默认 48 小时后截止）"
    ),
    "consult_online_bad_end": "截止时间应为 YYYY-MM-DD HH:MM 且晚于现在，例如 | 截止 2026-12-05 18:00",
    "consult_online_created": (
        "已发布线上协商（编号 {id}），{end} 截止，关联 {count} 件诉求。截止后我会在群里公布结果。"
    ),
    "consult_online_announce": (
        "🗳 线上协商（编号 {id}）\n议题：{title}\n选项：{options}\n截止：{end}\n{issues}"
        "请在下面的投票中选择；也可以直接回复本消息或投票发表意见，截止后汇总公布。"
    ),
    "consult_online_poll": "{title}：{end} 截止",
    "consult_online_link_note": "列入线上协商（编号 {id}）“{title}”，{end} 截止",
    "consult_online_result": (
        "📊 线上协商结果（编号 {id}）：{title}\n共 {total} 人投票：\n{votes}\n{comments}{issues}"
    ),
    "consult_online_vote_line": "{option}：{count} 票",
    "consult_online_comments_head": "居民意见 {count} 条，摘录：\n{lines}\n",
    "consult_online_comment_line": "· {text}",
    "consult_online_minutes": "线上投票 {total} 人：{votes}；居民意见 {comments} 条。",
    "consult_online_vote_item": "{option} {count} 票",
    "consult_online_list_line": "编号 {id}｜线上｜{end} 截止｜{title}｜{state}｜{votes}{issues}",
    "consult_state_open": "投票中",
    "consult_state_closed": "已结束",
    "consult_online_digest_head": "线上协商：{count} 场，投票中 {open} 场，已结束 {closed} 场。",
    "consult_online_digest_line": "编号 {id} {grid}“{title}”{state}：{votes}",
    # The ledger (台账) workbook's headings (bot/reports/ledger.py).
    "ledger_title": "{unit}群众诉求台账",
    "ledger_grid_title": "{unit}群众诉求台账（{grid}）",
    "ledger_timeline_title": "{unit}群众诉求办理过程",
    "ledger_period": "{start}至{end}",
    "ledger_period_all": "全部",
    "ledger_heading_line": "统计时段：{period}　共 {count} 件",
    "ledger_heading_made": "　制表日期：{made}",
    # 社情民意 drafts (/sqmy and `gridbot report sqmy`).
    "sqmy_masthead": "社情民意信息",
    "sqmy_issue_no": "第{n}期",
    "sqmy_issue_auto": "{year}年第{month}期",
    "sqmy_meta": "报送单位：{unit}　　报送人：{author}　　{date}",
    "sqmy_note": "（草稿：根据{start}至{end}{scope}群众诉求整理，共 {count} 个议题，请核实情况、补充建议后报送。）",
    "sqmy_scope": "{scope}",
    "sqmy_topic_title": "关于{community}{subject}问题的社情民意",
    "sqmy_topic_short": "{community}{subject}问题",
    "sqmy_facts_head": "一、基本情况",
    "sqmy_facts": "{start}至{end}，{place}居民共反映{subject}问题 {count} 件{support}；{when}。",
    "sqmy_place_grids": "{community}（{grids}）",
    "sqmy_support": "，另有 {supporters} 人次附议",
    "sqmy_when_same": "均反映于{day}",
    "sqmy_when_span": "最早一件反映于{first}，最近一件反映于{last}",
    "sqmy_words_head": "二、群众反映",
    "sqmy_quote": "“{text}”",
    "sqmy_done_head": "三、办理情况",
    "sqmy_progress_head": "（一）办理进度",
    "sqmy_statuses": "目前{items}。",
    "sqmy_status_item": "{label} {count} 件",
    "sqmy_steps_head": "（二）办理经过",
    "sqmy_step_day": "{month}月{day}日",
    "sqmy_step": "{at}，{action}：{note}",
    "sqmy_step_self": "{at}，{note}",
    "sqmy_no_steps": "暂无办理记录。",
    "sqmy_advice_head": "四、建议",
    "sqmy_appendix_head": "附件",
    "sqmy_appendix_title": "诉求编号对照表",
    "sqmy_table_header": "序号|议题|网格编码|诉求编号|件数",
    "sqmy_none": (
        "{start}至{end}没有反复出现的议题（同一社区同一问题 {issues} 件以上，"
        "或一件诉求附议 {supporters} 人以上），未生成文稿。"
    ),
    "sqmy_caption": "📄 社情民意草稿：{start}至{end}，{count} 个议题。请在“建议”部分填写后报送。",
    "sqmy_usage": "用法：/sqmy [起始日期 截止日期] [期号=… 单位=… 报送人=…]（日期 YYYY-MM-DD，默认最近 30 天）",
    "sqmy_refused": "社情民意草稿仅供召集人在私聊中生成。",
    "sqmy_digest": "社情民意：本期有 {count} 个反复出现的议题，可私聊发送 /sqmy 生成草稿。",
    "cmd_sqmy": "社情民意草稿：/sqmy [起始日期 截止日期] [期号=… 单位=… 报送人=…]",
    # Time limits as people act on them (bot/timefmt.py `due`): rounded down, never up.
    "due_weekdays": "周一 周二 周三 周四 周五 周六 周日",
    "due_today": "今天",
    "due_tomorrow": "明天",
    "due_date": "{month}月{day}日（{weekday}）",
    "due_date_year": "{year}年{month}月{day}日（{weekday}）",
    "due_at": "{day} {time} 前",
    "due_date_at": "{day}{time} 前",
    "due_close": "{day}下班前",
    "due_morning": "{day}上午",
    "due_day_end": "{day}24:00 前",
    "when_today": "今天 {time}",
    "when_yesterday": "昨天 {time}",
    "when_date": "{month}月{day}日 {time}",
    "when_date_year": "{year}年{month}月{day}日 {time}",
    "waited_today": "今天反映",
    "waited_yesterday": "昨天反映",
    "waited_days": "已等待 {days} 天",
    # /ask: the member asks the reporter something; the clock waits for the answer.
    "cmd_ask": "询问居民（暂停计时）：/ask 编号 问题",
    "post_ask": "❓ #{n} {label}：承办人{member}想向{reporter}了解：{question}\n请直接回复这条消息。等您答复期间，办理时限暂停计算（最长 {days} 天）。",
    "ask_sent": "已在群里询问 #{n} 的反映人，等待答复期间暂停计时（最长 {days} 天）。",
    "answer_ack": "#{n} 您的答复已转告承办人，办理时限恢复计算。",
    "answer_private": "💬 #{n} 反映人 {reporter} 答复：{text}\n已恢复计时，办结时限：{solve_by}",
    "ask_timeout_private": "⏱ #{n} 反映人 {days} 天未答复，已恢复计时，办结时限：{solve_by}",
    "ask_timeout_note": "{days} 天未答复",
    "action_ask": "询问居民",
    "action_answer": "居民答复",
    "action_ask_timeout": "恢复计时",
    "timeline_pauses_head": "计时暂停：",
    "timeline_pause_line": "⏸ {reason}：{start} 至 {end}",
    "timeline_pause_open": "⏸ {reason}：{start} 起，至今",
    "pause_ask": "等待居民答复",
    "pause_planned": "列入计划",
    "pause_escalated": "转交部门",
    # 即将超期: each working morning, a member's issues due within one working day.
    "duesoon_head": "⏳ 即将超期：您有 {count} 件诉求在下一个工作日下班前到期：",
    "duesoon_line": "#{n}【{category}】{label}，{what}：{due}",
    "duesoon_late_line": "#{n}【{category}】{label}，已超过{what}（{due}）",
    "duesoon_respond": "响应时限",
    "duesoon_solve": "办结时限",
    "cmd_web": "打开网格工作台（登录链接）",
    # /web and the menu button (handlers/web_link.py).
    "web_link_sent": "🔗 网格工作台登录链接，10 分钟内有效，只能使用一次：\n{url}",
    "web_link_unset": "网格工作台尚未开通（未设置 GRIDBOT_WEB_URL）。",
    "web_link_private": "请在与我的私聊中发送 /web 获取工作台登录链接。",
    "web_menu_button": "工作台",
    # The web app's pages (handlers/web/): labels only, values are filled in by the page.
    "web_title": "网格工作台",
    "web_loading": "正在加载…",
    "web_refused": "无法确认您的身份。请从机器人的菜单按钮打开工作台，或在私聊中发送 /web 获取登录链接。",
    "web_login_failed": "登录链接无效、已过期或已用过。请在与机器人的私聊中重新发送 /web。",
    "web_error": "加载失败，请稍后再试。",
    "web_tab_overview": "总览",
    "web_tab_issues": "诉求",
    "web_tab_downloads": "下载",
    "web_role_coordinator": "召集人",
    "web_role_member": "委员",
    "web_role_resident": "居民",
    "web_grids": "{count} 个网格",
    "web_days_7": "近 7 天",
    "web_days_28": "近 4 周",
    "web_days_91": "近 3 个月",
    "web_respond": "响应率",
    "web_solve": "解决率",
    "web_satisfy": "满意率",
    "web_total": "登记",
    "web_overdue": "超期",
    "web_none": "暂无",
    "web_areas": "街道 · 社区 · 网格",
    "web_area": "区域",
    "web_trend": "近 8 周趋势",
    "web_overdue_head": "超期诉求（{count} 件）",
    "web_overdue_all": "查看全部超期诉求",
    "web_unreachable_head": "无法私信的委员（尚未启动机器人）",
    "web_unbound_head": "尚未加入（绑定群聊）的网格",
    "web_meetings_head": "即将举行的协商",
    "web_online": "线上协商",
    "web_nothing": "无",
    "web_filter_grid": "网格",
    "web_filter_category": "类别",
    "web_filter_status": "状态",
    "web_filter_period": "时间",
    "web_filter_overdue": "只看超期",
    "web_filter_urgent": "只看紧急",
    "web_filter_search": "搜索内容",
    "web_filter_all": "全部",
    "web_status_open": "未办结",
    "web_status_closed": "已结束",
    "web_apply": "筛选",
    "web_reset": "清除",
    "web_count": "共 {count} 件",
    "web_prev": "上一页",
    "web_next": "下一页",
    "web_no_issues": "没有符合条件的诉求。",
    "web_urgent": "紧急",
    "web_timeline": "办理过程",
    "web_back": "返回列表",
    "web_assignee": "承办人",
    "web_created": "反映时间",
    "web_solve_by": "办结时限",
    "web_department": "转交部门",
    "web_plan": "计划日期",
    "web_rating": "评价",
    "web_supporters": "附议",
    "web_downloads_intro": "按“诉求”页当前的筛选条件下载：",
    "web_download_ledger": "台账（XLSX）",
    "web_download_sqmy": "社情民意草稿（Word）",
    "web_street_none": "未分街道",
    "web_community_none": "未分社区",
    "web_date": "{m}月{d}日",
    # Invitations (roster rows without a Telegram id).
    "start_invited": (
        "欢迎您，{name}！您已作为委员加入网格 {grids}。新诉求和提醒会私聊发给您，"
        "发送 /help 查看委员命令。"
    ),
    "start_invited_all": "欢迎您，{name}！您已作为召集人加入，负责全部网格。发送 /help 查看命令。",
    "invite_used": "这个邀请链接已经使用过了，每个链接只能用一次。如有疑问请联系召集人。",
    "invite_expired": "这个邀请链接已过期。请联系召集人重新获取（召集人可私聊发送 /invite 姓名）。",
    "invite_revoked": "这个邀请链接已作废。请联系召集人获取新的链接。",
    "invite_unknown": "没有找到这个邀请，请检查链接是否完整，或联系召集人重新获取。",
    "invite_member": "您已经是委员了，无需再次加入。发送 /help 查看委员命令。",
    "invite_usage": "用法：/invite 姓名（召集人在私聊中使用），例如：/invite 李明",
    "invite_refused": "只有召集人可以在私聊中生成邀请链接。",
    "invite_unknown_name": "花名册里没有尚未加入的委员「{name}」。",
    "invite_link": (
        "{name} 的邀请链接（{expires} 前有效，只能使用一次）：\n{link}\n"
        "请转发给本人，本人点开后按“开始”即可加入；新链接生成后，旧链接即作废。"
    ),
    "invite_no_username": "机器人用户名未知，暂时无法生成链接，请稍后再试。",
    "not_joined_head": "尚未加入的委员（可私聊发送 /invite 姓名 获取邀请链接）：",
    "not_joined_line": "{name}（{grids}）",
    "all_grids": "全部网格",
    "cmd_invite": "邀请委员加入：/invite 姓名",
    # The printed invitation sheet, one page per member.
    "sheet_title": "“有事好商量”网格委员邀请",
    "sheet_member": "{name}　网格：{grids}　角色：{role}",
    "sheet_steps": (
        "1. 在手机上安装并登录 Telegram。\n"
        "2. 用 Telegram 扫描上方二维码（或打开下面的链接）。\n"
        "3. 在打开的对话里点“开始”（START），看到“欢迎您”即加入成功。\n"
        "此邀请仅限本人使用，只能使用一次，{expires} 前有效。请勿转给他人。"
    ),
    "role_member": "委员",
    "role_coordinator": "召集人",
    # Members who left the roster: their open issues go to someone else.
    "leave_note": "{previous} 已离任，转交 {member}",
    "leave_notice": (
        "📋 转交 #{n}{urgent}：原承办人 {previous} 已离任，现转由您承办。\n"
        "网格：{grid}\n"
        "类别：{category}\n"
        "内容：{text}\n"
        "反映人：{reporter}"
    ),
    "leave_coordinator": "委员 {previous} 已离任：#{n}（{grid}）已转交 {member}。",
    # Residents writing to the bot privately.
    "private_report_none": (
        "我还不知道您属于哪个网格。请先在您所在的网格群里发言（或在群里发送 /report 问题描述），"
        "之后就可以在这里私聊反映问题了。"
    ),
    "private_report_choose": "您在几个网格群里出现过，请选择这件事要登记到哪个网格：",
    "private_report_stale": "这个选择已失效，请重新发送 /report 问题描述。",
    "private_text": (
        "您好！要反映问题，请发送 /report 问题描述，例如：/report 3号楼门口路灯不亮。\n"
        "/my 查看我反映的诉求　/help 查看帮助"
    ),
}

ZH_HANT: dict[str, str] = {
    "ack": "✅ 已受理 #{n}【{category}】\n承辦人：{member}\n將於{respond_by}響應。",
    "ack_urgent": "🚨 緊急 · 已受理 #{n}【{category}】\n承辦人：{member}\n將於{respond_by}響應，已同時告知召集人。",
    "ack_advice": "\n⚠️ 安全提示：{advice}",
    "ack_many": "✅ 已受理 {count} 件訴求：",
    "ack_line": "{who}「{words}」#{n}【{category}】承辦人：{member}，{respond_by}響應",
    "ack_line_urgent": "🚨 {who}「{words}」#{n}【{category}】緊急，承辦人：{member}，{respond_by}響應，已告知召集人",
    "nobody": "待分派",
    "report_usage": "用法：/report 問題描述，例如：/report 3號樓門口路燈不亮",
    "hint_unbound": "本群尚未綁定網格，暫不登記訴求。請召集人在群裡發送 /bind 網格編碼（例如 /bind A01）。",
    "greeting": "大家好，我是“有事好商量”網格助手 🤝\n居民在群裡直接說出遇到的問題，我會登記編號、轉給負責的委員，並在群裡同步進展。",
    "greeting_unbound": "請召集人發送 /bind 網格編碼，把本群綁定到網格。",
    "edited": "#{n} 的內容已按您的修改更新。",
    "bind_usage": "用法：/bind 網格編碼，例如：/bind A01",
    "bind_ok": "已將本群綁定到網格 {code}（{name}）。居民現在可以在群裡反映問題了。",
    "bind_unknown": "沒有編碼為 {code} 的網格，請檢查花名冊。",
    "bind_refused": "只有召集人可以綁定網格。",
    "bind_private": "請在要綁定的網格群裡發送 /bind 網格編碼。",
    "notice": "📋 新訴求 #{n}{urgent}\n網格：{grid}\n類別：{category}\n內容：{text}\n反映人：{reporter}\n請於{respond_by}響應。",
    "notice_urgent_mark": "（緊急）",
    "notice_fallback": "{mention}：新訴求 #{n}【{category}】請您處理。您還沒有開通私聊通知，請點這裡 {link} 後發送 /start。",
    "coordinator_urgent": "🚨 緊急訴求 #{n}\n網格：{grid}\n類別：{category}\n內容：{text}\n反映人：{reporter}\n承辦人：{member}",
    "coordinator_unassigned": "⚠️ 訴求 #{n}（{grid}，{category}）暫無可分派的委員，請安排：/assign {n} 姓名",
    "button_take": "✋ 認領",
    "button_view": "📄 詳情",
    "start_member": "您好，{name}！私聊通知已開通，新訴求和提醒會發到這裡。",
    "start_resident": "您好！在網格群裡直接說出遇到的問題即可登記，也可以發送 /report 問題描述。",
    "action_created": "登記",
    "action_take": "認領",
    "action_progress": "進展",
    "action_plan": "列入計劃",
    "action_escalate": "轉交",
    "action_done": "解決",
    "action_reject": "不予受理",
    "action_merge": "合併",
    "action_assign": "改派",
    "action_recategorise": "改類別",
    "action_satisfied": "評價",
    "action_unsatisfied": "評價",
    "action_self_rated": "自評（不計入滿意率）",
    "action_auto_close": "自動辦結",
    "action_hand_over": "轉派",
    "action_leave": "離任轉交",
    "action_edit": "修改內容",
    "action_attach": "補充附件",
    "help_resident": "在群裡直接說出遇到的問題，我會登記編號、轉給負責的委員，並在群裡告訴您每一步進展。\n/my 查看我反映的訴求",
    "help_member": "委員：新訴求會私聊發給您，點通知下面的按鈕即可認領、反饋進展、辦結；需要寫說明時我會請您直接回復。\n/mine 我承辦的\u3000/open 未辦結\u3000/issue 編號 查看詳情",
    "help_coordinator": "召集人：在所負責的網格中可以做委員能做的一切，並可綁定群、調整設置、查看統計和生成社情民意草稿。\n/stats 統計\u3000/digest 週報\u3000/bind 網格編碼 綁定本群",
    "help_more": "📖 更多說明",
    "help_more_resident": "📖 居民使用說明\n1. 反映問題：在群裡直接說，例如“3號樓門口路燈不亮”；也可以發送 /report 問題描述。帶照片、位置都可以。\n2. 登記後我會回覆編號（如 #12）、類別、承辦委員和響應時間。\n3. 每一步進展都會回覆在您的原消息下面。\n4. 解決後請點按鈕評價：滿意、基本滿意或不滿意。不滿意的會重新辦理。\n5. 別人反映過的同樣問題，回覆那條消息說“+1”或“我也是”即可附議。\n/my 查看我反映的訴求",
    "help_more_member": "📖 委員使用說明（N 為訴求編號）\n按鈕：新訴求通知和 /issue N 下面都有按鈕——認領、進展、列入計劃、轉交、詢問居民、已解決、不予受理。需要寫說明的，我會發一條提示，直接回復它即可。\n也可以打字（群裡、私聊都行；“/progress1 …”“認領 3”“辦結 3 已修好”這樣的寫法也認）：\n/take N 認領\n/progress N 說明\u3000反饋進展\n/ask N 問題\u3000詢問反映人（等待答覆期間暫停計時）\n/plan N YYYY-MM-DD 說明\u3000列入計劃\n/escalate N 部門 監督建議\u3000轉交部門\n/done N 結果\u3000已解決，請居民評價\n/reject N 理由\u3000不予受理\n/dup N M\u3000合併重複\u3000/assign N 姓名\u3000改派\u3000/cat N 類別\u3000改類別\n/mine 我承辦的\u3000/open 未辦結\u3000/stats 統計\u3000/digest 週報\n/consult new 標題 | 時間 | 地點 | #N… 發起微協商；/consult online 標題 | 選項A | 選項B 線上協商；/consult minutes 編號 紀要；/consult list",
    "help_more_coordinator": "📖 召集人使用說明\n1. 綁定群：把機器人拉進網格群，設為管理員或關閉隱私模式，在群裡發送 /bind 網格編碼。\n2. 設置本群：/lang 簡體|繁體\u3000/mode auto|confirm|explicit（自動登記、先確認、只登記明確的反映）。\n3. 督辦：緊急訴求和無人承辦的訴求會立即私聊告訴您；兩次超期的訴求會交給您督辦。\n4. 統計：/stats 看響應率、解決率、滿意率和無法私聊的委員；每週四收到跨網格週報。\n5. 委員：私聊 /invite 姓名 獲取邀請鏈接；花名冊變動請聯繫管理員導入。\n6. 私聊 /sqmy 生成社情民意草稿（Word）；私聊 /web 打開網格工作臺。\n在所負責的所有網格中，委員能用的按鈕和命令您都能用。",
    "refused": "抱歉，您無權處理此訴求。",
    "not_found": "沒有找到訴求 #{n}。",
    "wrong_status": "#{n} 當前狀態為“{label}”，不能執行此操作。",
    "stale_button": "此按鈕已失效。",
    "post_take": "#{n} {label}：由{member}負責辦理，正在瞭解情況，有進展會在這裡告訴您。",
    "post_progress": "#{n} {label}：{note}\n後續進展會繼續在這裡告訴您。",
    "post_plan": "#{n} {label}：預計{date}前解決，屆時在這裡告訴您結果。{note}",
    "post_escalate": "#{n} {label}：此事需由{department}辦理，監督建議：{note}\n委員將跟蹤督促，有結果會在這裡告訴您。",
    "post_done": "#{n} {label}：{note}\n請{reporter}點下面的按鈕評價辦理結果；{days} 天內沒有評價的，將自動辦結。",
    "post_reject": "#{n} {label}：{note}\n感謝您的反映，如有疑問可隨時聯繫網格委員。",
    "post_merge": "#{n} {label}：與 #{other} 是同一問題，後續進展請關注 #{other}。",
    "post_assign": "#{n} {label}：改由{member}負責辦理，會盡快與您聯繫。",
    "post_recategorise": "#{n} {label}：類別調整為“{category}”，辦理照常進行。",
    "post_satisfied": "#{n} {label}：{reporter}評價“{rating}”。感謝您的反映，有新問題隨時在群裡說。",
    "post_unsatisfied": "#{n} {label}：反映人評價“不滿意”，承辦人會繼續跟進。\n請問哪裡不滿意？點下面的原因，或直接回復這條消息說明。",
    "button_reason_n": "沒有修好",
    "button_reason_s": "處理太慢",
    "button_reason_a": "態度不好",
    "button_reason_o": "其他原因",
    "reason_other": "請直接回復那條消息，寫下不滿意的原因。",
    "reason_thanks": "已記下原因，承辦人會繼續跟進。",
    "reason_notice": "💬 #{n} 反映人說明了不滿意的原因：{reason}\n內容：{text}",
    "action_reason": "不滿意原因",
    "feedback_only_reporter": "只有反映人可以評價，謝謝您的關注。",
    "feedback_thanks": "謝謝您的評價！",
    "reopened_notice": "⚠️ #{n} 反映人評價“不滿意”，已重新進入辦理中，請繼續跟進。\n內容：{text}",
    "assigned_notice": "📋 #{n} 已改由您承辦（{category}）。\n內容：{text}\n反映人：{reporter}",
    "acted_take": "好的，#{n} 由您辦理，群裡已告訴反映人。有進展時點“進展”，辦好後點“已解決”。",
    "acted_progress": "#{n} 的進展已發到群裡。",
    "acted_plan": "#{n} 的計劃日期已告訴反映人，計劃期間不計超期。",
    "acted_escalate": "#{n} 的轉交情況已告訴反映人，請繼續跟蹤部門辦理。",
    "acted_done": "#{n} 的辦理結果已發到群裡，並請反映人評價。",
    "acted_reject": "#{n} 不予受理的理由已告訴反映人。",
    "acted_merge": "#{n} 已合併，反映人會在群裡看到。",
    "acted_assign": "#{n} 已改派，新承辦人會收到私聊通知。",
    "acted_recategorise": "#{n} 的類別已調整。",
    "button_act_progress": "🔧 進展",
    "button_act_plan": "📅 列入計劃",
    "button_act_escalate": "📤 轉交",
    "button_act_ask": "❓ 問居民",
    "button_act_done": "✅ 已解決",
    "button_act_reject": "🚫 不予受理",
    "prompt_progress": "✍️ #{n} 請直接回復這條消息，寫下進展說明。\n（也可以發送 /progress {n} 說明）",
    "prompt_plan": "✍️ #{n} 請直接回復這條消息，寫下計劃解決的日期和說明，例如：2026-12-31 等配件到貨後更換。\n（也可以發送 /plan {n} 日期 說明）",
    "prompt_escalate": "✍️ #{n} 請直接回復這條消息，寫下轉交的部門和監督建議，例如：區城管局 建議一週內修復。\n（也可以發送 /escalate {n} 部門 建議）",
    "prompt_ask": "✍️ #{n} 請直接回復這條消息，寫下想向反映人瞭解的問題。\n（也可以發送 /ask {n} 問題）",
    "prompt_done": "✍️ #{n} 請直接回復這條消息，寫下辦理結果，我會發到群裡並請反映人評價。\n（也可以發送 /done {n} 結果）",
    "prompt_reject": "✍️ #{n} 請直接回復這條消息，寫下不予受理的理由。\n（也可以發送 /reject {n} 理由）",
    "prompt_for": "{mention} ",
    "prompt_placeholder": "在這裡寫說明",
    "bad_date": "日期格式應為 YYYY-MM-DD，且不早於今天，例如 /plan {n} 2026-12-31 說明",
    "bad_category": "沒有“{category}”這個類別。可選：{choices}",
    "unknown_member": "本網格沒有名為“{name}”的委員。",
    "merge_self": "不能把 #{n} 合併到自身。",
    "merge_other_grid": "#{other} 不在同一網格，不能合併。",
    "note_required": "請寫明{what}。",
    "what_reason": "不予受理的理由",
    "what_department": "轉交部門和監督建議",
    "button_satisfied": "滿意",
    "button_basic": "基本滿意",
    "button_unsatisfied": "不滿意",
    "usage": "用法：{usage}",
    "usage_take": "/take 編號",
    "usage_progress": "/progress 編號 進展說明",
    "usage_ask": "/ask 編號 想向反映人瞭解的問題",
    "usage_plan": "/plan 編號 YYYY-MM-DD 計劃說明",
    "usage_escalate": "/escalate 編號 部門 監督建議",
    "usage_done": "/done 編號 辦理結果",
    "usage_reject": "/reject 編號 理由",
    "usage_dup": "/dup 編號 保留的編號",
    "usage_assign": "/assign 編號 委員姓名",
    "usage_cat": "/cat 編號 類別",
    "usage_issue": "/issue 編號",
    "cmd_report": "反映問題（/report 問題描述）",
    "cmd_my": "我反映的訴求",
    "cmd_help": "能做什麼",
    "cmd_start": "開通私聊通知",
    "cmd_take": "認領訴求：/take 編號",
    "cmd_progress": "反饋進展：/progress 編號 說明",
    "cmd_plan": "列入計劃：/plan 編號 日期 說明",
    "cmd_escalate": "轉交部門：/escalate 編號 部門 建議",
    "cmd_done": "辦結：/done 編號 結果",
    "cmd_reject": "不予受理：/reject 編號 理由",
    "cmd_dup": "合併重複：/dup 編號 編號",
    "cmd_assign": "改派：/assign 編號 姓名",
    "cmd_cat": "改類別：/cat 編號 類別",
    "cmd_issue": "訴求時間線：/issue 編號",
    "cmd_mine": "我承辦的訴求",
    "cmd_open": "未辦結訴求",
    "cmd_stats": "響應率、按時率、解決率、滿意率",
    "cmd_digest": "本週週報",
    "cmd_bind": "綁定網格：/bind 網格編碼",
    "cmd_lang": "簡體/繁體：/lang 繁體",
    "cmd_mode": "登記方式：/mode auto|confirm|explicit",
    "lang_usage": "用法：/lang 簡體 或 /lang 繁體",
    "lang_ok": "好的，本群今後使用{script}。",
    "mode_usage": "用法：/mode auto（自動登記）、/mode confirm（先確認）或 /mode explicit（只登記 /report、#訴求 和 @我）",
    "mode_ok": "本群登記方式已改為：{mode}。",
    "mode_auto": "自動登記",
    "mode_confirm": "先向居民確認再登記",
    "mode_explicit": "只登記 /report、#訴求 和 @機器人",
    "settings_refused": "只有本網格的召集人可以修改設置。",
    "unbound_here": "本群尚未綁定網格，請先 /bind 網格編碼。",
    "confirm_ask": "這條消息要登記為訴求嗎？（{category}）",
    "button_confirm": "登記為訴求",
    "button_decline": "不用了",
    "question_lapsed": "這條消息沒有登記為訴求（未確認）。如需登記，請用 /report 重新發送。",
    "confirm_only_author": "只有發消息的居民可以確認。",
    "declined": "好的，不登記。",
    "timeline_head": "#{n} {label}【{category}】{grid}\n反映人：{reporter}\u3000承辦人：{member}\n內容：{text}\n響應時限：{respond_by}\u3000辦結時限：{solve_by}",
    "timeline_line": "{at} {actor} {action}{status}{note}",
    "timeline_status": " → {label}",
    "list_head": "{title}（{count} 件）：",
    "list_line": "#{n} {label}【{category}】{text}",
    "list_empty": "{title}：暫無。",
    "title_mine": "我承辦的未辦結訴求",
    "title_open": "未辦結訴求",
    "title_my": "我反映的訴求",
    "members_only": "此命令僅供委員和召集人使用。",
    "ask_privately": "本群只能查看本網格的訴求，其他請私聊我查詢。",
    "group_only": "請在網格群裡使用此命令。",
    "summary": "#{n} {label}【{category}】承辦人：{member}\n{text}",
    "remind_respond_soon": "⏰ 提醒：#{n}【{category}】響應時限：{deadline}，請儘快認領：/take {n}\n內容：{text}",
    "remind_respond_late": "⚠️ #{n}【{category}】已超過響應時限（{deadline}），本網格沒有其他委員可以轉派，請儘快認領：/take {n}\n內容：{text}",
    "remind_respond_late_again": "⚠️ #{n}【{category}】仍未認領，再次超過響應時限（{deadline}）。\n內容：{text}",
    "remind_solve_soon": "⏰ 提醒：#{n}【{category}】辦結時限：{deadline}，請解決或列入計劃（/plan {n} 日期 說明）。\n內容：{text}",
    "remind_solve_late": "⚠️ #{n}【{category}】已超過辦結時限（{deadline}），請儘快辦理，或列入計劃、轉交部門。\n內容：{text}",
    "remind_solve_late_again": "⚠️ #{n}【{category}】超過辦結時限（{deadline}）已逾一天，仍未辦結。\n內容：{text}",
    "remind_fallback": "{mention}：#{n}【{category}】有一條時限提醒。您還沒有開通私聊通知，請點這裡 {link} 後發送 /start。",
    "handover_notice": "📋 轉派 #{n}{urgent}：原承辦人 {previous} 未在時限內響應，現轉由您承辦。\n網格：{grid}\n類別：{category}\n內容：{text}\n反映人：{reporter}\n請於{respond_by}響應。",
    "handover_previous": "#{n} 未在響應時限內認領，已轉派給 {member}。",
    "handover_note": "{previous} → {member}（超過響應時限）",
    "raised_notice": "🔺 督辦：#{n} 已兩次超期，請督促辦理。\n網格：{grid}\n承辦人：{member}\n類別：{category}\u3000狀態：{label}\n內容：{text}\n響應時限：{respond_by}\u3000辦結時限：{solve_by}",
    "system_actor": "系統",
    "post_auto_close": "#{n} {label}：解決後 {days} 天未收到評價，按規定自動結案。感謝您的反映！",
    "digest_head": "📊 {grid} 週報（{start}—{end}）",
    "digest_counts": "本週新增 {new} 件，解決 {solved} 件；未辦結 {open} 件，其中超期 {overdue} 件。",
    "digest_satisfaction": "滿意率：{rate}",
    "digest_categories": "分類：{items}",
    "digest_no_new": "分類：本週沒有新增訴求。",
    "digest_oldest_head": "等待最久的訴求：",
    "digest_oldest_line": "#{n}【{category}】{label}，{waited}：{text}",
    "digest_no_open": "目前沒有未辦結的訴求。",
    "digest_chart_caption": "{grid} 本週訴求圖表",
    "chart_overview": "本週概況",
    "chart_categories": "本週新增（按類別）",
    "chart_new": "新增",
    "chart_solved": "解決",
    "chart_open": "未辦結",
    "chart_overdue": "超期",
    "chart_nothing": "本週沒有新增訴求",
    "chart_title": "{grid}\u3000{start}至{end}訴求情況",
    "chart_trend": "近 {weeks} 周新增與解決（按周起始日）",
    "chart_count": "件數",
    "rate": "{percent}%（{part}/{whole}）",
    "rate_none": "暫無",
    "oversight_head": "📈 召集人週報（{start}—{end}）：{grids} 個網格",
    "stats_head": "📈 統計（{start}—{end}）：{grids} 個網格",
    "questions_line": "🤔 問過居民是否登記 {asked} 次：登記為訴求 {confirmed}，不用了 {declined}，未答撤下 {expired}，待答 {open}",
    "figures_line": "{name}：響應率 {respond}，按時響應率 {respond_on_time}，解決率 {solve}，按時辦結率 {solve_on_time}，滿意率 {satisfy}，超期 {overdue} 件",
    "figures_member_line": "\u3000{name}：響應率 {respond}，按時響應率 {respond_on_time}，解決率 {solve}，按時辦結率 {solve_on_time}，滿意率 {satisfy}，超期 {overdue} 件",
    "figures_self_rated": "另有 {count} 件由委員或召集人自評，不計入滿意率。",
    "figures_idle": "另有 {count} 個網格期內沒有訴求。",
    "figures_total": "合計",
    "figures_hidden": "另有 {count} 個網格未逐一列出（上面按超期件數列出前 {shown} 個）。",
    "overdue_head": "超期訴求（{count} 件）：",
    "overdue_line": "#{n} {grid}【{category}】{label}，承辦人：{member}，時限：{due}",
    "overdue_more": "……另有 {count} 件",
    "overdue_none": "目前沒有超期訴求。",
    "unreachable_head": "無法私聊的委員（請提醒其私聊機器人發送 /start）：",
    "unreachable_line": "{name}（{grids}）",
    "unreachable_none": "所有委員都已開通私聊通知。",
    "no_grids": "您沒有負責的網格。",
    "quarter": "{year}年第{quarter}季度",
    "spotcheck_caption": "📑 {quarter}抽查清單：{members} 名委員，抽查 {count} 件。請逐件複核，並在“抽查意見”一欄填寫意見。",
    "spotcheck_empty": "📑 {quarter}抽查：所負責網格本季度沒有辦結的訴求，無需抽查。",
    "action_support": "附議",
    "action_unsupport": "取消附議",
    "action_consult": "微協商",
    "support_count": "👍 附議 {count} 人",
    "duplicate_linked": "這個問題已登記為 #{n}【{category}】，已記為您附議，進展會在群裡同步。",
    "duplicate_own": "您反映的問題已登記為 #{n}，正在辦理中，請留意群裡的進展。",
    "supporter_update": "📣 您附議的訴求 #{n} 有新進展：\n{post}",
    "topic_offer_issues": "💡 協商建議：{community}近 {days} 天有 {count} 件“{category}”訴求：\n{lines}\n可以召開一次微協商。把下面這行發給我即可發佈預告（時間、地點可改）：\n<code>{command}</code>",
    "topic_offer_supporters": "💡 協商建議：#{n}（{grid}，{category}）已有 {count} 位居民附議：{text}\n可以召開一次微協商。把下面這行發給我即可發佈預告（時間、地點可改）：\n<code>{command}</code>",
    "topic_line": "#{n} {grid}：{text}",
    "topic_title": "{where}{category}問題協商",
    "topic_place": "{where}議事廳",
    "consult_usage": "用法：/consult new 標題 | YYYY-MM-DD HH:MM | 地點 | #編號…；/consult online 標題 | 選項A | 選項B [| 截止 YYYY-MM-DD HH:MM]；/consult minutes 編號 紀要；/consult list",
    "consult_bad_time": "時間應為 YYYY-MM-DD HH:MM 且晚於現在，例如 /consult new 標題 | 2026-12-03 15:00 | 地點",
    "consult_no_grid": "請在網格群裡發起，或在私聊中寫上關聯的訴求編號。",
    "consult_unbound": "網格 {code} 尚未綁定群，無法發佈預告。",
    "consult_refused": "只有本網格的委員和召集人可以組織微協商。",
    "consult_bad_issue": "不能關聯 #{n}：沒有這條訴求，或您無權處理。",
    "consult_created": "已發佈微協商預告（編號 {id}），關聯 {count} 件訴求。會後請發送：/consult minutes {id} 紀要",
    "consult_announce": "📢 微協商預告（編號 {id}）\n議題：{title}\n時間：{time}\n地點：{place}\n{issues}歡迎居民參加，請在下面的投票裡告訴我們是否參加。",
    "consult_issues": "關聯訴求：{numbers}\n",
    "consult_poll": "是否參加微協商“{title}”（{time}）？",
    "poll_yes": "參加",
    "poll_no": "不參加",
    "poll_maybe": "待定",
    "consult_reminder": "⏰ 微協商提醒（編號 {id}）：{time} 在 {place} 召開“{title}”。\n已報名參加 {yes} 人，待定 {maybe} 人，歡迎準時參加。",
    "consult_minutes_post": "📝 微協商紀要（編號 {id}）：{title}\n{minutes}\n{issues}",
    "consult_link_note": "列入微協商（編號 {id}）“{title}”，{time}，{place}",
    "consult_outcome_note": "微協商（編號 {id}）“{title}”：{outcome}",
    "post_consult": "📝 #{n} 協商結果：{note}\n當前狀態：{label}，承辦人將據此繼續辦理。",
    "consult_conclusion": "（結論：{value}）",
    "consult_minuted": "已記錄紀要（編號 {id}）。{updated}",
    "consult_updated": "已更新 {numbers}。",
    "consult_skipped": "未能更新 {numbers}（已辦結或無權處理）。",
    "consult_minutes_usage": "用法：/consult minutes 編號 紀要（可寫一行“結論：已解決”）",
    "consult_already_minuted": "編號 {id} 的微協商已記錄過紀要。",
    "consult_not_found": "沒有編號為 {id} 的微協商。",
    "consult_list_head": "微協商（{count} 場）：",
    "consult_list_line": "編號 {id}｜{time}｜{title}｜{place}｜{state}｜參加 {yes}、待定 {maybe}、不參加 {no}{issues}",
    "consult_list_empty": "暫無微協商。",
    "consult_state_scheduled": "待召開",
    "consult_state_minuted": "已記錄紀要",
    "consult_digest_head": "微協商：本期召開 {held} 場，待召開 {upcoming} 場。",
    "consult_digest_line": "編號 {id} {grid}{time}“{title}”{state}，報名參加 {yes} 人",
    "cmd_consult": "微協商：/consult new|online|minutes|list",
    "consult_online_usage": "用法：/consult online 標題 | 選項A | 選項B [| 更多選項] [| 截止 YYYY-MM-DD HH:MM] [| #編號…]（2 至 10 個選項，默認 48 小時後截止）",
    "consult_online_bad_end": "截止時間應為 YYYY-MM-DD HH:MM 且晚於現在，例如 | 截止 2026-12-05 18:00",
    "consult_online_created": "已發佈線上協商（編號 {id}），{end} 截止，關聯 {count} 件訴求。截止後我會在群裡公佈結果。",
    "consult_online_announce": "🗳 線上協商（編號 {id}）\n議題：{title}\n選項：{options}\n截止：{end}\n{issues}請在下面的投票中選擇；也可以直接回複本消息或投票發表意見，截止後彙總公佈。",
    "consult_online_poll": "{title}：{end} 截止",
    "consult_online_link_note": "列入線上協商（編號 {id}）“{title}”，{end} 截止",
    "consult_online_result": "📊 線上協商結果（編號 {id}）：{title}\n共 {total} 人投票：\n{votes}\n{comments}{issues}",
    "consult_online_vote_line": "{option}：{count} 票",
    "consult_online_comments_head": "居民意見 {count} 條，摘錄：\n{lines}\n",
    "consult_online_comment_line": "· {text}",
    "consult_online_minutes": "線上投票 {total} 人：{votes}；居民意見 {comments} 條。",
    "consult_online_vote_item": "{option} {count} 票",
    "consult_online_list_line": "編號 {id}｜線上｜{end} 截止｜{title}｜{state}｜{votes}{issues}",
    "consult_state_open": "投票中",
    "consult_state_closed": "已結束",
    "consult_online_digest_head": "線上協商：{count} 場，投票中 {open} 場，已結束 {closed} 場。",
    "consult_online_digest_line": "編號 {id} {grid}“{title}”{state}：{votes}",
    "ledger_title": "{unit}群眾訴求臺賬",
    "ledger_grid_title": "{unit}群眾訴求臺賬（{grid}）",
    "ledger_timeline_title": "{unit}群眾訴求辦理過程",
    "ledger_period": "{start}至{end}",
    "ledger_period_all": "全部",
    "ledger_heading_line": "統計時段：{period}\u3000共 {count} 件",
    "ledger_heading_made": "\u3000製表日期：{made}",
    "sqmy_masthead": "社情民意信息",
    "sqmy_issue_no": "第{n}期",
    "sqmy_issue_auto": "{year}年第{month}期",
    "sqmy_meta": "報送單位：{unit}\u3000\u3000報送人：{author}\u3000\u3000{date}",
    "sqmy_note": "（草稿：根據{start}至{end}{scope}群眾訴求整理，共 {count} 個議題，請核實情況、補充建議後報送。）",
    "sqmy_scope": "{scope}",
    "sqmy_topic_title": "關於{community}{subject}問題的社情民意",
    "sqmy_topic_short": "{community}{subject}問題",
    "sqmy_facts_head": "一、基本情況",
    "sqmy_facts": "{start}至{end}，{place}居民共反映{subject}問題 {count} 件{support}；{when}。",
    "sqmy_place_grids": "{community}（{grids}）",
    "sqmy_support": "，另有 {supporters} 人次附議",
    "sqmy_when_same": "均反映於{day}",
    "sqmy_when_span": "最早一件反映於{first}，最近一件反映於{last}",
    "sqmy_words_head": "二、群眾反映",
    "sqmy_quote": "“{text}”",
    "sqmy_done_head": "三、辦理情況",
    "sqmy_progress_head": "（一）辦理進度",
    "sqmy_statuses": "目前{items}。",
    "sqmy_status_item": "{label} {count} 件",
    "sqmy_steps_head": "（二）辦理經過",
    "sqmy_step_day": "{month}月{day}日",
    "sqmy_step": "{at}，{action}：{note}",
    "sqmy_step_self": "{at}，{note}",
    "sqmy_no_steps": "暫無辦理記錄。",
    "sqmy_advice_head": "四、建議",
    "sqmy_appendix_head": "附件",
    "sqmy_appendix_title": "訴求編號對照表",
    "sqmy_table_header": "序號|議題|網格編碼|訴求編號|件數",
    "sqmy_none": "{start}至{end}沒有反覆出現的議題（同一社區同一問題 {issues} 件以上，或一件訴求附議 {supporters} 人以上），未生成文稿。",
    "sqmy_caption": "📄 社情民意草稿：{start}至{end}，{count} 個議題。請在“建議”部分填寫後報送。",
    "sqmy_usage": "用法：/sqmy [起始日期 截止日期] [期號=… 單位=… 報送人=…]（日期 YYYY-MM-DD，默認最近 30 天）",
    "sqmy_refused": "社情民意草稿僅供召集人在私聊中生成。",
    "sqmy_digest": "社情民意：本期有 {count} 個反覆出現的議題，可私聊發送 /sqmy 生成草稿。",
    "cmd_sqmy": "社情民意草稿：/sqmy [起始日期 截止日期] [期號=… 單位=… 報送人=…]",
    "due_weekdays": "週一 週二 週三 週四 週五 週六 週日",
    "due_today": "今天",
    "due_tomorrow": "明天",
    "due_date": "{month}月{day}日（{weekday}）",
    "due_date_year": "{year}年{month}月{day}日（{weekday}）",
    "due_at": "{day} {time} 前",
    "due_date_at": "{day}{time} 前",
    "due_close": "{day}下班前",
    "due_morning": "{day}上午",
    "due_day_end": "{day}24:00 前",
    "when_today": "今天 {time}",
    "when_yesterday": "昨天 {time}",
    "when_date": "{month}月{day}日 {time}",
    "when_date_year": "{year}年{month}月{day}日 {time}",
    "waited_today": "今天反映",
    "waited_yesterday": "昨天反映",
    "waited_days": "已等待 {days} 天",
    "cmd_ask": "詢問居民（暫停計時）：/ask 編號 問題",
    "post_ask": "❓ #{n} {label}：承辦人{member}想向{reporter}瞭解：{question}\n請直接回復這條消息。等您答覆期間，辦理時限暫停計算（最長 {days} 天）。",
    "ask_sent": "已在群裡詢問 #{n} 的反映人，等待答覆期間暫停計時（最長 {days} 天）。",
    "answer_ack": "#{n} 您的答覆已轉告承辦人，辦理時限恢復計算。",
    "answer_private": "💬 #{n} 反映人 {reporter} 答覆：{text}\n已恢復計時，辦結時限：{solve_by}",
    "ask_timeout_private": "⏱ #{n} 反映人 {days} 天未答覆，已恢復計時，辦結時限：{solve_by}",
    "ask_timeout_note": "{days} 天未答覆",
    "action_ask": "詢問居民",
    "action_answer": "居民答覆",
    "action_ask_timeout": "恢復計時",
    "timeline_pauses_head": "計時暫停：",
    "timeline_pause_line": "⏸ {reason}：{start} 至 {end}",
    "timeline_pause_open": "⏸ {reason}：{start} 起，至今",
    "pause_ask": "等待居民答覆",
    "pause_planned": "列入計劃",
    "pause_escalated": "轉交部門",
    "duesoon_head": "⏳ 即將超期：您有 {count} 件訴求在下一個工作日下班前到期：",
    "duesoon_line": "#{n}【{category}】{label}，{what}：{due}",
    "duesoon_late_line": "#{n}【{category}】{label}，已超過{what}（{due}）",
    "duesoon_respond": "響應時限",
    "duesoon_solve": "辦結時限",
    "cmd_web": "打開網格工作臺（登錄鏈接）",
    "web_link_sent": "🔗 網格工作臺登錄鏈接，10 分鐘內有效，只能使用一次：\n{url}",
    "web_link_unset": "網格工作臺尚未開通（未設置 GRIDBOT_WEB_URL）。",
    "web_link_private": "請在與我的私聊中發送 /web 獲取工作臺登錄鏈接。",
    "web_menu_button": "工作臺",
    "web_title": "網格工作臺",
    "web_loading": "正在加載…",
    "web_refused": "無法確認您的身份。請從機器人的菜單按鈕打開工作臺，或在私聊中發送 /web 獲取登錄鏈接。",
    "web_login_failed": "登錄鏈接無效、已過期或已用過。請在與機器人的私聊中重新發送 /web。",
    "web_error": "加載失敗，請稍後再試。",
    "web_tab_overview": "總覽",
    "web_tab_issues": "訴求",
    "web_tab_downloads": "下載",
    "web_role_coordinator": "召集人",
    "web_role_member": "委員",
    "web_role_resident": "居民",
    "web_grids": "{count} 個網格",
    "web_days_7": "近 7 天",
    "web_days_28": "近 4 周",
    "web_days_91": "近 3 個月",
    "web_respond": "響應率",
    "web_solve": "解決率",
    "web_satisfy": "滿意率",
    "web_total": "登記",
    "web_overdue": "超期",
    "web_none": "暫無",
    "web_areas": "街道 · 社區 · 網格",
    "web_area": "區域",
    "web_trend": "近 8 周趨勢",
    "web_overdue_head": "超期訴求（{count} 件）",
    "web_overdue_all": "查看全部超期訴求",
    "web_unreachable_head": "無法私信的委員（尚未啟動機器人）",
    "web_unbound_head": "尚未加入（綁定群聊）的網格",
    "web_meetings_head": "即將舉行的協商",
    "web_online": "線上協商",
    "web_nothing": "無",
    "web_filter_grid": "網格",
    "web_filter_category": "類別",
    "web_filter_status": "狀態",
    "web_filter_period": "時間",
    "web_filter_overdue": "只看超期",
    "web_filter_urgent": "只看緊急",
    "web_filter_search": "搜索內容",
    "web_filter_all": "全部",
    "web_status_open": "未辦結",
    "web_status_closed": "已結束",
    "web_apply": "篩選",
    "web_reset": "清除",
    "web_count": "共 {count} 件",
    "web_prev": "上一頁",
    "web_next": "下一頁",
    "web_no_issues": "沒有符合條件的訴求。",
    "web_urgent": "緊急",
    "web_timeline": "辦理過程",
    "web_back": "返回列表",
    "web_assignee": "承辦人",
    "web_created": "反映時間",
    "web_solve_by": "辦結時限",
    "web_department": "轉交部門",
    "web_plan": "計劃日期",
    "web_rating": "評價",
    "web_supporters": "附議",
    "web_downloads_intro": "按“訴求”頁當前的篩選條件下載：",
    "web_download_ledger": "臺賬（XLSX）",
    "web_download_sqmy": "社情民意草稿（Word）",
    "web_street_none": "未分街道",
    "web_community_none": "未分社區",
    "web_date": "{m}月{d}日",
    "start_invited": "歡迎您，{name}！您已作為委員加入網格 {grids}。新訴求和提醒會私聊發給您，發送 /help 查看委員命令。",
    "start_invited_all": "歡迎您，{name}！您已作為召集人加入，負責全部網格。發送 /help 查看命令。",
    "invite_used": "這個邀請鏈接已經使用過了，每個鏈接只能用一次。如有疑問請聯繫召集人。",
    "invite_expired": "這個邀請鏈接已過期。請聯繫召集人重新獲取（召集人可私聊發送 /invite 姓名）。",
    "invite_revoked": "這個邀請鏈接已作廢。請聯繫召集人獲取新的鏈接。",
    "invite_unknown": "沒有找到這個邀請，請檢查鏈接是否完整，或聯繫召集人重新獲取。",
    "invite_member": "您已經是委員了，無需再次加入。發送 /help 查看委員命令。",
    "invite_usage": "用法：/invite 姓名（召集人在私聊中使用），例如：/invite 李明",
    "invite_refused": "只有召集人可以在私聊中生成邀請鏈接。",
    "invite_unknown_name": "花名冊裡沒有尚未加入的委員「{name}」。",
    "invite_link": "{name} 的邀請鏈接（{expires} 前有效，只能使用一次）：\n{link}\n請轉發給本人，本人點開後按“開始”即可加入；新鏈接生成後，舊鏈接即作廢。",
    "invite_no_username": "機器人用戶名未知，暫時無法生成鏈接，請稍後再試。",
    "not_joined_head": "尚未加入的委員（可私聊發送 /invite 姓名 獲取邀請鏈接）：",
    "not_joined_line": "{name}（{grids}）",
    "all_grids": "全部網格",
    "cmd_invite": "邀請委員加入：/invite 姓名",
    "sheet_title": "“有事好商量”網格委員邀請",
    "sheet_member": "{name}\u3000網格：{grids}\u3000角色：{role}",
    "sheet_steps": "1. 在手機上安裝並登錄 Telegram。\n2. 用 Telegram 掃描上方二維碼（或打開下面的鏈接）。\n3. 在打開的對話裡點“開始”（START），看到“歡迎您”即加入成功。\n此邀請僅限本人使用，只能使用一次，{expires} 前有效。請勿轉給他人。",
    "role_member": "委員",
    "role_coordinator": "召集人",
    "leave_note": "{previous} 已離任，轉交 {member}",
    "leave_notice": "📋 轉交 #{n}{urgent}：原承辦人 {previous} 已離任，現轉由您承辦。\n網格：{grid}\n類別：{category}\n內容：{text}\n反映人：{reporter}",
    "leave_coordinator": "委員 {previous} 已離任：#{n}（{grid}）已轉交 {member}。",
    "private_report_none": "我還不知道您屬於哪個網格。請先在您所在的網格群裡發言（或在群裡發送 /report 問題描述），之後就可以在這裡私聊反映問題了。",
    "private_report_choose": "您在幾個網格群裡出現過，請選擇這件事要登記到哪個網格：",
    "private_report_stale": "這個選擇已失效，請重新發送 /report 問題描述。",
    "private_text": "您好！要反映問題，請發送 /report 問題描述，例如：/report 3號樓門口路燈不亮。\n/my 查看我反映的訴求\u3000/help 查看幫助",
}

VARIANTS: dict[str, dict[str, str]] = {SIMPLIFIED: ZH_HANS, TRADITIONAL: ZH_HANT}


class Texts:
    """Looks up and fills templates; converts dynamic names for Traditional grids."""

    def __init__(self) -> None:
        self._converter: Any = None

    def get(self, language: str, key: str, **values: object) -> str:
        template = VARIANTS.get(language, ZH_HANS)[key]
        filled = {name: self._value(language, value) for name, value in values.items()}
        return template.format(**filled)

    def name(self, language: str, value: str) -> str:
        """A category or status name in the grid's script."""
        if language != TRADITIONAL:
            return value
        if self._converter is None:
            import opencc  # loaded only when a Traditional grid first needs it

            self._converter = opencc.OpenCC("s2tw")
        return str(self._converter.convert(value))

    def status(self, language: str, status: str) -> str:
        return self.name(language, label(status))

    def usage(self, language: str, command: str) -> str:
        """The usage line of a member command (`take`, `progress` …, `issue`)."""
        return self.get(language, "usage", usage=self.get(language, f"usage_{command}"))

    def _value(self, language: str, value: object) -> str:
        if isinstance(value, Html):
            return str(value)
        # Clipped before escaping, so the cut never falls inside an entity like &amp;.
        return html.escape(clip(str(value), VALUE_LIMIT), quote=False)


def plain(markup: str) -> str:
    """What a filled-in template shows, as plain text (button alerts have no parse mode)."""
    return html.unescape(re.sub(r"<[^<>]*>", "", markup))


def traditional(simplified: dict[str, str]) -> dict[str, str]:
    """The Traditional variant as OpenCC renders it (Taiwan standard characters)."""
    import opencc

    converter = opencc.OpenCC("s2tw")
    return {key: str(converter.convert(value)) for key, value in simplified.items()}


def _rewrite_traditional() -> None:
    """`python -m bot.texts`: after editing ZH_HANS, rewrite ZH_HANT in this file."""
    import re
    from pathlib import Path

    path = Path(__file__)
    source = path.read_text(encoding="utf-8")
    body = "".join(f"    {k!r}: {v!r},\n" for k, v in traditional(ZH_HANS).items())
    source = re.sub(
        r"ZH_HANT: dict\[str, str\] = \{\n.*?\n\}\n",
        lambda _: "ZH_HANT: dict[str, str] = {\n" + body + "}\n",
        source,
        count=1,
        flags=re.S,
    )
    path.write_text(source, encoding="utf-8")
    print("ZH_HANT rewritten; run `ruff format bot/texts.py`")


if __name__ == "__main__":
    _rewrite_traditional()
