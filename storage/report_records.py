"""What reports are counted from: the ledger's rows, a grid's week, the counts behind the
rates, an issue as a 社情民意 report sees it. Plain records."""

from __future__ import annotations

from dataclasses import dataclass

from storage.records import Grid, Issue


@dataclass(frozen=True)
class LedgerRow:
    issue: Issue
    grid_code: str
    assignee_name: str
    supporters: int
    grid_name: str = ""


@dataclass(frozen=True)
class GridWeek:
    """One grid's week in numbers, for its digest."""

    grid_id: int
    new: int = 0
    solved: int = 0
    open: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class Figures:
    """The counts behind 响应率, 解决率 and 满意率 for a grid, or a member in a grid."""

    grid_id: int
    assignee_id: int | None = None
    total: int = 0  # issues registered in the period, less rejected and merged ones
    due: int = 0  # of those, whose response time has come or that were answered
    responded: int = 0  # taken within the response limit
    solved: int = 0
    overdue: int = 0  # open and past a limit now
    rated: int = 0  # verdicts given in the period
    satisfied: int = 0  # 满意 or 基本满意
    responded_on_time: int = 0  # of `due`, taken by the respond-by
    solve_due: int = 0  # of `total`, solved or past their solve-by (waiting ones are not)
    solved_on_time: int = 0  # of `solve_due`, solved by the solve-by


@dataclass(frozen=True)
class ReportIssue:
    """An issue as a 社情民意 report sees it: with its grid and how many seconded it."""

    issue: Issue
    grid: Grid
    supporters: int
