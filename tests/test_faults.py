"""A process killed part-way through a submission, a certificate batch or an export leaves nothing
half-written that counts, and the operation can simply be run again."""

import datetime as dt
import json
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select, update

from assessments.models import Attempt, EvidenceFile
from database import db, utcnow
from housekeeping import storage_cli
from records.models import Certificate, Job
from storage import LocalStore

from .conftest import submit_task

ROOT = Path(__file__).parent.parent


def crash(app, scenario: str, **extra) -> None:
    """Run the scenario in a child process that kills itself part-way; check that it really died."""
    config = {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "UPLOAD_DIR": app.config["UPLOAD_DIR"],
        "CERTIFICATE_DIR": app.config["CERTIFICATE_DIR"],
        "REDIS_URL": None,
    } | extra
    child = subprocess.run(
        [sys.executable, "-m", "tests.crash_child", scenario, json.dumps(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]


def test_killed_mid_submission_leaves_no_attempt_and_the_sweep_clears_its_files(app, runner, cohort, learner):
    crash(app, "submission")
    with app.app_context():
        assert db.session.scalars(select(Attempt)).all() == []  # the transaction never committed
        assert db.session.scalars(select(EvidenceFile)).all() == []
    store = LocalStore(app.config["UPLOAD_DIR"])
    leftovers = list(store.root.glob("??/*"))
    assert leftovers and any(p.suffix == ".part" for p in leftovers)  # the file it was writing, unfinished
    result = runner.invoke(args=["storage", "sweep", "--older-than", "0"])
    assert result.exit_code == 0 and list(store.root.glob("??/*")) == []

    attempt_id = submit_task(app, learner, "BSBCUS403", "project-charter-review")  # and it can be run again
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "submitted"


def test_killed_mid_batch_keeps_finished_certificates_and_the_job_resumes(app, runner, demo):
    crash(app, "certificates")
    with app.app_context():
        issued = db.session.scalars(select(Certificate)).all()
        assert len(issued) == 1 and LocalStore(app.config["CERTIFICATE_DIR"]).exists(issued[0].stored_name)
        job = db.session.scalar(select(Job))
        # Lucy issued; Noah cut off. Ben, whose USI is not verified, is not in the batch at all.
        assert job.status == "running" and (job.done, job.total) == (1, 2)
        db.session.execute(
            update(Job).values(updated_at=utcnow() - dt.timedelta(minutes=10))
        )  # it went quiet
        db.session.commit()
    app.config["JOB_RUNNER"] = None  # no Redis: the local worker takes the job up again
    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        learners = [c.learner_id for c in db.session.scalars(select(Certificate))]
        assert sorted(learners) == sorted({demo["lucy"], demo["noah"]})  # each once: nothing issued twice
        assert db.session.scalar(select(Job.status)) == "done"
    swept = runner.invoke(storage_cli, ["sweep", "--older-than", "0"])
    assert "0 file(s) removed" in swept.output.split("\n")[-2]  # every stored PDF belongs to the register


def test_killed_mid_export_never_leaves_a_partial_file_under_the_real_name(app, runner, demo, tmp_path):
    target = tmp_path / "records.csv"
    crash(app, "export", EXPORT_TO=str(target))
    assert not target.exists() and target.with_suffix(".part").exists()
    result = runner.invoke(args=["export", "csv", "--out", str(target)])
    assert result.exit_code == 0 and len(target.read_text().splitlines()) == 28
