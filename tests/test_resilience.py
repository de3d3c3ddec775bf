"""When the database is briefly unreachable, people get a calm page, not a stack trace."""

from sqlalchemy import event

from app import create_app
from content import default_content
from database import db


def test_database_unavailable_gives_a_friendly_503(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "WTF_CSRF_ENABLED": False,  # no form to read a token from
            "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/nothing",
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
