"""The Redis-backed paths, against a real Redis: shared sign-in limits and jobs on RQ workers.

They run when REDIS_URL is set (`.ci/run` sets it for its PostgreSQL pass), as DATABASE_URL selects
PostgreSQL; each test uses its own Redis database number and empties it first.
"""

import datetime as dt
import os

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import select

from database import db, utcnow
from records.jobs import jobs_cli
from records.models import Certificate, Job

from .conftest import config_for

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="set REDIS_URL to test the Redis-backed paths")


@pytest.fixture
def redis_url():
    url = REDIS_URL.rsplit("/", 1)[0] + "/14"
    Redis.from_url(url).flushdb()
    yield url
    Redis.from_url(url).flushdb()


def test_sign_in_limits_are_shared_by_every_worker(app, make_app, learner, redis_url, tmp_path):
    """Two app processes (two gunicorn workers) count failed sign-ins in the same Redis."""
    config = config_for(tmp_path) | {
        "REDIS_URL": redis_url,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
    }
    one, two = make_app(config).test_client(), make_app(config).test_client()
    for n in range(10):
        client = one if n % 2 else two
        assert client.login("learner@example.com", "wrong-password-x").status_code == 200
    assert one.login("learner@example.com").status_code == 429
    assert two.login("learner@example.com").status_code == 429


def test_bulk_certificates_run_on_an_rq_worker_and_resume_after_a_restart(
    app, runner, demo, redis_url, monkeypatch, tmp_path
):
    app.config.update(REDIS_URL=redis_url, JOB_RUNNER=None)
    for key in (
        "DATABASE_URL",
        "UPLOAD_DIR",
        "CERTIFICATE_DIR",
        "SECRET_KEY",
    ):  # the worker builds its own app
        monkeypatch.setenv(key, str(app.config["SQLALCHEMY_DATABASE_URI" if key == "DATABASE_URL" else key]))
    monkeypatch.setenv("REDIS_URL", redis_url)
    admin = app.test_client()
    admin.login("admin@example.com", "demo-admin-pass")
    response = admin.submit("/admin/certificates/issue", {}, page="/admin/certificates")
    assert (
        admin.get(response.location, headers={"Accept": "application/json"}).get_json()["status"] == "queued"
    )

    connection = Redis.from_url(redis_url)
    queue = Queue("platform", connection=connection)
    assert len(queue) == 1
    SimpleWorker([queue], connection=connection).work(burst=True)
    progress = admin.get(response.location, headers={"Accept": "application/json"}).get_json()
    # Lucy and Noah; Ben, whose USI is not verified, is not in the batch.
    assert progress["status"] == "done" and progress["done"] == progress["total"] == 2

    with app.app_context():  # a worker killed mid-job: its job is left "running" and goes quiet
        assert db.session.scalar(select(db.func.count()).select_from(Certificate)) == 2
        db.session.add(
            Job(
                kind="certificates",
                status="running",
                total=3,
                done=1,
                params={},
                created_by_id=demo["admin"],
                updated_at=utcnow() - dt.timedelta(minutes=10),
            )
        )
        db.session.commit()
    result = runner.invoke(jobs_cli, ["worker", "--burst"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        jobs = db.session.scalars(select(Job).order_by(Job.id)).all()
        assert [(j.status, j.result) for j in jobs] == [
            ("done", "2 issued."),
            # Resumed: no one was left whom the rules accept (Ben's USI still blocks him).
            ("done", "Nothing to issue: no learner was eligible."),
        ]
        assert (
            db.session.scalar(select(db.func.count()).select_from(Certificate)) == 2
        )  # resumed, not repeated
