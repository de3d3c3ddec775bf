"""`flask backup`, `flask restore`: a round trip loses nothing; a damaged or half-made backup is refused."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import stamp
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from accounts import people
from app import create_app
from assessments.models import EvidenceFile
from backups import files
from database import db
from records.models import Certificate, Job
from storage import LocalStore

from .conftest import PDF, POSTGRES_URL, Client, config_for, empty_database, submit_task

TREES = {"uploads": "UPLOAD_DIR", "certificates": "CERTIFICATE_DIR"}


def state(app: Flask) -> tuple[dict[str, int], dict[str, str]]:
    """Rows per table and the SHA-256 of every stored file: everything a restore must bring back."""
    with app.app_context():
        counts = {
            t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables
        }
        db.session.remove()
    hashes = {}
    for name, key in TREES.items():
        root = Path(app.config[key])
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            hashes[f"{name}/{path.relative_to(root).as_posix()}"] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
    return counts, hashes


def back_up(runner, out: Path) -> Path:
    result = runner.invoke(args=["backup", "--out", str(out)])
    assert result.exit_code == 0, result.output
    folder = Path(result.stdout.splitlines()[0])
    assert folder.parent == out and (folder / files.MANIFEST).is_file()
    return folder


@pytest.fixture
def stamped(app: Flask) -> Iterator[str]:
    """Record the Alembic revision as `flask db upgrade` would (the test schema comes from create_all)."""
    with app.app_context():
        stamp()
        revision = db.session.scalar(text("SELECT version_num FROM alembic_version"))
        db.session.remove()
    yield revision
    if POSTGRES_URL:  # the shared test database outlives this test
        with app.app_context():
            db.session.execute(text("DROP TABLE alembic_version"))
            db.session.commit()


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Flask]:
    """Another installation holding other data, which the restore must replace entirely."""
    with empty_database(tmp_path) as url:
        app = create_app({**config_for(tmp_path / "restored"), "DATABASE_URL": url})
        app.test_client_class = Client
        with app.app_context():
            db.create_all()
            people.create_user("stale@example.com", "Stale", "Sam", ("learner",), "stale-password-1")
            db.session.commit()
        LocalStore(app.config["UPLOAD_DIR"]).save(BytesIO(b"a file the backup does not have"))
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_round_trip_loses_nothing(app, runner, demo, stamped, target, tmp_path):
    attempt_id = submit_task(app, demo["mia"], "BSBCUS403", "project-charter-review")
    assert runner.invoke(args=["certificates", "issue", "--all-eligible"]).exit_code == 0
    before = state(app)
    assert before[0]["evidence_files"] and before[0]["certificates"] == 2 and before[0]["audit_events"]

    folder = back_up(runner, tmp_path / "backups")
    manifest = files.read_manifest(folder)
    assert manifest["database"]["alembic_revision"] == stamped
    assert {k: v for k, v in manifest["database"]["row_counts"].items() if k in before[0]} == before[0]
    assert {name: entry["sha256"] for name, entry in manifest["files"].items() if "/" in name} == before[1]

    result = target.test_cli_runner().invoke(args=["restore", "--from", str(folder), "--yes"])
    assert result.exit_code == 0, result.output
    assert state(target) == before
    verified = target.test_cli_runner().invoke(args=["audit", "verify"])
    assert verified.exit_code == 0 and "intact" in verified.output

    with target.app_context():
        evidence_ids = db.session.scalars(select(EvidenceFile.id).filter_by(attempt_id=attempt_id)).all()
        certificate = db.session.scalar(select(Certificate).filter_by(learner_id=demo["lucy"]))
    mia, lucy = target.test_client(), target.test_client()
    assert mia.login("mia.thompson@example.com", "demo-learner-pass").status_code == 302
    for evidence_id in evidence_ids:
        with mia.get(f"/evidence/{evidence_id}") as response:
            assert response.status_code == 200 and response.data == PDF
    assert lucy.login("lucy.chen@example.com", "demo-learner-pass").status_code == 302
    with lucy.get(f"/certificates/{certificate.id}.pdf") as response:
        assert hashlib.sha256(response.data).hexdigest() == certificate.sha256


def test_backup_runs_beside_an_open_write_and_keeps_only_committed_rows(app, runner, world, tmp_path):
    with app.app_context():
        engine = db.engine
    with engine.connect() as writer, Session(bind=writer) as session:
        session.begin()  # on SQLite this takes the write lock (BEGIN IMMEDIATE), as a busy app would
        session.add(Job(kind="uncommitted"))
        session.flush()
        folder = back_up(runner, tmp_path / "backups")  # neither waits for the writer nor sees its row
        session.rollback()
    assert files.read_manifest(folder)["database"]["row_counts"]["jobs"] == 1  # world's own job only


def backed_up_then_changed(app: Flask, runner, tmp_path: Path) -> tuple[Path, tuple]:
    """A backup, then new work a restore would undo: the state that must survive a refused restore."""
    folder = back_up(runner, tmp_path / "backups")
    with app.app_context():
        people.create_user("later@example.com", "Later", "Lee", ("learner",), "later-password-1")
        db.session.commit()
    LocalStore(app.config["UPLOAD_DIR"]).save(BytesIO(b"evidence uploaded after the backup"))
    return folder, state(app)


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


DAMAGES = {
    "altered upload": ("uploads/", flip_a_byte, "its SHA-256 does not match"),
    "missing certificate": ("certificates/", Path.unlink, "missing"),
    "altered database": ("database.", flip_a_byte, "its SHA-256 does not match"),
    "emptied upload": ("uploads/", lambda p: p.write_bytes(b""), "0 bytes where the manifest says"),
}


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_a_damaged_backup_is_refused_naming_the_file_and_nothing_changes(
    app, runner, world, tmp_path, damage
):
    prefix, harm, reason = damage
    folder, before = backed_up_then_changed(app, runner, tmp_path)
    name = next(n for n in files.read_manifest(folder)["files"] if n.startswith(prefix))
    harm(folder / name)

    result = runner.invoke(args=["restore", "--from", str(folder), "--yes"])
    assert result.exit_code == 1
    assert "nothing was changed" in result.output and f"{name}: {reason}" in result.output
    assert state(app) == before


def test_an_extra_file_or_a_missing_manifest_is_refused(app, runner, world, tmp_path):
    folder, before = backed_up_then_changed(app, runner, tmp_path)
    (folder / "uploads" / "planted").write_bytes(b"not from the backup")
    result = runner.invoke(args=["restore", "--from", str(folder), "--yes"])
    assert result.exit_code == 1 and "uploads/planted: not listed in the manifest" in result.output
    (folder / files.MANIFEST).unlink()
    result = runner.invoke(args=["restore", "--from", str(folder), "--yes"])
    assert result.exit_code == 1 and "manifest.json is missing" in result.output
    assert state(app) == before


def test_restore_asks_first_and_changes_nothing_when_told_no(app, runner, world, tmp_path):
    folder, before = backed_up_then_changed(app, runner, tmp_path)
    result = runner.invoke(args=["restore", "--from", str(folder)], input="n\n")
    assert result.exit_code == 1 and "Is the app stopped" in result.output and "Aborted" in result.output
    assert state(app) == before


@pytest.mark.parametrize(
    ("step", "failure"),
    [("copy_file", OSError(28, "No space left on device")), ("write_manifest", RuntimeError("killed"))],
    ids=["disk full copying files", "crash writing the manifest"],
)
def test_an_interrupted_backup_leaves_nothing_that_looks_complete(
    app, runner, world, tmp_path, monkeypatch, step, failure
):
    out, real, calls = tmp_path / "backups", getattr(files, step), []

    def fail_part_way(*args):
        calls.append(args)
        if len(calls) == 2 or step == "write_manifest":
            raise failure
        return real(*args)

    monkeypatch.setattr(files, step, fail_part_way)
    result = runner.invoke(args=["backup", "--out", str(out)])
    assert result.exit_code == 1 and calls
    assert list(out.iterdir()) == []  # neither a backup nor a half-made folder is left behind

    monkeypatch.undo()
    assert files.check_backup(back_up(runner, out)) == []


def test_manifest_and_trees_are_plain_functions_of_paths(tmp_path):
    source, folder = tmp_path / "store", tmp_path / "backup"
    (source / "ab").mkdir(parents=True)
    (source / "ab" / "abc").write_bytes(b"evidence")
    (source / "ab" / "abd.part").write_bytes(b"an upload still being written")
    assert files.copy_tree(source, folder / "uploads") == 1
    (folder / "database.sqlite3").write_bytes(b"database")
    database = {"kind": "sqlite", "file": "database.sqlite3"}
    files.write_manifest(folder, files.build_manifest(folder, database, dt.datetime.now(dt.UTC)))
    listed = files.read_manifest(folder)["files"]
    assert listed["uploads/ab/abc"] == {"size": 8, "sha256": hashlib.sha256(b"evidence").hexdigest()}
    assert sorted(listed) == ["database.sqlite3", "uploads/ab/abc"] and files.check_backup(folder) == []

    live = tmp_path / "live"
    (live / "zz").mkdir(parents=True)
    (live / "zz" / "zzz").write_bytes(b"not in the backup")
    assert files.copy_in(folder / "uploads", live) == 1
    assert files.prune(live, set(files.list_files(folder / "uploads"))) == 1
    assert files.list_files(live) == ["ab/abc"] and not (live / "zz").exists()
