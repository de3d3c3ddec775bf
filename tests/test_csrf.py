"""CSRF protection on every form: a POST without the page's token is refused and changes nothing."""

import pytest

from .test_access import RULES


def post_endpoints(app) -> list[str]:
    return sorted({r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods})


def test_every_post_route_refuses_a_missing_token(app, clients, world):
    for endpoint in post_endpoints(app):
        url = next(u for method, u, _ in RULES[endpoint] if method == "POST").format(**world)
        for visitor in ("admin", "learner", "anonymous"):
            response = clients[visitor].post(url, data={"anything": "x"})
            assert response.status_code == 400, (endpoint, visitor)
            assert "form had expired" in response.get_data(as_text=True)


def test_a_forged_token_is_refused(clients, world):
    response = clients["admin"].post("/admin/cohorts/new", data={"name": "Forged", "csrf_token": "forged"})
    assert response.status_code == 400


@pytest.mark.parametrize("endpoint", ["admin.edit_user", "admin.edit_cohort", "admin.enrol"])
def test_posts_without_token_change_nothing(app, clients, world, endpoint):
    from accounts.models import Cohort, Enrolment, User
    from database import db

    def counts():
        with app.app_context():
            return [db.session.query(model).count() for model in (User, Cohort, Enrolment)]

    before = counts()
    url = next(u for method, u, _ in RULES[endpoint] if method == "POST").format(**world)
    clients["admin"].post(
        url, data={"name": "X", "email": "x@example.com", "family_name": "X", "roles": "admin"}
    )
    assert counts() == before
