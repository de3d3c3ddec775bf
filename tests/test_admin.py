"""Administrators manage users and learner records, cohorts and enrolments."""

from sqlalchemy import select

from accounts.models import Cohort, Enrolment, LearnerProfile, User
from database import db


def new_learner(**overrides) -> dict:
    return {
        "given_names": "Kim",
        "family_name": "Tran",
        "email": "kim.tran@example.com",
        "roles": "learner",
        "password": "a-fine-long-passphrase",
        "is_active": "y",
        "usi": "",
        "usi_exemption": "",
    } | overrides


def signed_in_admin(client, admin):
    client.login("admin@example.com")
    return client


def test_admin_creates_a_learner_with_a_valid_usi(app, client, admin):
    signed_in_admin(client, admin)
    data = new_learner(usi="7qrp 3kv3 95", usi_verified="y", date_of_birth="1999-05-04")
    response = client.submit("/admin/users/new", data, follow_redirects=True)
    assert "Saved Kim Tran" in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "kim.tran@example.com"))
        assert user.roles == ("learner",)
        assert user.learner.usi == "7QRP3KV395"
        assert user.learner.has_verified_usi and user.learner.usi_verified_by_id == admin
        assert user.learner.client_id.startswith("C") and user.learner.client_id != user.learner.usi


def test_an_invalid_usi_is_refused_with_its_reason_and_nothing_saved(app, client, admin):
    signed_in_admin(client, admin)
    response = client.submit("/admin/users/new", new_learner(usi="7QRP3KV394"))
    assert "last character does not match" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "kim.tran@example.com")) is None


def test_usi_cannot_be_marked_verified_without_a_usi(client, admin):
    signed_in_admin(client, admin)
    response = client.submit("/admin/users/new", new_learner(usi_verified="y"))
    assert "Enter the USI before marking it verified" in response.get_data(as_text=True)


def test_changing_a_usi_clears_its_verification(app, client, admin, learner):
    signed_in_admin(client, admin)
    url = f"/admin/users/{learner}"
    client.submit(
        url, new_learner(email="learner@example.com", usi="7QRP3KV395", usi_verified="y", password="")
    )
    client.submit(
        url, new_learner(email="learner@example.com", usi="UDNM3W6KUS", usi_verified="y", password="")
    )
    with app.app_context():
        profile = db.session.get(LearnerProfile, learner)
        assert profile.usi == "UDNM3W6KUS" and profile.usi_verified_at is not None
    client.submit(url, new_learner(email="learner@example.com", usi="7QRP3KV395", password=""))
    with app.app_context():
        assert db.session.get(LearnerProfile, learner).usi_verified_at is None


def test_duplicate_email_and_client_id_are_refused(app, client, admin, learner):
    signed_in_admin(client, admin)
    with app.app_context():
        taken_client_id = db.session.get(LearnerProfile, learner).client_id
    response = client.submit("/admin/users/new", new_learner(email="learner@example.com"))
    assert "Another account already uses this email" in response.get_data(as_text=True)
    response = client.submit("/admin/users/new", new_learner(client_id=taken_client_id))
    assert "Another learner has this client identifier" in response.get_data(as_text=True)


def test_weak_initial_password_is_refused(client, admin):
    signed_in_admin(client, admin)
    response = client.submit("/admin/users/new", new_learner(password="short"))
    assert "at least 12 characters" in response.get_data(as_text=True)


def test_a_user_may_hold_several_roles(app, client, admin):
    signed_in_admin(client, admin)
    client.submit("/admin/users/new", new_learner(roles=["assessor", "admin"], email="boss@example.com"))
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "boss@example.com"))
        assert user.roles == ("assessor", "admin") and user.learner is None


def test_user_list_searches_by_name_and_filters_by_role(client, admin, learner, assessor):
    signed_in_admin(client, admin)
    page = client.get("/admin/users?q=learner").get_data(as_text=True)
    assert "learner@example.com" in page and "assessor@example.com" not in page
    page = client.get("/admin/users?role=assessor").get_data(as_text=True)
    assert "assessor@example.com" in page and "learner@example.com" not in page


def test_admin_creates_a_cohort_and_enrols_it(app, client, admin, learner, assessor):
    signed_in_admin(client, admin)
    response = client.submit(
        "/admin/cohorts/new",
        {"name": "Evening group", "staff": assessor, "learners": learner},
        follow_redirects=True,
    )
    assert "Saved cohort Evening group" in response.get_data(as_text=True)
    with app.app_context():
        cohort_id = db.session.scalar(select(Cohort.id).where(Cohort.name == "Evening group"))
    data = {"unit_code": "BSBCUS403", "cohort_id": cohort_id, "learners": learner}
    response = client.submit("/admin/enrolments/new", data, follow_redirects=True)
    assert "Enrolled 1 learner(s) in BSBCUS403" in response.get_data(as_text=True)
    client.submit("/admin/enrolments/new", data)  # enrolling twice changes nothing
    with app.app_context():
        enrolments = db.session.scalars(select(Enrolment)).all()
        assert [(e.learner_id, e.unit_code, e.cohort_id) for e in enrolments] == [
            (learner, "BSBCUS403", cohort_id)
        ]


def test_cohort_names_are_unique(client, admin):
    signed_in_admin(client, admin)
    client.submit("/admin/cohorts/new", {"name": "Morning group"})
    response = client.submit("/admin/cohorts/new", {"name": "Morning group"})
    assert "Another cohort has this name" in response.get_data(as_text=True)
