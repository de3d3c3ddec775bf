"""Fixtures: an app per test on SQLite (or on PostgreSQL when DATABASE_URL is set), clients, people."""

from __future__ import annotations

import gc
import os
import re
import struct
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, select, text

from accounts import people
from accounts.models import Cohort, Enrolment, User
from app import create_app, database_uri
from database import db

POSTGRES_URL = (
    os.environ.get("DATABASE_URL", "") if os.environ.get("DATABASE_URL", "").startswith("postgres") else ""
)
PASSWORD = "correct-horse-battery"
VISITORS = ("anonymous", "learner", "other_learner", "assessor", "other_assessor", "admin")
CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"')


class Client(FlaskClient):
    """A test client that fills in the CSRF token the way a browser would: from the page."""

    def csrf_token(self, page: str) -> str:
        response = self.get(page)
        match = CSRF_TOKEN.search(response.get_data(as_text=True))
        assert match, f"no CSRF token on {page} (status {response.status_code})"
        return match.group(1) or match.group(2)

    def submit(self, url: str, data: dict | None = None, *, page: str | None = None, **kwargs):
        """POST `data` to `url` with the CSRF token of `page` (by default the same URL)."""
        token = self.csrf_token(page or url)
        return self.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)

    def login(self, email: str, password: str = PASSWORD, **kwargs):
        return self.submit("/auth/login", {"email": email, "password": password}, **kwargs)

    def logout(self):
        return self.submit("/auth/logout", page="/units")


def config_for(tmp_path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": POSTGRES_URL or f"sqlite:///{tmp_path / 'test.db'}",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "CERTIFICATE_DIR": str(tmp_path / "certificates"),
        "JOB_RUNNER": "inline",  # background jobs run in the request, so tests see their results
        "REDIS_URL": None,  # tests of the Redis-backed paths opt in (tests/test_redis.py)
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",  # still scrypt, at a cost the suite can afford
    }


@pytest.fixture(scope="session")
def _postgres_schema() -> None:
    """On PostgreSQL, build the schema once per run; tests then empty the tables."""
    if POSTGRES_URL:
        app = create_app({"DATABASE_URL": POSTGRES_URL, "SECRET_KEY": "x"})
        with app.app_context():
            db.drop_all()
            db.create_all()
            db.engine.dispose()


def empty_tables() -> None:
    names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture
def app(tmp_path, _postgres_schema) -> Iterator[Flask]:
    app = create_app(config_for(tmp_path))
    app.test_client_class = Client
    with app.app_context():
        empty_tables() if POSTGRES_URL else db.create_all()
    yield app
    close(app)
    if POSTGRES_URL:  # a connection left open warns when collected: make that fail the test that leaked it
        gc.collect()


@pytest.fixture
def make_app() -> Iterator:
    """More apps beside `app` (another worker, other settings), their connections closed afterwards."""
    made: list[Flask] = []

    def make(config: dict) -> Flask:
        made.append(create_app(config))
        made[-1].test_client_class = Client
        return made[-1]

    yield make
    for extra in made:
        close(extra)


def close(app: Flask) -> None:
    """Close the app's sessions and its connection pool."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> Client:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An app context for tests that work with the database directly."""
    with app.app_context():
        yield


@pytest.fixture
def make_user(app: Flask):
    """Create a user with a known password and return its id (detached objects help no one)."""

    def make(role: str = "learner", email: str | None = None, **names) -> int:
        with app.app_context():
            n = db.session.query(User).count() + 1
            user = people.create_user(
                email or f"{role}{n}@example.com",
                names.get("family", f"{role.title()}{n}"),
                names.get("given", "Pat"),
                (role,),
                PASSWORD,
            )
            db.session.commit()
            return user.id

    return make


def email_of(app: Flask, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).email


@pytest.fixture
def admin(make_user) -> int:
    return make_user("admin", "admin@example.com", family="Admin")


@pytest.fixture
def assessor(make_user) -> int:
    return make_user("assessor", "assessor@example.com", family="Assessor")


@pytest.fixture
def learner(make_user) -> int:
    return make_user("learner", "learner@example.com", family="Learner")


@pytest.fixture
def cohort(app: Flask, assessor: int, learner: int) -> int:
    """A cohort with `assessor` as trainer and `learner` enrolled in every unit."""
    with app.app_context():
        group = people.save_cohort(Cohort(), "Test cohort", None, [assessor], [learner])
        for code in ("BSBOPS304", "BSBCUS403", "BSBCUS401B"):
            people.enrol(db.session.get(User, learner), code, group)
        db.session.commit()
        return group.id


@pytest.fixture
def assessor_client(app: Flask, cohort: int) -> Client:
    """The cohort's assessor, signed in."""
    client = app.test_client()
    client.login("assessor@example.com")
    return client


def enrolment_id(app: Flask, learner_id: int, code: str = "BSBCUS403") -> int:
    with app.app_context():
        return db.session.scalar(select(Enrolment.id).filter_by(learner_id=learner_id, unit_code=code))


@pytest.fixture
def world(app, make_user):
    """Two learners and two assessors, each pair split across two cohorts."""
    ids = {role: make_user(role.removeprefix("other_"), f"{role}@example.com") for role in VISITORS[1:]}
    with app.app_context():
        mine = people.save_cohort(Cohort(), "Mine", None, [ids["assessor"]], [ids["learner"]])
        people.save_cohort(Cohort(), "Theirs", None, [ids["other_assessor"]], [ids["other_learner"]])
        ids["enrolment"] = people.enrol(db.session.get(User, ids["learner"]), "BSBCUS403", mine).id
        db.session.commit()
        ids["cohort"] = mine.id
    ids["attempt"] = submit_task(app, ids["learner"], "BSBCUS403", "project-charter-review")
    with app.app_context():
        from assessments.models import Attempt

        ids["file"] = db.session.get(Attempt, ids["attempt"]).files[0].id
        ids["certificate"], ids["number"], ids["job"] = register_certificate(
            app, ids["learner"], ids["admin"]
        )
    return ids


