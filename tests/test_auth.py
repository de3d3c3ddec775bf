"""Signing in and out, passwords, rate limiting and session expiry."""

import time

from flask import session

from accounts.models import User
from database import db

from .conftest import PASSWORD


def test_sign_in_lands_each_role_on_its_dashboard(client, make_user):
    for role, landing in (("learner", "/learn"), ("assessor", "/marking"), ("admin", "/admin/")):
        user_id = make_user(role)
        response = client.login(f"{role}{user_id}@example.com", follow_redirects=True)
        assert response.status_code == 200
        assert response.request.path == landing
        client.logout()


def test_wrong_password_is_refused_with_a_clear_message(client, learner):
    response = client.login("learner@example.com", "not-the-password")
    assert response.status_code == 200
    assert "The email or password is not right" in response.get_data(as_text=True)
    assert client.get("/learn").status_code == 302  # still signed out


def test_unknown_email_gets_the_same_message(client):
    response = client.login("nobody@example.com", "whatever-password")
    assert "The email or password is not right" in response.get_data(as_text=True)


def test_inactive_account_cannot_sign_in(app, client, learner):
    with app.app_context():
        db.session.get(User, learner).is_active = False
        db.session.commit()
    response = client.login("learner@example.com")
    assert "The email or password is not right" in response.get_data(as_text=True)


def test_email_is_case_insensitive(client, learner):
    assert client.login("Learner@Example.COM").status_code == 302


def test_sign_in_follows_a_local_next_but_not_an_external_one(client, learner):
    token = client.csrf_token("/auth/login")
    data = {"email": "learner@example.com", "password": PASSWORD, "csrf_token": token}
    assert client.post("/auth/login?next=/units", data=data).location == "/units"
    client.logout()
    token = client.csrf_token("/auth/login")
    response = client.post("/auth/login?next=//evil.example/x", data={**data, "csrf_token": token})
    assert "evil" not in response.location


def test_sign_out_ends_the_session(client, learner):
    client.login("learner@example.com")
    assert client.get("/learn").status_code == 200
    client.logout()
    assert client.get("/learn").status_code == 302


def test_failed_sign_ins_are_rate_limited_per_account(client, learner):
    for _ in range(10):
        assert client.login("learner@example.com", "wrong-password-x").status_code == 200
    response = client.login("learner@example.com")  # even the right password waits now
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


def test_successful_sign_ins_do_not_use_up_the_account_limit(client, learner):
    for _ in range(12):
        assert client.login("learner@example.com").status_code == 302
        client.logout()


def test_password_is_stored_hashed(app, learner):
    with app.app_context():
        stored = db.session.get(User, learner).password_hash
    assert PASSWORD not in stored and stored.startswith("scrypt:")


def test_production_hashes_at_full_scrypt_strength(tmp_path):
    from accounts import passwords
    from app import create_app

    create_app({"SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}"})
    try:
        assert passwords.hash_password("a-long-passphrase").startswith("scrypt:32768:8:1$")
    finally:
        passwords.HASH_METHOD = "scrypt:1024:8:1"  # what the rest of the suite's apps use


def test_change_password(client, learner):
    client.login("learner@example.com")
    data = {"current": PASSWORD, "new": "a-brand-new-passphrase", "confirm": "a-brand-new-passphrase"}
    response = client.submit("/account/password", data, follow_redirects=True)
    assert "Your password has been changed" in response.get_data(as_text=True)
    client.logout()
    assert client.login("learner@example.com").status_code == 200  # old password refused
    assert client.login("learner@example.com", "a-brand-new-passphrase").status_code == 302


def test_change_password_refuses_weak_or_wrong_current(client, learner):
    client.login("learner@example.com")
    weak = client.submit("/account/password", {"current": PASSWORD, "new": "password", "confirm": "password"})
    assert "at least 12 characters" in weak.get_data(as_text=True)
    wrong = client.submit(
        "/account/password",
        {"current": "nope-nope-nope", "new": "another-long-phrase", "confirm": "another-long-phrase"},
    )
    assert "not your current password" in wrong.get_data(as_text=True)


def test_password_change_signs_out_other_sessions(app, learner):
    first, second = app.test_client(), app.test_client()
    first.login("learner@example.com")
    second.login("learner@example.com")
    data = {"current": PASSWORD, "new": "a-brand-new-passphrase", "confirm": "a-brand-new-passphrase"}
    first.submit("/account/password", data)
    assert first.get("/learn").status_code == 200
    assert second.get("/learn").status_code == 302


def test_idle_session_expires(client, learner):
    client.login("learner@example.com")
    with client.session_transaction() as stored:
        stored["seen_at"] = time.time() - 31 * 60
    response = client.get("/learn")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_activity_renews_the_session_once_a_minute_not_on_every_request(client, learner):
    """Renewing re-signs the cookie; the idle limit then errs short by under a minute, never long."""
    client.login("learner@example.com")
    client.get("/learn")  # the first page keeps the session's CSRF secret in it
    assert "Set-Cookie" not in client.get("/learn").headers  # seen moments ago: nothing to renew
    with client.session_transaction() as stored:
        stored["seen_at"] = earlier = time.time() - 29 * 60
    renewed = client.get("/learn")
    assert renewed.status_code == 200 and "Set-Cookie" in renewed.headers
    with client.session_transaction() as stored:
        assert stored["seen_at"] > earlier + 28 * 60
    assert client.get("/learn").status_code == 200


def test_session_expires_after_absolute_limit_however_active(client, learner):
    client.login("learner@example.com")
    with client.session_transaction() as stored:
        stored["signed_in_at"] = time.time() - 13 * 3600
    assert client.get("/learn").status_code == 302


def test_session_cookie_is_httponly_and_samesite(client, learner):
    response = client.login("learner@example.com")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    with client:
        client.get("/learn")
        assert session.permanent
