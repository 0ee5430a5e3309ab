"""Runs of scheduled jobs: each (job, period) is claimed once, with the messages it owes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select

from storage.database import Database
from storage.outbox import enqueue
from storage.records import OutgoingMessage
from storage.schema import job_runs
from storage.upsert import insert_ignore

# The row that remembers when schedules were first installed: runs due before that moment
# were never missed, so a fresh installation does not "catch up" last week's digest.
INSTALLED = ("schedules", "installed")


class JobStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def claim(
        self, job: str, period: str, at: datetime, messages: Iterable[OutgoingMessage] = ()
    ) -> bool:
        """Record the run of `job` for `period` with the messages it owes; False if it ran.

        The claim and the messages share one transaction: another process inserting the same
        key waits for this one and then finds it taken, so nothing is sent twice or lost."""
        async with self.db.transaction() as conn:
            row = {"job": job, "period": period, "ran_at": at}
            if not await insert_ignore(conn, job_runs, row):
                return False
            await enqueue(conn, messages)
        return True

    async def ran(self, job: str, period: str) -> bool:
        async with self.db.read() as conn:
            found = await conn.execute(
                select(job_runs.c.id).where(job_runs.c.job == job, job_runs.c.period == period)
            )
            return found.first() is not None

    async def installed_at(self, now: datetime) -> datetime:
        """When schedules first ran on this database (now, the first time it is asked)."""
        await self.claim(*INSTALLED, now)
        async with self.db.read() as conn:
            return (
                await conn.execute(
                    select(job_runs.c.ran_at).where(
                        job_runs.c.job == INSTALLED[0], job_runs.c.period == INSTALLED[1]
                    )
                )
            ).scalar_one()

    async def runs(self, job: str) -> list[tuple[str, datetime]]:
        """Every recorded (period, ran_at) of a job, oldest first."""
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(job_runs.c.period, job_runs.c.ran_at)
                .where(job_runs.c.job == job)
                .order_by(job_runs.c.id)
            )
            return [(period, ran_at) for period, ran_at in rows]
