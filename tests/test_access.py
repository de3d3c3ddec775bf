"""Who may reach what: every route of the app, for every kind of visitor.

A route missing from RULES fails the test, so no page can ship without a decision about access.
"""

import pytest

from .conftest import VISITORS

SIGN_IN = 302  # anonymous visitors are sent to the sign-in page
PUBLIC = dict.fromkeys(VISITORS, 200)
SIGNED_IN = {"anonymous": SIGN_IN} | dict.fromkeys(VISITORS[1:], 200)
ADMIN_ONLY = {"anonymous": SIGN_IN} | dict.fromkeys(VISITORS[1:-1], 403) | {"admin": 200}
STAFF = {
    "anonymous": SIGN_IN,
    "learner": 403,
    "other_learner": 403,
    "assessor": 200,
    "other_assessor": 200,
    "admin": 200,
}
LEARNERS = {
    "anonymous": SIGN_IN,
    "learner": 200,
    "other_learner": 200,
    "assessor": 403,
    "other_assessor": 403,
    "admin": 403,
}
OWN_COHORT_STAFF = STAFF | {"other_assessor": 403}

LEARNER_WORK = {
    "anonymous": SIGN_IN,
    "learner": 302,
    "other_learner": 403,
    "assessor": 403,
    "other_assessor": 403,
    "admin": 403,
}
READERS = {
    "anonymous": SIGN_IN,
    "learner": 200,
    "other_learner": 403,
    "assessor": 200,
    "other_assessor": 200,
    "admin": 200,
}
MODULE = "/learn/BSBCUS403/customers-models-and-standards"
TASKS = "/learn/BSBCUS403/tasks"
ENROLLED = LEARNER_WORK | {"learner": 200}
OWN_CERTIFICATE = {
    "anonymous": SIGN_IN,
    "learner": 200,
    "other_learner": 403,
    "assessor": 403,
    "other_assessor": 403,
    "admin": 200,
}
MARKERS = {
    "anonymous": SIGN_IN,
    "learner": 403,
    "other_learner": 403,
    "assessor": 302,
    "other_assessor": 403,
    "admin": 302,
}
OWN_EVIDENCE = {
    "anonymous": SIGN_IN,
    "learner": 200,
    "other_learner": 403,
    "assessor": 200,
    "other_assessor": 403,
    "admin": 200,
}

