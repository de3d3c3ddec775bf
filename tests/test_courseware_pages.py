"""Learners work through modules; trainers see coverage and progress."""

import datetime as dt
import re

from sqlalchemy import select

from accounts import people
from accounts.models import Cohort, User
from content import default_content
from courseware.models import CheckAttempt, ModuleProgress
from courseware.progress import VISIT_REFRESH
from database import db

UNIT = "BSBOPS304"


def modules():
    return default_content().library.modules(UNIT)


def first_module_url():
    return f"/learn/{UNIT}/{modules()[0].id}"


def signed_in_learner(client, cohort):
    client.login("learner@example.com")
    return client


def progress_rows(app, learner):
    with app.app_context():
        return db.session.scalars(select(ModuleProgress).where(ModuleProgress.learner_id == learner)).all()


def test_my_learning_lists_enrolled_units_with_progress(client, cohort):
    page = signed_in_learner(client, cohort).get("/learn").get_data(as_text=True)
    for code in ("BSBOPS304", "BSBCUS403", "BSBCUS401B"):
        assert f'href="/learn/{code}"' in page
    assert page.count("0% complete") == 3
    assert "Start learning" in page


def test_unit_page_lists_modules_with_status_and_time(client, cohort):
    page = signed_in_learner(client, cohort).get(f"/learn/{UNIT}").get_data(as_text=True)
    for module in modules():
        assert module.title.replace("&", "&amp;") in page
        assert f"about {module.meta.minutes} minutes" in page
    assert page.count("Not started") == len(modules())


def test_module_page_has_contents_chips_and_navigation(client, cohort):
    module = modules()[0]
    page = signed_in_learner(client, cohort).get(first_module_url()).get_data(as_text=True)
    for section in module.sections:
        assert f'href="#{section.id}"' in page
    pc = default_content().catalogue[UNIT].requirements_by_id[module.sections[0].covers[0]]
    assert f'<summary><span class="visually-hidden">Covers </span>{pc.label}</summary>' in page
    assert pc.text in page  # the official wording, revealed on request
    assert f'href="/learn/{UNIT}/{modules()[1].id}" rel="next"' in page
    assert 'rel="prev"' not in page


def test_visiting_then_completing_moves_progress(app, client, cohort, learner):
    signed_in_learner(client, cohort)
    client.get(first_module_url())
    assert [r.status for r in progress_rows(app, learner)] == ["in_progress"]
    assert "In progress" in client.get(f"/learn/{UNIT}").get_data(as_text=True)
    response = client.submit(f"{first_module_url()}/complete", {"complete": "1"}, page=first_module_url())
    assert response.location == f"/learn/{UNIT}/{modules()[1].id}"  # on to the next module
    percent = round(100 / len(modules()))
    assert f"{percent}% complete" in client.get("/learn").get_data(as_text=True)
    client.submit(f"{first_module_url()}/complete", {"complete": "0"}, page=first_module_url())
    assert [r.status for r in progress_rows(app, learner)] == ["in_progress"]


def test_progress_survives_signing_out(client, cohort):
    signed_in_learner(client, cohort)
    client.submit(f"{first_module_url()}/complete", {"complete": "1"}, page=first_module_url())
    client.logout()
    client.login("learner@example.com")
    assert "Complete" in client.get(f"/learn/{UNIT}").get_data(as_text=True)


def test_resume_where_i_left_off(client, cohort):
    module = modules()[1]
    url = f"/learn/{UNIT}/{module.id}"
    signed_in_learner(client, cohort)
    section = module.sections[2].id
    assert client.submit(f"{url}/position", {"section": section}, page=url).status_code == 204
    page = client.get("/learn").get_data(as_text=True)
    assert f'href="{url}#{section}"' in page and "Continue where you left off" in page
    assert client.submit(f"{url}/position", {"section": "nonsense"}, page=url).status_code == 400


def test_resume_follows_the_learner_back_to_an_earlier_module(client, cohort):
    first, second = (f"/learn/{UNIT}/{m.id}" for m in modules()[:2])
    signed_in_learner(client, cohort)

    def resume() -> str:
        page = client.get("/learn").get_data(as_text=True)
        button = rf'<a role="button" href="([^"#]+)[^"]*">[^<]+<span class="visually-hidden"> in {UNIT}<'
        return re.search(button, page).group(1)

    for url in (first, second, first):
        assert client.get(url).status_code == 200
        assert resume() == url


