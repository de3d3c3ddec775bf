"""`flask seed-demo` builds the demo RTO once, and running it again changes nothing."""

from accounts.models import Cohort, Enrolment, User
from database import db


def counts(app):
    with app.app_context():
        return [db.session.query(model).count() for model in (User, Cohort, Enrolment)]


def test_seed_demo_creates_every_role_and_is_idempotent(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "admin@example.com" in result.output and "demo-admin-pass" in result.output
    first = counts(app)
    assert first == [12, 2, 27]
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert counts(app) == first


def test_demo_accounts_can_sign_in(app, runner, client):
    runner.invoke(args=["seed-demo"])
    for email, password, landing in (
        ("admin@example.com", "demo-admin-pass", "/admin/"),
        ("priya.sharma@example.com", "demo-assessor-pass", "/marking"),
        ("jordan.lee@example.com", "demo-learner-pass", "/learn"),
    ):
        response = client.login(email, password, follow_redirects=True)
        assert response.request.path == landing
        client.logout()


def test_create_user_command(app, runner):
    result = runner.invoke(
        args=[
            "create-user",
            "head@example.com",
            "--family-name",
            "Head",
            "--role",
            "admin",
            "--password",
            "a-long-admin-passphrase",
        ]
    )
    assert result.exit_code == 0, result.output
    weak = runner.invoke(args=["create-user", "b@example.com", "--family-name", "B", "--password", "short"])
    assert weak.exit_code != 0 and "12 characters" in weak.output