# endpoint: [(method, url template, expected status per visitor)]. POSTs carry a valid CSRF token and
# no other data, so the status shows the access decision (or the validation of an allowed request).
RULES = {
    "accounts.home": [("GET", "/", {"anonymous": 200} | dict.fromkeys(VISITORS[1:], 302))],
    "accounts.login": [
        ("GET", "/auth/login", {"anonymous": 200} | dict.fromkeys(VISITORS[1:], 302)),
        ("POST", "/auth/login", {"anonymous": 200} | dict.fromkeys(VISITORS[1:], 302)),
    ],
    "accounts.logout": [("POST", "/auth/logout", dict.fromkeys(VISITORS, 302))],
    "accounts.change_password": [
        ("GET", "/account/password", SIGNED_IN),
        ("POST", "/account/password", SIGNED_IN),
    ],
    "accounts.staff_dashboard": [("GET", "/staff", STAFF)],
    "accounts.cohort": [("GET", "/cohorts/{cohort}", OWN_COHORT_STAFF)],
    "dashboard.dashboard": [("GET", "/admin/", ADMIN_ONLY)],
    "admin.learner_details": [
        ("GET", "/admin/users/{learner}/details", ADMIN_ONLY),
        ("POST", "/admin/users/{learner}/details", ADMIN_ONLY),
    ],
    "admin.export_learner": [("GET", "/admin/users/{learner}/export", ADMIN_ONLY)],
    "admin.retention": [
        ("GET", "/admin/retention", ADMIN_ONLY),
        ("POST", "/admin/retention", ADMIN_ONLY | {"admin": 302}),
    ],
    "accounts.my_details": [("GET", "/account/details", LEARNERS), ("POST", "/account/details", LEARNERS)],
    "records.register": [("GET", "/admin/certificates", ADMIN_ONLY)],
    "records.issue": [("POST", "/admin/certificates/issue", ADMIN_ONLY | {"admin": 302})],
    "records.job": [("GET", "/admin/jobs/{job}", ADMIN_ONLY)],
    "records.certificate": [("GET", "/admin/certificates/{certificate}", ADMIN_ONLY)],
    "records.change": [("POST", "/admin/certificates/{certificate}/revoke", ADMIN_ONLY | {"admin": 302})],
    "records.download": [("GET", "/certificates/{certificate}.pdf", OWN_CERTIFICATE)],
    "records.verify": [("GET", "/verify/{number}", PUBLIC)],
    "records.my_records": [("GET", "/learn/records", LEARNERS)],
    "records.my_results": [("GET", "/learn/records/results.pdf", LEARNERS)],
    "records.results": [("GET", "/admin/users/{learner}/results.pdf", ADMIN_ONLY)],
    "exports.index": [("GET", "/admin/exports", ADMIN_ONLY)],
    "exports.records_csv": [("GET", "/admin/exports/records.csv", ADMIN_ONLY)],
    "exports.avetmiss_zip": [("GET", "/admin/exports/avetmiss", ADMIN_ONLY | {"admin": 422})],
    "admin.users": [("GET", "/admin/users", ADMIN_ONLY)],
    "admin.edit_user": [
        ("GET", "/admin/users/{learner}", ADMIN_ONLY),
        ("POST", "/admin/users/new", ADMIN_ONLY),
    ],
    "admin.cohorts": [("GET", "/admin/cohorts", ADMIN_ONLY)],
    "admin.edit_cohort": [
        ("GET", "/admin/cohorts/{cohort}/edit", ADMIN_ONLY),
        ("POST", "/admin/cohorts/new", ADMIN_ONLY),
    ],
    "admin.enrol": [
        ("GET", "/admin/enrolments/new", ADMIN_ONLY),
        ("POST", "/admin/enrolments/new", ADMIN_ONLY),
    ],
    "errors.health": [("GET", "/health", PUBLIC)],
    "units.catalogue": [("GET", "/units", PUBLIC)],
    "units.unit": [("GET", "/units/BSBCUS403", PUBLIC)],
    "courseware.my_learning": [("GET", "/learn", LEARNERS)],
    "courseware.unit": [("GET", "/learn/BSBCUS403", READERS)],
    "courseware.module": [("GET", MODULE, READERS)],
    "courseware.complete": [("POST", MODULE + "/complete", LEARNER_WORK)],
    "courseware.position": [("POST", MODULE + "/position", LEARNER_WORK | {"learner": 400})],
    # The matrix posts nothing: a learner's blank check is refused (422), never saved.
    "courseware.check": [("POST", MODULE + "/check", LEARNER_WORK | {"learner": 422})],
    "assessments.tasks": [("GET", "/learn/BSBCUS403/tasks", ENROLLED)],
    "assessments.task": [("GET", TASKS + "/knowledge-questions", ENROLLED)],
    "assessments.save": [("POST", TASKS + "/project-holiday-plan", LEARNER_WORK)],
    "assessments.remove_file": [
        ("POST", TASKS + "/project-charter-review/files/{file}/remove", LEARNER_WORK | {"learner": 422})
    ],
    "assessments.receipt": [("GET", "/attempts/{attempt}/receipt", OWN_EVIDENCE)],
    "assessments.evidence": [("GET", "/evidence/{file}", OWN_EVIDENCE)],
    "marking.queue": [("GET", "/marking", STAFF)],
    "marking.attempt": [("GET", "/marking/attempts/{attempt}", OWN_COHORT_STAFF)],
    "marking.release": [("POST", "/marking/attempts/{attempt}", MARKERS | {"assessor": 409, "admin": 409})],
    "marking.revise_item": [
        ("POST", "/marking/attempts/{attempt}/items/a1-charter-monitoring/revise", MARKERS)
    ],
    "evidence.enrolment": [("GET", "/enrolments/{enrolment}", OWN_EVIDENCE)],
    "evidence.outcome": [
        ("POST", "/enrolments/{enrolment}/outcome", MARKERS | {"assessor": 422, "admin": 422})
    ],
    "evidence.reopen_task": [
        (
            "POST",
            "/enrolments/{enrolment}/tasks/project-charter-review/reopen",
            MARKERS | {"assessor": 422, "admin": 422},
        )
    ],
    "audit.trail": [("GET", "/admin/audit", ADMIN_ONLY)],
    "mapping.matrix": [("GET", "/teach/units/BSBCUS403/assessment-map", STAFF)],
    "mapping.matrix_pdf": [("GET", "/teach/units/BSBCUS403/assessment-map.pdf", STAFF)],
    "teach.coverage": [("GET", "/teach/units/BSBCUS403/coverage", STAFF)],
    "teach.cohort_progress": [("GET", "/teach/cohorts/{cohort}/progress", OWN_COHORT_STAFF)],
}


