"""SPEC §7 Statuses: one state machine decides every change, and who may make it."""

from __future__ import annotations

import pytest

from bot.lifecycle import LABELS, Role, TransitionError, label, next_status
from storage.statuses import Status

MEMBER = frozenset({Role.MEMBER})
REPORTER = frozenset({Role.REPORTER})


def test_labels_are_exactly_the_spec_ones() -> None:
    assert [LABELS[s] for s in Status] == [
        "已受理",
        "已认领",
        "办理中",
        "已列入计划",
        "已转交",
        "已解决",
        "已办结",
        "不予受理",
        "已合并",
    ]
    assert label("taken") == "已认领"


def test_member_takes_new_issue() -> None:
    assert next_status("take", Status.NEW, MEMBER) == Status.TAKEN


def test_resident_refused_when_closing_issue() -> None:
    with pytest.raises(TransitionError, match="not_allowed"):
        next_status("done", Status.TAKEN, REPORTER)


def test_taken_issue_cannot_be_taken_again() -> None:
    with pytest.raises(TransitionError, match="wrong_status"):
        next_status("take", Status.TAKEN, MEMBER)


def test_only_reporter_rates_and_unsatisfied_reopens() -> None:
    assert next_status("unsatisfied", Status.RESOLVED, REPORTER) == Status.IN_PROGRESS
    assert next_status("satisfied", Status.RESOLVED, REPORTER) == Status.CLOSED
    with pytest.raises(TransitionError):
        next_status("satisfied", Status.RESOLVED, MEMBER)


def test_closed_issue_is_final() -> None:
    for action in ("progress", "done", "reject", "take"):
        with pytest.raises(TransitionError, match="wrong_status"):
            next_status(action, Status.CLOSED, MEMBER | {Role.COORDINATOR})