def test_rereading_a_module_records_the_visit_only_when_it_is_stale(app, client, cohort, learner):
    module = modules()[0]
    signed_in_learner(client, cohort)

    def seen_at():
        with app.app_context():
            return db.session.scalar(
                select(ModuleProgress.seen_at).filter_by(learner_id=learner, module_id=module.id)
            )

    client.get(first_module_url())
    recorded = seen_at()
    client.get(first_module_url())
    assert seen_at() == recorded  # read again at once: nothing written
    with app.app_context():
        row = db.session.scalar(select(ModuleProgress).filter_by(learner_id=learner, module_id=module.id))
        row.seen_at = recorded - VISIT_REFRESH - dt.timedelta(seconds=1)
        db.session.commit()
    client.get(first_module_url())
    assert seen_at() > recorded - VISIT_REFRESH


def test_knowledge_check_is_marked_instantly_and_attempts_kept(app, client, cohort, learner):
    module = modules()[0]
    url = first_module_url()
    signed_in_learner(client, cohort)
    right = {}
    for q in module.meta.check:
        if q.type == "single":
            right[f"q-{q.id}"] = str(q.answer)
        elif q.type == "multiple":
            right[f"q-{q.id}"] = [str(a) for a in q.answer]
        elif q.type == "truefalse":
            right[f"q-{q.id}"] = "true" if q.answer else "false"
        else:
            right[f"q-{q.id}"] = "My own words about it."
    response = client.submit(f"{url}/check", right, page=url, follow_redirects=True)
    page = response.get_data(as_text=True)
    marked = sum(q.type != "text" for q in module.meta.check)
    assert f"<strong>{marked} of {marked}</strong>" in page
    assert "My own words about it." in page and "Sample answer" in page
    question = next(q for q in module.meta.check if q.type == "single")
    client.submit(
        f"{url}/check", {f"q-{question.id}": str((question.answer + 1) % len(question.options))}, page=url
    )
    with app.app_context():
        attempts = db.session.scalars(select(CheckAttempt).where(CheckAttempt.learner_id == learner)).all()
    assert [(a.right, a.out_of) for a in attempts] == [(marked, marked), (0, marked)]
    assert "attempt 2" in client.get(url).get_data(as_text=True)


def test_a_blank_knowledge_check_is_refused_and_gives_nothing_away(app, client, cohort, learner):
    url = first_module_url()
    signed_in_learner(client, cohort)
    response = client.submit(f"{url}/check", {}, page=url)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Answer at least one question, then check your answers. Nothing was saved." in page
    assert "Sample answer" not in page and "check-results" not in page
    assert f'action="{url}/check#check"' in page  # the browser comes back to the form and its message
    with app.app_context():
        assert db.session.scalars(select(CheckAttempt)).all() == []
    assert "Your answers (attempt" not in client.get(url).get_data(as_text=True)


def test_completing_a_module_says_so_on_the_next_page(client, cohort):
    url = first_module_url()
    signed_in_learner(client, cohort)
    page = client.submit(f"{url}/complete", {"complete": "1"}, page=url, follow_redirects=True)
    assert page.request.path == f"/learn/{UNIT}/{modules()[1].id}"
    assert '<p class="flash flash-success" role="status">Module marked complete.</p>' in page.get_data(
        as_text=True
    )
    last = f"/learn/{UNIT}/{modules()[-1].id}"
    page = client.submit(f"{last}/complete", {"complete": "1"}, page=last, follow_redirects=True)
    assert page.request.path == f"/learn/{UNIT}" and "Module marked complete." in page.get_data(as_text=True)


