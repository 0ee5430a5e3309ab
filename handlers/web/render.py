"""The core's records as the page's JSON: in the viewer's script, texts masked for them."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.deadlines import overdue
from bot.reports.dashboard import Area, Overview, Rates
from bot.reports.issue_search import Timeline
from bot.reports.viewers import Viewer
from bot.services import Services
from bot.texts import VARIANTS
from storage.report_records import LedgerRow
from storage.statuses import Status

EXCERPT = 120


def iso(moment: datetime | None, zone: ZoneInfo) -> str | None:
    return moment.astimezone(zone).isoformat(timespec="seconds") if moment else None


def labels(language: str) -> dict[str, str]:
    """Every label of the pages (texts keys web_*), without the prefix."""
    return {key[4:]: text for key, text in VARIANTS[language].items() if key.startswith("web_")}


def rates(value: Rates) -> dict[str, Any]:
    return {
        "respond": value.respond_rate, "solve": value.solve_rate,
        "satisfy": value.satisfy_rate, "total": value.total, "due": value.due,
        "responded": value.responded, "solved": value.solved, "rated": value.rated,
        "satisfied": value.satisfied, "overdue": value.overdue,
    }  # fmt: skip


def area(value: Area, services: Services, language: str) -> dict[str, Any]:
    """A street, community or grid: only what its row shows (a county has 1,505 grids)."""
    texts, figures = services.texts, value.rates
    name = value.name or texts.get(language, f"web_{value.level}_none")
    return {
        "level": value.level, "name": texts.name(language, name), "link": value.link,
        "rates": {"respond": figures.respond_rate, "solve": figures.solve_rate,
                  "satisfy": figures.satisfy_rate, "total": figures.total,
                  "overdue": figures.overdue},
        "children": [area(c, services, language) for c in value.children],
    }  # fmt: skip


def item(services: Services, viewer: Viewer, row: LedgerRow, now: datetime) -> dict[str, Any]:
    """One row of an issue list."""
    issue, zone, texts = row.issue, services.settings.timezone, services.texts
    text = viewer.shown(issue, issue.text)
    return {
        "n": issue.id, "grid": row.grid_code,
        "category": texts.name(viewer.language, issue.category), "status": issue.status,
        "status_label": texts.status(viewer.language, issue.status), "urgent": issue.urgent,
        "overdue": overdue(issue, now, zone),
        "text": text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…",
        "created_at": iso(issue.created_at, zone), "assignee": row.assignee_name,
        "supporters": row.supporters,
    }  # fmt: skip


def overview(services: Services, viewer: Viewer, found: Overview) -> dict[str, Any]:
    zone, lang, now = services.settings.timezone, viewer.language, found.end
    return {
        "start": iso(found.start, zone), "end": iso(found.end, zone), "days": found.days,
        "rates": rates(found.rates),
        "streets": [area(street, services, lang) for street in found.streets],
        "trend": [{"start": iso(w.start, zone), **rates(w.rates)} for w in found.trend],
        "overdue": {"total": found.overdue_total,
                    "rows": [item(services, viewer, row, now) for row in found.overdue]},
        "unreachable": [{"name": m.name, "grids": list(m.grid_codes)} for m in found.unreachable],
        "unbound": [{"code": g.code, "name": g.name} for g in found.unbound],
        "meetings": [
            {"title": m.title, "starts_at": iso(m.starts_at, zone), "place": m.place,
             "online": m.kind == "online",
             "grid": found.grids[m.grid_id].code if m.grid_id in found.grids else ""}
            for m in found.meetings
        ],
    }  # fmt: skip


def timeline(services: Services, viewer: Viewer, found: Timeline) -> dict[str, Any]:
    issue, zone, texts = found.issue, services.settings.timezone, services.texts
    lang = viewer.language
    row = LedgerRow(issue, found.grid_code, found.assignee, 0)
    shown = item(services, viewer, row, services.clock())

    def status(value: str | None) -> str:
        return texts.status(lang, value) if value else ""

    def action(name: str) -> str:
        key = f"action_{name}"
        return texts.get(lang, key) if key in VARIANTS[lang] else name

    return {
        **shown, "text": viewer.shown(issue, issue.text), "grid_name": found.grid_name,
        "respond_by": iso(issue.respond_by, zone), "solve_by": iso(issue.solve_by, zone),
        "plan_date": issue.plan_date, "department": issue.department, "rating": issue.rating,
        "events": [
            {"at": iso(e.at, zone), "actor": e.actor_name, "action": action(e.action),
             "from": status(e.from_status), "to": status(e.to_status),
             "note": viewer.shown(issue, e.note)}
            for e in found.events
        ],
    }  # fmt: skip


def me(services: Services, viewer: Viewer) -> dict[str, Any]:
    """Who the viewer is, what they may filter by, and the page's labels."""
    texts, lang = services.texts, viewer.language
    return {
        "telegram_id": viewer.telegram_id, "name": viewer.name, "role": viewer.role,
        "role_label": texts.get(lang, f"web_role_{viewer.role}"), "language": lang,
        "all_grids": viewer.everything,
        "grids": [{"code": g.code, "name": texts.name(lang, g.name), "community": g.community,
                   "street": g.street} for g in viewer.grids],
        "categories": [{"name": c.name, "label": texts.name(lang, c.name)}
                       for c in services.taxonomy.categories],
        "statuses": [{"key": s.value, "label": texts.status(lang, s)} for s in Status],
        "labels": labels(lang),
    }  # fmt: skip