def register_certificate(app: Flask, learner_id: int, admin_id: int) -> tuple[int, str, int]:
    """A register row with a stored file (no PDF rendering: this is for access checks)."""
    from io import BytesIO

    from records.models import Certificate, Job
    from storage import LocalStore

    stored = LocalStore(app.config["CERTIFICATE_DIR"]).save(BytesIO(PDF))
    certificate = Certificate(
        number="0000-2026-000001-1",
        version=1,
        learner_id=learner_id,
        learner_name="Pat",
        issued_by_id=admin_id,
        stored_name=stored.name,
        sha256=stored.sha256,
    )
    job = Job(kind="certificates", status="done")
    db.session.add_all([certificate, job])
    db.session.commit()
    return certificate.id, certificate.number, job.id


@pytest.fixture
def clients(app, world):
    signed_in = {"anonymous": app.test_client()}
    for visitor in VISITORS[1:]:
        signed_in[visitor] = app.test_client()
        assert signed_in[visitor].login(f"{visitor}@example.com").status_code == 302
    return signed_in


@pytest.fixture
def count_queries(app: Flask):
    """A context manager collecting the SQL statements the app sends while it is open.

    Not SQLite's `PRAGMA query_only`: a connection setting sent when a pooled connection passes from
    writing to reading or back (database._begin), so it depends on what that connection did before, not
    on the page; the BEGIN that follows it is counted like every other statement."""

    @contextmanager
    def counting() -> Iterator[list[str]]:
        with app.app_context():
            engine = db.engine
        statements: list[str] = []

        def record(conn, cursor, statement, *args) -> None:
            if not statement.startswith("PRAGMA query_only"):
                statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting


def mp4(*handlers: str, brand: bytes = b"mp42", moov_last: bool = False) -> bytes:
    """A small MPEG-4 file whose tracks have these handlers ("vide" picture, "soun" sound): its type box,
    the movie box with a track box each (down to the handler), and some media, before or after it."""

    def box(tag: bytes, payload: bytes = b"") -> bytes:
        return struct.pack(">I4s", 8 + len(payload), tag) + payload

    def track(handler: str) -> bytes:
        declared = box(b"hdlr", bytes(8) + handler.encode() + bytes(12) + b"Track\x00")
        return box(b"trak", box(b"mdia", declared))

    movie = box(b"moov", b"".join(map(track, handlers)))
    head, media = box(b"ftyp", brand + bytes(4) + brand + b"isom"), box(b"mdat", bytes(64))
    return head + (media + movie if moov_last else movie + media)


def webm(*track_types: int) -> bytes:
    """A small WebM file with a track of each type (1 video, 2 audio), as Matroska's elements."""

    def element(id_: int, payload: bytes) -> bytes:
        return id_.to_bytes((id_.bit_length() + 7) // 8, "big") + bytes([0x80 | len(payload)]) + payload

    doc_type = element(0x4282, b"webm") + element(0x4287, b"\x04") + element(0x4285, b"\x02")
    header = element(0x1A45DFA3, doc_type)
    entries = (
        element(0xAE, element(0xD7, bytes([number])) + element(0x83, bytes([kind])))
        for number, kind in enumerate(track_types, 1)
    )
    return header + element(0x18538067, element(0x1654AE6B, b"".join(entries)))


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MP4 = mp4("vide", "soun")  # a recording with picture and sound


def submit_task(app: Flask, learner_id: int, code: str, task_id: str, *, files: bool = True) -> int:
    """Draft and submit a complete attempt through the same code as the pages; return its id."""
    from io import BytesIO

    from accounts.models import Enrolment
    from assessments import attempts
    from content import default_content
    from storage import LocalStore

    with app.app_context():
        learner = db.session.get(User, learner_id)
        enrolment = db.session.query(Enrolment).filter_by(learner_id=learner_id, unit_code=code).one()
        pack = default_content().packs[code]
        task = pack.task(task_id)
        from assessments.standing import items_to_redo

        attempt = attempts.open_draft(enrolment, task, items_to_redo(enrolment, task, pack, 3))
        items = [i for i in task.items if i.id in attempt.items]
        texts = {i.id: f"My answer to {i.id}." for i in items if i.takes_text}
        uploads = []
        for item in items:
            if item.response == "recording":
                uploads.append(attempts.Upload(item.id, "roleplay.mp4", BytesIO(MP4), len(MP4)))
            elif item.response == "file" or (files and item.response == "text_or_file"):
                uploads.append(attempts.Upload(item.id, f"{item.id}.pdf", BytesIO(PDF), len(PDF)))
        limits = attempts.Limits(20 * 2**20, 100 * 2**20)
        attempts.save_draft(attempt, task, texts, uploads, LocalStore(app.config["UPLOAD_DIR"]), limits)
        attempts.submit(attempt, task, learner, learner.full_name, True)
        db.session.commit()
        return attempt.id


@pytest.fixture
def demo(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        ids = {u.email.split("@")[0].split(".")[0]: u.id for u in db.session.scalars(select(User))}
    return ids


@pytest.fixture
def admin_client(app, demo):
    client = app.test_client()
    client.login("admin@example.com", "demo-admin-pass")
    return client


@contextmanager
def empty_database(tmp_path: Path) -> Iterator[str]:
    """A brand-new database's URL: a file on SQLite, a database created and dropped on PostgreSQL."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"empty_{uuid.uuid4().hex[:10]}"
    server = create_engine(database_uri(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        server.dispose()
