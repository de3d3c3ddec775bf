"""The benchmarks' quick modes (tiny data, a few seconds each) and `flask seed-demo --learners N`.

The four scripts run at once, each in its own process with its own throwaway database (on the
PostgreSQL server when DATABASE_URL points at one). Only correctness is asserted, never timing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from accounts.models import Enrolment, User
from assessments.models import Attempt
from database import db
from tests.conftest import POSTGRES_URL

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ("pages", "certificates", "exports", "load")
BACKEND = "postgresql" if POSTGRES_URL else "sqlite"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def quick(tmp_path_factory) -> dict[str, dict]:
    """Every script's --quick run, started together; each one's JSON results."""
    folder = tmp_path_factory.mktemp("bench")
    running = {}
    for name in SCRIPTS:
        command = [sys.executable, "-m", f"bench.{name}", "--quick", "--json", str(folder / f"{name}.json")]
        if name != "certificates":
            command += ["--backend", BACKEND]
        log = (folder / f"{name}.log").open("w")
        running[name] = (subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT), log)
    results = {}
    for name, (process, log) in running.items():
        process.wait(timeout=600)
        log.close()
        output = (folder / f"{name}.log").read_text()
        assert process.returncode == 0, f"bench.{name} --quick failed:\n{output}"
        results[name] = json.loads((folder / f"{name}.json").read_text()) | {"output": output}
    return results


def test_pages_are_measured_beside_health(quick):
    pages = quick["pages"]["pages"]
    assert [p["page"] for p in pages] == [
        "module page (learner)",
        "marking queue (assessor)",
        "marking screen (assessor)",
    ]
    assert pages[0]["path"].startswith("/learn/BSBOPS304/")
    assert pages[2]["path"].startswith("/marking/attempts/")
    for page in pages:
        assert page["page_rps"] > 0 and page["health_rps"] > 0 and page["page_p95_ms"] > 0
        assert page["ratio"] == pytest.approx(page["page_rps"] / page["health_rps"])
    assert "ratio" in quick["pages"]["output"]


def test_pages_have_no_errors(quick):
    pages = quick["pages"]["pages"]
    assert all(p["errors"] == 0 for p in pages), quick["pages"]["output"]


def test_certificates_render_through_the_platform_and_in_parallel(quick):
    results = quick["certificates"]
    assert results["pdf_bytes"] > 1000
    assert results["overhead"] > 0 and results["speedup"] > 0
    assert results["batch_pdfs_ok"] == results["batch"] > 0


def test_exports_write_the_same_bytes_as_the_baseline(quick):
    exports = quick["exports"]["exports"]
    assert {e["export"] for e in exports} == {"csv", "nat", "avetmiss"}
    # The demo's 27 enrolments and 91 bulk learners x 3 units; the whole submission adds each of the 100
    # learners' client and contact records, the organisation, its delivery location and the 3 units.
    rows = {"csv": 300, "nat": 300, "avetmiss": 300 + 2 * 100 + 1 + 1 + 3}
    for export in exports:
        assert export["identical"], export
        assert export["rows"] == rows[export["export"]]
        assert export["ratio"] > 0 and export["platform_peak_mb"] > 0 and export["baseline_peak_mb"] > 0


def test_every_acknowledged_submission_is_stored_with_its_files(quick):
    (load,) = quick["load"]["load"]
    verified = load["verification"]
    assert load["acknowledged"] > 0 and load["saves"] > 0
    assert verified["found"] == load["acknowledged"] == verified["submitted_during_run"]
    assert verified["files_checked"] >= load["acknowledged"]
    assert verified["files_matching"] == verified["files_checked"]
    assert verified["audit_breaks"] == 0


def test_load_has_no_errors(quick):
    (load,) = quick["load"]["load"]
    assert load["errors"] == 0, quick["load"]["output"]


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (User, Enrolment, Attempt)
        }


def test_seed_demo_learners_adds_bulk_learners_once(app, runner, client):
    result = runner.invoke(args=["seed-demo", "--learners", "12"])
    assert result.exit_code == 0, result.output
    assert "12 added" in result.output
    first = counts(app)
    assert first["User"] == 12 + 12  # the demo's admin, assessors and learners, then the bulk learners
    assert first["Enrolment"] == 27 + 12 * 3
    with app.app_context():
        bulk = db.session.scalar(
            select(func.count())
            .select_from(Attempt)
            .join(Enrolment)
            .join(User)
            .where(User.email.like("bulk%"))
        )
    assert bulk == 12 * 5
    again = runner.invoke(args=["seed-demo", "--learners", "12"])
    assert again.exit_code == 0 and "0 added" in again.output
    assert counts(app) == first
    response = client.login("bulk000007@example.com", "demo-learner-pass", follow_redirects=True)
    assert response.request.path == "/learn"
