"""Run one operation in a child process and kill it (SIGKILL) part-way, as a power cut or OOM kill would.

Used by tests/test_faults.py: `python -m tests.crash_child <scenario> <config as JSON>`. Not a test module.
"""

from __future__ import annotations

import io
import json
import os
import signal
import sys

import storage
from app import create_app

from .conftest import PDF, Client


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def after_calls(count: int, real):
    """A stand-in that behaves like `real` until its count-th call, which kills the process."""
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(1)
        if len(calls) == count:
            die()
        return real(*args, **kwargs)

    return wrapper


def submission(app) -> None:
    """Killed while storing the second file of a submission: the first is already on disk."""
    storage.os.fsync = after_calls(2, os.fsync)
    client = app.test_client()
    client.login("learner@example.com")
    url = "/learn/BSBCUS403/tasks/project-charter-review"
    data = {"action": "submit", "declaration": "yes", "declaration_name": "Pat Learner"}
    data |= {
        f"text-{item}": "An answer."
        for item in (
            "a1-charter-monitoring",
            "a2-feedback-analysis",
            "a3-improvement-report",
            "a4-revised-procedure",
            "a5-communication-plan",
            "a6-coordinate-and-monitor",
        )
    }
    data["file-a1-charter-monitoring"] = [(io.BytesIO(PDF), "one.pdf")]
    data["file-a2-feedback-analysis"] = [(io.BytesIO(PDF), "two.pdf")]
    client.submit(url, data, content_type="multipart/form-data")


def certificates(app) -> None:
    """Killed while rendering the second certificate of a batch."""
    from records import certificates as issuing

    issuing.statement_pdf = after_calls(2, issuing.statement_pdf)
    with app.app_context():
        from accounts.models import User
        from database import db
        from records import jobs

        jobs.start("certificates", {}, db.session.query(User).filter_by(email="admin@example.com").one())


def export(app) -> None:
    """Killed after the first chunk of a CSV export has been written."""
    from records import exports

    real = exports.csv_chunks

    def chunks(filters):
        for n, chunk in enumerate(real(filters)):
            if n == 1:
                die()
            yield chunk

    exports.BATCH = 3
    exports.csv_chunks = chunks
    app.test_cli_runner().invoke(args=["export", "csv", "--out", app.config["EXPORT_TO"]])


if __name__ == "__main__":
    scenario, config = sys.argv[1], json.loads(sys.argv[2])
    app = create_app(config | {"JOB_RUNNER": "inline"})
    app.test_client_class = Client
    {"submission": submission, "certificates": certificates, "export": export}[scenario](app)
    sys.exit("the operation finished: it should have been killed part-way")