def test_every_route_has_an_access_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints - RULES.keys() == set(), "add these endpoints to RULES"
    assert RULES.keys() - endpoints == set(), "RULES names endpoints that no longer exist"


def test_every_method_of_every_route_is_covered(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static":
            tested = {method for method, _, _ in RULES[rule.endpoint]}
            assert rule.methods - {"HEAD", "OPTIONS"} <= tested, rule.endpoint


@pytest.mark.parametrize("endpoint", sorted(RULES))
def test_route_answers_each_visitor_as_expected(clients, world, endpoint):
    for method, template, expected in RULES[endpoint]:
        url = template.format(**world)
        got = {}
        for visitor in VISITORS:
            token_page = "/auth/login" if visitor == "anonymous" else "/units"
            data = {"csrf_token": clients[visitor].csrf_token(token_page)} if method == "POST" else None
            with clients[visitor].open(url, method=method, data=data) as response:
                got[visitor] = response.status_code
        assert got == expected, (method, url)


def test_anonymous_visitors_are_sent_to_sign_in_with_a_way_back(clients):
    response = clients["anonymous"].get("/admin/users")
    assert response.location.startswith("/auth/login?next=")


# Far beyond any id the database can hold: it must be an ordinary "not found", not a database error.
HUGE = 10**20
IDS = ("attempt", "certificate", "cohort", "enrolment", "file", "job", "learner")


@pytest.mark.parametrize(
    "endpoint", sorted(e for e, rules in RULES.items() if any(f"{{{k}}}" in r[1] for k in IDS for r in rules))
)
def test_an_id_too_large_for_the_database_is_not_found(clients, world, endpoint):
    admin = clients["admin"]
    for method, template, _ in RULES[endpoint]:
        if not any(f"{{{key}}}" in template for key in IDS):
            continue  # the same endpoint's page without an id (/new)
        url = template.format(**world | dict.fromkeys(IDS, HUGE))
        data = {"csrf_token": admin.csrf_token("/units")} if method == "POST" else None
        # werkzeug may answer 405 when the same path takes another method; either way, nothing is found
        assert admin.open(url, method=method, data=data).status_code in (404, 405), (method, url)


@pytest.mark.parametrize(
    "url",
    [
        f"/marking?page={HUGE}",
        f"/marking?cohort={HUGE}",
        f"/marking?page=-{HUGE}",
        f"/admin/audit?page={HUGE}",
        f"/admin/audit?learner={HUGE}",
        f"/admin/users?page={HUGE}",
        f"/admin/certificates?page={HUGE}",
        f"/admin/enrolments/new?cohort={HUGE}",
        f"/admin/exports/records.csv?cohort={HUGE}",
        f"/admin/exports/avetmiss?year={HUGE}",
    ],
)
def test_numbers_too_large_for_the_database_in_a_query_are_ignored(clients, world, url):
    response = clients["admin"].get(url)
    assert response.status_code < 500, (url, response.status_code)
