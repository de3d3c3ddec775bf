"""Background jobs: bulk certificates and large exports, with progress a page can show.

Jobs run on an RQ worker when REDIS_URL is set, otherwise on a thread of the web process (nothing
extra to install), or inline when JOB_RUNNER is "inline" (tests, CLI). Each job commits its progress
as it goes and skips work already done, so running it again after a crash finishes the job.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import or_, select

from accounts.models import User
from database import db, utcnow

from .models import Job

STALE_AFTER = dt.timedelta(minutes=2)  # a running job that has not reported for this long lost its worker

HANDLERS: dict[str, Callable[[Job], None]] = {}


def handler(kind: str) -> Callable:
    def register(function: Callable[[Job], None]) -> Callable[[Job], None]:
        HANDLERS[kind] = function
        return function

    return register


def start(kind: str, params: dict, by: User | None) -> Job:
    """Record the job (committed, so a worker elsewhere can see it), then hand it to a runner."""
    job = Job(kind=kind, params=params, created_by_id=by.id if by else None)
    db.session.add(job)
    db.session.commit()
    dispatch(job.id)
    return job


def runner_kind() -> str:
    config = current_app.config
    return config.get("JOB_RUNNER") or ("rq" if config.get("REDIS_URL") else "thread")


def dispatch(job_id: int) -> None:
    kind = runner_kind()
    if kind == "inline":
        run(job_id)
    elif kind == "rq":
        _enqueue_rq(job_id)
    else:
        app = current_app._get_current_object()
        threading.Thread(target=_run_in_app, args=(app, job_id), daemon=True, name=f"job-{job_id}").start()


def _run_in_app(app: Flask, job_id: int) -> None:
    with app.app_context():
        run(job_id)


def _enqueue_rq(job_id: int) -> None:
    from redis import Redis
    from rq import Queue

    queue = Queue("platform", connection=Redis.from_url(current_app.config["REDIS_URL"]))
    queue.enqueue("records.jobs.run_from_worker", job_id, job_timeout=3600)


def run_from_worker(job_id: int) -> None:
    """The RQ entry point: a worker process builds its own app."""
    from app import create_app

    with create_app().app_context():
        try:
            run(job_id)
        finally:
            db.engine.dispose()  # a worker that runs jobs in-process must not keep one pool per job


def run(job_id: int) -> None:
    """Run a job to the end; a job that already finished is left alone, so running it twice is safe."""
    job = db.session.get(Job, job_id)
    if job is None or job.status == "done":
        return
    job.status = "running"
    db.session.commit()
    try:
        HANDLERS[job.kind](job)
        job.status = "done"
    except Exception as exc:  # the job's page shows the failure; the log has the traceback
        db.session.rollback()
        current_app.logger.exception("job %s failed", job_id)
        job = db.session.get(Job, job_id)
        job.status, job.result = "failed", f"{type(exc).__name__}: {exc}"
    job.finished_at = utcnow()
    db.session.commit()


def note(job: Job, message: str) -> None:
    job.messages = [*job.messages, message][-200:]


def unfinished() -> list[Job]:
    """Jobs never started, or started by a worker that has since gone quiet (killed, restarted)."""
    stale = utcnow() - STALE_AFTER
    return list(
        db.session.scalars(
            select(Job)
            .where(or_(Job.status == "queued", (Job.status == "running") & (Job.updated_at < stale)))
            .order_by(Job.id)
        )
    )


jobs_cli = AppGroup("jobs", help="Background jobs.")


@jobs_cli.command("resume")
def resume_command() -> None:
    """Hand unfinished jobs to a runner again: after a crash or a worker restart, they finish their work."""
    for job in unfinished():
        click.echo(f"Resuming job {job.id} ({job.kind}, {job.done}/{job.total} done)")
        dispatch(job.id)


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when no work is left (for tests and cron).")
def worker_command(burst: bool) -> None:
    """Run jobs: an RQ worker when REDIS_URL is set, otherwise a local worker reading the jobs table."""
    if runner_kind() == "rq":
        from redis import Redis
        from rq import Queue, Worker

        for job in unfinished():
            _enqueue_rq(job.id)
        # Let go of the database before waiting on jobs: on SQLite this command's open transaction
        # holds the write lock, and the worker's job, in a process of its own, would wait on it.
        db.session.close()
        connection = Redis.from_url(current_app.config["REDIS_URL"])
        Worker([Queue("platform", connection=connection)], connection=connection).work(burst=burst)
        return
    while True:
        waiting = unfinished()
        for job in waiting:
            run(job.id)
        if burst and not waiting:
            return
        time.sleep(2)
