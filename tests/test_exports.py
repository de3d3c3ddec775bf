"""Competency records as streamed CSV; AVETMISS validated and exported; reporting details; the dashboard."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from sqlalchemy import select

from accounts.models import Enrolment, LearnerProfile, User
from assessments.models import Outcome
from database import db
from records import avetmiss, exports, reporting

YEAR = dt.date.today().year


def test_csv_has_a_row_per_enrolment_with_outcome_and_certificate(app, runner, admin_client, demo):
    runner.invoke(args=["certificates", "issue", "--all-eligible"])
    response = admin_client.get("/admin/exports/records.csv")
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 27
    lucy = next(r for r in rows if r["Learner"] == "Lucy Chen" and r["Unit code"] == "BSBOPS304")
    assert (lucy["Outcome code"], lucy["Outcome"], lucy["Assessor"]) == (
        "20",
        "Competency achieved/pass",
        "Priya Sharma",
    )
    assert lucy["Certificate number"].startswith("0000-") and lucy["Client identifier"] == "C000005"
    noah = next(r for r in rows if r["Learner"] == "Noah Wilson" and r["Unit code"] == "BSBCUS401B")
    assert noah["Outcome code"] == "60"


def test_csv_filters_by_unit_and_cohort(app, admin_client, demo):
    rows = list(
        csv.DictReader(
            io.StringIO(admin_client.get("/admin/exports/records.csv?unit=BSBCUS403").get_data(as_text=True))
        )
    )
    assert len(rows) == 9 and {r["Unit code"] for r in rows} == {"BSBCUS403"}
    rows = list(
        csv.DictReader(
            io.StringIO(admin_client.get("/admin/exports/records.csv?cohort=2").get_data(as_text=True))
        )
    )
    assert {r["Learner"] for r in rows} == {"Zara Ahmed", "Noah Wilson", "Ella Murray"}


def test_csv_is_produced_in_chunks_as_rows_stream(app, demo, monkeypatch):
    monkeypatch.setattr(exports, "BATCH", 5)
    with app.app_context():
        chunks = list(exports.csv_chunks(exports.Filters()))
    assert len(chunks) >= 5  # 27 rows in batches of 5: written as they come, never all at once
    assert sum(chunk.count("\n") for chunk in chunks) == 28


def test_csv_command_writes_the_file(runner, demo, tmp_path):
    out = tmp_path / "records.csv"
    result = runner.invoke(args=["export", "csv", "--out", str(out), "--unit", "BSBOPS304"])
    assert result.exit_code == 0 and len(out.read_text().splitlines()) == 10


def test_avetmiss_export_succeeds_on_the_demo(runner, demo, tmp_path):
    year = YEAR
    out = tmp_path / "nat"
    result = runner.invoke(args=["export", "avetmiss", "--year", str(year), "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"NAT000{n}.txt" for n in ("10", "20", "30", "60", "80", "85", "90")] + [
        "NAT00100.txt",
        "NAT00120.txt",
        "NAT00130.txt",
        f"avetmiss-{year}.zip",
    ]
    activity = (out / "NAT00120.txt").read_bytes().split(b"\r\n")
    assert len([line for line in activity if line]) == 27
    credit = next(line for line in activity if line[20:30].strip() == b"C000008" and b"BSBCUS401B" in line)
    assert credit[68:71] == b"NNN" and credit[71:73] == b"60"  # credit transfer: delivery mode NNN


def test_the_activity_file_alone_is_written_as_in_the_whole_export(
    app, runner, demo, tmp_path, count_queries
):
    whole, alone = tmp_path / "whole", tmp_path / "alone"
    runner.invoke(args=["export", "avetmiss", "--year", str(YEAR), "--out", str(whole)])
    with count_queries() as statements:
        result = runner.invoke(
            args=["export", "avetmiss", "--year", str(YEAR), "--out", str(alone), "--only", "NAT00120"]
        )
    assert result.exit_code == 0, result.output
    assert f"Wrote NAT00120 (27 records) for {YEAR}" in result.output and "export all ten" in result.output
    assert [p.name for p in alone.iterdir()] == ["NAT00120.txt"]  # no zip: not a submission
    assert (alone / "NAT00120.txt").read_bytes() == (whole / "NAT00120.txt").read_bytes()
    reads = [statement for statement in statements if statement.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 2 and not any("date_of_birth" in statement for statement in reads)  # no learners


def test_the_activity_file_alone_still_refuses_a_bad_activity(app, runner, admin_client, demo, tmp_path):
    with app.app_context():
        enrolment = db.session.scalars(select(Enrolment).where(Enrolment.learner_id == demo["mia"])).first()
        enrolment.funding_source = "99"
        db.session.get(LearnerProfile, demo["mia"]).postcode = "ABCD"  # in the client files, not checked
        db.session.commit()
    out = tmp_path / "alone"
    result = runner.invoke(
        args=["export", "avetmiss", "--year", str(YEAR), "--out", str(out), "--only", "NAT00120"]
    )
    assert result.exit_code == 1 and not out.exists()
    assert "Mia Thompson" not in result.output  # the client file is not read, so no name either
    assert "NAT00120" in result.output and "Funding source" in result.output
    assert "Postcode" not in result.output
    page = admin_client.get(f"/admin/exports/avetmiss?year={YEAR}&file=NAT00120")
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and "Funding source" in text and "Postcode" not in text
    assert f"year={YEAR}&amp;file=NAT00120&amp;force=yes" in text  # forcing keeps to the one file
    forced = admin_client.get(f"/admin/exports/avetmiss?year={YEAR}&file=NAT00120&force=yes")
    assert zipfile.ZipFile(io.BytesIO(forced.data)).namelist() == ["NAT00120.txt"]


def test_avetmiss_refuses_invalid_records_naming_the_learner_and_field(app, runner, demo, tmp_path):
    with app.app_context():
        profile = db.session.get(LearnerProfile, demo["mia"])
        profile.usi, profile.street_name, profile.postal_delivery_box = "7QRP3KV394", "", ""
        db.session.commit()
    out = tmp_path / "nat"
    result = runner.invoke(args=["export", "avetmiss", "--year", str(YEAR), "--out", str(out)])
    assert result.exit_code == 1
    assert "Mia Thompson" in result.output and "Unique student identifier" in result.output
    assert "Address street name" in result.output
    assert not out.exists()  # nothing written
    forced = runner.invoke(args=["export", "avetmiss", "--year", str(YEAR), "--out", str(out), "--force"])
    assert forced.exit_code == 1 and (out / "NAT00080.txt").exists()


def test_avetmiss_reads_each_learner_once_for_their_four_files(app, demo, count_queries):
    with app.app_context():
        mia = db.session.get(LearnerProfile, demo["mia"])
        mia.disability_flag, mia.disability_types = "Y", ["11", "17"]
        mia.prior_education_flag, mia.prior_achievements = "Y", ["524"]
        # Lists left from an earlier answer are not reported while the learner's flag says N.
        lucy = db.session.get(LearnerProfile, demo["lucy"])
        lucy.disability_flag, lucy.disability_types = "N", ["12"]
        client_id = mia.client_id
        db.session.commit()
    with count_queries() as statements, app.app_context():
        submission = reporting.submission(YEAR, app.config)
        with avetmiss.spooled(submission, force=False) as (spool, report):
            files = spool.contents()
    reads = [statement for statement in statements if statement.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 3  # the year's units, its learners (each once, for four files), its activities
    assert files["NAT00090.txt"] == f"{client_id:<10}11\r\n{client_id:<10}17\r\n".encode()
    assert files["NAT00100.txt"] == f"{client_id:<10}524\r\n".encode()
    assert report.records["NAT00080"] == report.records["NAT00085"] == 9


def test_an_activity_is_in_a_year_by_its_latest_outcome_and_a_unit_by_its_activities(app, demo):
    with app.app_context():
        # Every BSBCUS401B enrolment ended last year; then one of them is decided again, ending this year.
        enrolments = db.session.scalars(select(Enrolment).where(Enrolment.unit_code == "BSBCUS401B")).all()
        last_year = dt.date(YEAR - 1, 6, 30)
        for enrolment in enrolments:
            enrolment.start_date = dt.date(YEAR - 1, 2, 1)
            db.session.add(
                Outcome(enrolment_id=enrolment.id, code="20", decided_by_id=demo["priya"], end_date=last_year)
            )
        db.session.commit()
        activities = reporting.submission(YEAR, app.config).training_activities
        assert "BSBCUS401B" not in [a.subject_id for a in activities]
        assert [s.identifier for s in reporting.submission(YEAR, app.config).subjects] == [
            "BSBCUS403",
            "BSBOPS304",
        ]
        assert "BSBCUS401B" in [s.identifier for s in reporting.submission(YEAR - 1, app.config).subjects]
        redecided = dt.date(YEAR, 3, 1)
        db.session.add(
            Outcome(enrolment_id=enrolments[0].id, code="20", decided_by_id=demo["priya"], end_date=redecided)
        )
        db.session.commit()
        submission = reporting.submission(YEAR, app.config)
        assert [
            (a.subject_id, a.end_date) for a in submission.training_activities if a.subject_id == "BSBCUS401B"
        ] == [("BSBCUS401B", redecided)]
        assert "BSBCUS401B" in [s.identifier for s in submission.subjects]


def test_admin_downloads_the_avetmiss_zip_or_sees_the_problems(app, admin_client, demo):
    response = admin_client.get(f"/admin/exports/avetmiss?year={YEAR}")
    assert response.mimetype == "application/zip"
    assert len(zipfile.ZipFile(io.BytesIO(response.data)).namelist()) == 10
    with app.app_context():
        db.session.get(LearnerProfile, demo["mia"]).postcode = "ABCD"
        db.session.commit()
    problems = admin_client.get(f"/admin/exports/avetmiss?year={YEAR}")
    assert problems.status_code == 422 and "Postcode" in problems.get_data(as_text=True)
    assert "Download anyway" in problems.get_data(as_text=True)


def test_admin_downloads_one_nat_file_alone_or_is_told_which_files_there_are(admin_client, demo):
    whole = zipfile.ZipFile(io.BytesIO(admin_client.get(f"/admin/exports/avetmiss?year={YEAR}").data))
    response = admin_client.get(f"/admin/exports/avetmiss?year={YEAR}&file=NAT00120")
    assert f"filename=avetmiss-{YEAR}-NAT00120.zip" in response.headers["Content-Disposition"]
    alone = zipfile.ZipFile(io.BytesIO(response.data))
    assert alone.namelist() == ["NAT00120.txt"] and alone.read("NAT00120.txt") == whole.read("NAT00120.txt")
    page = admin_client.get("/admin/exports").get_data(as_text=True)
    assert '<option value="NAT00120">NAT00120 training activity only</option>' in page
    refused = admin_client.get(f"/admin/exports/avetmiss?year={YEAR}&file=NAT00999", follow_redirects=True)
    assert refused.request.path == "/admin/exports"
    assert "Choose all ten NAT files, or one of them by its name" in refused.get_data(as_text=True)


@pytest.mark.parametrize("year", ["99999", "1900", str(YEAR + 2)])
def test_a_year_outside_the_collections_is_refused_with_a_message(admin_client, year):
    response = admin_client.get(f"/admin/exports/avetmiss?year={year}", follow_redirects=True)
    assert response.request.path == "/admin/exports"
    assert f"Choose a collection year from 2015 to {YEAR + 1}." in response.get_data(as_text=True)


def test_a_value_that_cannot_be_written_is_refused_even_when_forced(
    app, runner, admin_client, demo, tmp_path
):
    with app.app_context():
        db.session.get(User, demo["mia"]).family_name = "汤普森"  # no ASCII spelling: never guessed or cut
        db.session.commit()
    forced = admin_client.get(f"/admin/exports/avetmiss?year={YEAR}&force=yes")
    page = forced.get_data(as_text=True)
    assert forced.status_code == 422 and "cannot be written in ASCII" in page and "Mia" in page
    assert "Download anyway" not in page and "no download until they are fixed" in page
    out = tmp_path / "nat"
    result = runner.invoke(args=["export", "avetmiss", "--year", str(YEAR), "--out", str(out), "--force"])
    assert result.exit_code == 1 and "cannot be written in ASCII" in result.output
    assert "--force cannot write" in result.output and not out.exists()


def test_learner_gives_reporting_details_with_national_codes(app, client, cohort, learner):
    client.login("learner@example.com")
    page = client.get("/account/details").get_data(as_text=True)
    assert "Not stated" in page and "Torres Strait Islander" in page
    bad = client.submit(
        "/account/details",
        {"suburb": "Parramatta", "postcode": "21500", "street_name": "", "disability_flag": "Y"},
    )
    text = bad.get_data(as_text=True)
    assert "Four digits, or OSPC" in text and "Give a street name" in text and "Choose at least one" in text
    data = {
        "suburb": "Parramatta",
        "postcode": "2150",
        "state": "01",
        "street_number": "14",
        "street_name": "Wattle Street",
        "gender": "F",
        "indigenous_status": "4",
        "country_of_birth": "1101",
        "language": "1201",
        "labour_force_status": "02",
        "highest_school_level": "12",
        "at_school": "N",
        "disability_flag": "Y",
        "disability_types": ["11", "17"],
        "prior_education_flag": "N",
    }
    assert client.submit("/account/details", data).status_code == 302
    with app.app_context():
        profile = db.session.get(LearnerProfile, learner)
        assert (profile.postcode, profile.disability_types, profile.survey_contact_status) == (
            "2150",
            ["11", "17"],
            "A",
        )


def test_dashboard_shows_outcomes_due_and_weak_requirements(app, admin_client, demo):
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "certificates due" in page
    assert "BSBCUS403 PC" in page  # Sam's Not Yet Satisfactory items show where teaching can improve
    assert "Priya Sharma" in page  # marking turnaround per assessor
    with app.app_context():
        learners = db.session.scalar(select(db.func.count()).where(User.is_learner))
    assert f"<strong>{learners}</strong> learners" in page


@pytest.mark.parametrize("url", ["/admin/exports", "/admin/exports/records.csv", "/admin/exports/avetmiss"])
def test_exports_are_for_administrators_only(app, client, cohort, url):
    client.login("assessor@example.com")
    assert client.get(url).status_code == 403


def test_csv_is_named_for_the_date_in_the_rtos_time_zone(app, admin_client, demo, monkeypatch):
    # 13:05 UTC on 24 November is five past midnight on 25 November in Sydney (AEDT, UTC+11).
    just_after_midnight = dt.datetime(2025, 11, 24, 13, 5, tzinfo=dt.UTC)
    monkeypatch.setattr("database.utcnow", lambda: just_after_midnight)
    assert app.config["TIMEZONE"] == "Australia/Sydney"
    response = admin_client.get("/admin/exports/records.csv")
    assert 'filename="competency-records-2025-11-25.csv"' in response.headers["Content-Disposition"]
    response.close()
    # New Year's Day in Sydney while it is still the old year in UTC: the year is Sydney's.
    monkeypatch.setattr("database.utcnow", lambda: dt.datetime(2030, 12, 31, 13, 30, tzinfo=dt.UTC))
    page = admin_client.get("/admin/exports").get_data(as_text=True)
    assert 'id="year" name="year" value="2031"' in page


@pytest.mark.parametrize(
    ("hours", "shown"),
    [
        (0, "under 1 min"),
        (0.01, "under 1 min"),
        (0.05, "3 min"),
        (0.995, "1.0 h"),
        (1.25, "1.2 h"),
        (30, "30.0 h"),
    ],
)
def test_turnaround_reads_well_however_small(hours, shown):
    from records.reports import Hours

    assert str(Hours(hours)) == shown and Hours(hours) == hours  # the chart still draws the number


def test_dashboard_turnaround_shows_minutes_not_zero_hours(app, admin_client, demo):
    from assessments.models import Attempt, Marking

    with app.app_context():
        for marking, submitted in db.session.execute(
            select(Marking, Attempt.submitted_at).join(Attempt, Attempt.id == Marking.attempt_id)
        ):
            marking.decided_at = submitted + dt.timedelta(minutes=25)
        db.session.commit()
    page = admin_client.get("/admin/").get_data(as_text=True)
    figure = page[
        page.index('id="turnaround-caption"') : page.index("</figure>", page.index("turnaround-caption"))
    ]
    assert "Priya Sharma" in figure and "25 min" in figure
    assert "0.0 h" not in figure and "0.4 h" not in figure