def test_wrong_answers_show_the_explanation(client, cohort):
    module = modules()[0]
    question = next(q for q in module.meta.check if q.type == "single")
    wrong = str((question.answer + 1) % len(question.options))
    signed_in_learner(client, cohort)
    page = client.submit(
        f"{first_module_url()}/check",
        {f"q-{question.id}": wrong},
        page=first_module_url(),
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Not quite" in page
    assert re.sub(r"\s+", " ", question.feedback)[:40] in re.sub(r"\s+", " ", page)


def test_unenrolled_learner_gets_403(app, client, make_user):
    other = make_user("learner", "stranger@example.com")
    with app.app_context():
        people.enrol(db.session.get(User, other), "BSBCUS403", None)
        db.session.commit()
    client.login("stranger@example.com")
    assert client.get("/learn/BSBCUS403").status_code == 200
    assert client.get(f"/learn/{UNIT}").status_code == 403
    assert client.get(first_module_url()).status_code == 403
    assert (
        client.submit(f"{first_module_url()}/complete", {"complete": "1"}, page="/learn").status_code == 403
    )


def test_unknown_unit_or_module_is_404(client, cohort):
    signed_in_learner(client, cohort)
    assert client.get("/learn/NOPE123").status_code == 404
    assert client.get(f"/learn/{UNIT}/no-such-module").status_code == 404


def test_staff_preview_records_no_progress(app, client, cohort, assessor):
    client.login("assessor@example.com")
    page = client.get(first_module_url()).get_data(as_text=True)
    assert "Preview" in page and "Mark as complete" not in page
    with app.app_context():
        assert db.session.scalar(select(ModuleProgress)) is None


def test_the_reading_is_rendered_once_and_the_readers_own_parts_every_time(app, client, cohort, assessor):
    module = modules()[0]
    learner_page = signed_in_learner(client, cohort).get(first_module_url()).get_data(as_text=True)
    learner_token = re.search(r'name="csrf_token" value="([^"]+)"', learner_page)[1]
    client.logout()
    client.login("assessor@example.com")
    preview = client.get(first_module_url()).get_data(as_text=True)
    kept = app.extensions["module_reading_parts"]
    assert len(kept) == 1  # both readers were served the one rendering of this module
    (parts,) = kept.values()
    for name in ("contents", "reading"):
        assert str(parts[name]) in learner_page and str(parts[name]) in preview
    assert str(parts["questions"]) in learner_page and "Check my answers" not in preview
    assert module.sections[-1].title.replace("&", "&amp;") in str(parts["reading"])
    assert learner_token not in preview  # the form and its token are the reader's own, never kept
    assert "Preview" in preview and "Preview" not in learner_page


def test_module_page_query_count_does_not_grow_with_data(app, client, cohort, learner, count_queries):
    signed_in_learner(client, cohort)
    url = first_module_url()
    client.get(url)
    with count_queries() as few:
        client.get(url)
    with app.app_context():  # many learners, much progress, many attempts
        group = db.session.get(Cohort, cohort)
        for n in range(30):
            other = people.create_user(f"busy{n}@example.com", "Busy", "Bee", ("learner",), "x" * 16)
            people.enrol(other, UNIT, group)
            for module in modules():
                db.session.add(ModuleProgress(learner_id=other.id, unit_code=UNIT, module_id=module.id))
        for _ in range(20):
            db.session.add(
                CheckAttempt(
                    learner_id=learner,
                    unit_code=UNIT,
                    module_id=modules()[0].id,
                    answers={},
                    right=0,
                    out_of=5,
                )
            )
        db.session.commit()
    with count_queries() as many:
        client.get(url)
    assert len(few) == len(many) <= 7, "\n".join(many)


def test_trainer_sees_the_coverage_matrix(client, cohort, assessor):
    client.login("assessor@example.com")
    page = client.get(f"/teach/units/{UNIT}/coverage").get_data(as_text=True)
    unit = default_content().catalogue[UNIT]
    for pc in unit.criteria:
        assert pc.text in page
    assert "Gap:" not in page


def test_trainer_sees_cohort_progress(client, cohort, assessor):
    learner_client = client.application.test_client()
    learner_client.login("learner@example.com")
    learner_client.submit(f"{first_module_url()}/complete", {"complete": "1"}, page=first_module_url())
    client.login("assessor@example.com")
    page = client.get(f"/teach/cohorts/{cohort}/progress").get_data(as_text=True)
    assert "Pat Learner" in page or "Learner" in page
    assert f"1/{len(modules())} modules" in page


def test_while_templates_reload_the_reading_is_rendered_afresh(app, client, cohort):
    app.jinja_env.auto_reload = True  # as under `flask run --debug`
    signed_in_learner(client, cohort).get(first_module_url())
    kept = app.extensions["module_reading_parts"]
    (first,) = kept.values()
    client.get(first_module_url())
    (second,) = kept.values()
    assert second is not first
