"""The database as the app meets it: a calm page when it is unreachable, transactions that say whether
they write, reading requests that cannot write, and PostgreSQL's prepared statements kept."""

import pytest
from sqlalchemy import event

from app import create_app
from content import default_content
from database import db

from .conftest import POSTGRES_URL


def test_database_unavailable_gives_a_friendly_503(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "WTF_CSRF_ENABLED": False,  # no form to read a token from
            "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/nothing",
            # Sign-in limits in memory, as in every other test: a shared Redis would count this test's
            # sign-ins across runs and answer 429 once the limit is reached.
            "REDIS_URL": None,
        }
    )
    client = app.test_client()
    response = client.post("/auth/login", data={"email": "a@example.com", "password": "whatever-password"})
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "briefly unavailable" in page and "Traceback" not in page and "psycopg" not in page
    assert client.get("/health").status_code == 503


def test_a_database_error_that_is_not_an_outage_is_not_called_one(app):
    from sqlalchemy.exc import DataError

    from errors import database_error

    with app.test_request_context("/"):
        body, status = database_error(DataError("SELECT 1", {}, ValueError("integer out of range")))
    assert status == 500 and "Something went wrong on our side" in body and "unavailable" not in body


def test_health_reports_ok(client):
    assert client.get("/health").get_json() == {"status": "ok"}


def test_every_transaction_knows_whether_it_writes(app, client, cohort):
    """Writing transactions must say so before their first read: on SQLite that takes the write lock
    up front (BEGIN IMMEDIATE), so a busy moment means a short wait, never 'database is locked'."""
    import database

    intents: list[bool] = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "begin", lambda _connection: intents.append(database._writing.get()))

    def intent_of(method: str, url: str, **kwargs) -> set[bool]:
        intents.clear()
        getattr(client, method)(url, **kwargs)
        return set(intents)

    client.login("learner@example.com")
    module = default_content().library.modules("BSBOPS304")[0]
    token = client.csrf_token("/account/password")
    assert intent_of("get", "/learn/BSBOPS304") == {False}
    # A POST straight after a GET on the same thread: signing the user in reads first.
    password_change = {"csrf_token": token, "current": "wrong", "new": "x" * 20, "confirm": "x" * 20}
    assert intent_of("post", "/account/password", data=password_change) == {True}
    assert intent_of("get", "/learn/BSBOPS304") == {False}
    # Opening a module reads, then records the visit in a transaction of its own that declares it writes;
    # reading it again straight away records nothing, so it only reads.
    assert intent_of("get", f"/learn/BSBOPS304/{module.id}") == {False, True}
    assert intent_of("get", f"/learn/BSBOPS304/{module.id}") == {False}


def add_probe_routes(app) -> None:
    """Two GET routes that change a learner's name, one declared as writing; and one that reports how
    many statements PostgreSQL holds prepared for the connection serving it."""
    from sqlalchemy import text

    from database import writes_on_get

    def rename() -> str:
        db.session.execute(text("UPDATE users SET family_name = 'Renamed' WHERE is_learner"))
        db.session.commit()
        return "renamed"

    @writes_on_get
    def rename_declared() -> str:
        return rename()

    app.add_url_rule("/_probe/rename", "probe_rename", rename)
    app.add_url_rule("/_probe/rename-declared", "probe_rename_declared", rename_declared)
    app.add_url_rule(
        "/_probe/prepared",
        "probe_prepared",
        lambda: str(db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))),
    )


def family_name(app, email: str = "learner@example.com") -> str:
    from accounts.models import User

    with app.app_context():
        return db.session.scalar(db.select(User.family_name).filter_by(email=email))


def test_a_reading_request_cannot_write_and_a_declared_one_can(app, client, learner, caplog):
    """READ ONLY on PostgreSQL, query_only on SQLite: a GET that writes without saying so is a bug found
    on either database, reported as our error (500, logged), not as an outage."""
    add_probe_routes(app)
    before = family_name(app)
    response = client.get("/_probe/rename")
    assert response.status_code == 500 and "Something went wrong on our side" in response.get_data(True)
    assert "database error" in caplog.text and "database unavailable" not in caplog.text
    assert family_name(app) == before
    assert client.get("/_probe/rename-declared").get_data(as_text=True) == "renamed"
    assert family_name(app) == "Renamed"


@pytest.mark.skipif(not POSTGRES_URL, reason="psycopg's prepared statements")
def test_on_postgresql_reading_requests_keep_the_prepared_statements(app, client, learner):
    """A reading request ends with COMMIT: a ROLLBACK would make psycopg drop every statement it has
    prepared, so PostgreSQL would parse and plan the same statements on every visit."""
    add_probe_routes(app)
    client.login("learner@example.com")
    for _ in range(8):  # psycopg prepares a statement on its fifth use on a connection
        assert client.get("/learn").status_code == 200
    assert int(client.get("/_probe/prepared").get_data(as_text=True)) > 0
