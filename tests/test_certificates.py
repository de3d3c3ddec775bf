"""Statements of Attainment: content, PDF/A, gates, the register's lifecycle, verification, the clock."""

import datetime as dt
import hashlib
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from accounts.models import Enrolment, LearnerProfile, User
from assessments.models import Outcome
from audit.models import AuditEvent
from database import db, utcnow
from records.models import Certificate, Job
from storage import LocalStore

STATEMENT = (
    "A statement of attainment is issued by a Registered Training Organisation when an individual has "
    "completed one or more accredited units"
)


def issue_via_page(client, learner_id):
    return client.submit("/admin/certificates/issue", {"learner_id": learner_id}, page="/admin/certificates")


def stored_pdf(app, number) -> bytes:
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.number == number))
        with LocalStore(app.config["CERTIFICATE_DIR"]).open(certificate.stored_name) as handle:
            return handle.read()


def pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def issued_number(app, learner_id) -> str:
    with app.app_context():
        return db.session.scalar(select(Certificate.number).where(Certificate.learner_id == learner_id))


def test_statement_of_attainment_has_every_required_element(app, admin_client, demo):
    response = issue_via_page(admin_client, demo["lucy"])
    assert response.status_code == 302
    number = issued_number(app, demo["lucy"])
    data = stored_pdf(app, number)
    text = pdf_text(data)
    for required in (
        "Statement of Attainment",
        "Demonstration Training Institute",
        "RTO 0000",
        "Lucy Chen",
        "BSBOPS304",
        "Deliver and monitor a service to customers",
        STATEMENT,
        number,
        "Alex Morgan",
        "Chief Executive Officer",
        f"/verify/{number}",
    ):
        assert required in text, required
    assert re.search(r"Date of issue: \d{1,2} \w+ 20\d\d", text)
    with app.app_context():
        usi = db.session.get(LearnerProfile, demo["lucy"]).usi
    assert usi not in text and usi.encode() not in data  # never the USI
    assert "AQF" not in text


def test_pdf_is_archival_with_embedded_fonts(app, admin_client, demo):
    issue_via_page(admin_client, demo["lucy"])
    reader = PdfReader(io.BytesIO(stored_pdf(app, issued_number(app, demo["lucy"]))))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp  # PDF/A-3b
    assert reader.trailer["/Root"]["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts.append(any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert fonts and all(fonts)


def test_stored_hash_matches_the_file_and_the_audit_trail(app, admin_client, demo):
    issue_via_page(admin_client, demo["lucy"])
    number = issued_number(app, demo["lucy"])
    data = stored_pdf(app, number)
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.number == number))
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.issued"))
        assert hashlib.sha256(data).hexdigest() == certificate.sha256 == event.after["sha256"]
        assert event.after["number"] == number


def test_unverified_usi_blocks_issue_with_a_clear_reason_and_nothing_is_issued(app, admin_client, demo):
    response = issue_via_page(admin_client, demo["ben"])
    page = admin_client.get(response.location).get_data(as_text=True)
    assert "Nothing was issued to Benjamin Harris" in page and "USI has not been verified" in page
    with app.app_context():
        assert db.session.scalar(select(Certificate).where(Certificate.learner_id == demo["ben"])) is None
        db.session.get(LearnerProfile, demo["ben"]).usi_exemption = "INDIV"  # an exemption is recorded
        db.session.commit()
    issue_via_page(admin_client, demo["ben"])
    assert issued_number(app, demo["ben"])


def test_units_without_a_certifiable_outcome_are_not_issued(app, admin_client, demo):
    response = issue_via_page(admin_client, demo["jordan"])  # still learning
    assert "No unit has an outcome that allows certification" in admin_client.get(response.location).get_data(
        as_text=True
    )


def test_register_lifecycle_issue_revoke_reissue_and_verification(app, client, admin_client, demo):
    issue_via_page(admin_client, demo["lucy"])
    number = issued_number(app, demo["lucy"])
    page = client.get(f"/verify/{number}").get_data(as_text=True)
    assert "Valid." in page and "Lucy Chen" in page and "BSBOPS304" in page
    with app.app_context():
        profile = db.session.get(LearnerProfile, demo["lucy"])
        private = [
            profile.usi,
            profile.client_id,
            profile.street_name,
            profile.date_of_birth.strftime("%d/%m/%Y"),
            "lucy.chen@example.com",
        ]
        first = db.session.scalar(select(Certificate.id).where(Certificate.number == number))
    assert not any(value in page for value in private)  # nothing else personal

    with app.app_context():
        db.session.get(User, demo["lucy"]).family_name = "Chen-Walker"
        db.session.commit()
    admin_client.submit(
        f"/admin/certificates/{first}/reissue",
        {"reason": "Name changed by marriage"},
        page=f"/admin/certificates/{first}",
    )
    with app.app_context():
        versions = db.session.scalars(
            select(Certificate).where(Certificate.number == number).order_by(Certificate.version)
        ).all()
        assert [(v.version, v.status) for v in versions] == [(1, "replaced"), (2, "valid")]
        second = versions[1].id
    assert "Lucy Chen-Walker" in pdf_text(stored_pdf_version(app, second))
    assert "Lucy Chen-Walker" in client.get(f"/verify/{number}").get_data(as_text=True)

    missing = admin_client.submit(
        f"/admin/certificates/{second}/revoke",
        {"reason": " ", "confirm": "yes"},
        page=f"/admin/certificates/{second}",
        follow_redirects=True,
    )
    assert "Give the reason" in missing.get_data(as_text=True)
    admin_client.submit(
        f"/admin/certificates/{second}/revoke",
        {"reason": "Issued in error", "confirm": "yes"},
        page=f"/admin/certificates/{second}",
    )
    page = client.get(f"/verify/{number}").get_data(as_text=True)
    assert "Revoked." in page
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("certificate.%"))
        ).all()
    assert actions == ["certificate.issued", "certificate.reissued", "certificate.revoked"]


def stored_pdf_version(app, certificate_id) -> bytes:
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        with LocalStore(app.config["CERTIFICATE_DIR"]).open(certificate.stored_name) as handle:
            return handle.read()


@pytest.mark.parametrize("number", ["0000-2026-999999-5", "not-a-number", "0000-2026-000001-0"])
def test_unknown_certificates_are_reported_as_unknown(client, number):
    response = client.get(f"/verify/{number}")
    assert response.status_code == 404 and "no certificate with this number" in response.get_data(
        as_text=True
    )


def test_verification_is_rate_limited(client):
    statuses = [client.get("/verify/0000-2026-000001-1").status_code for _ in range(32)]
    assert statuses[-1] == 429 and 404 in statuses


def test_learner_downloads_their_own_certificate_and_no_one_elses(app, admin_client, demo):
    issue_via_page(admin_client, demo["lucy"])
    with app.app_context():
        certificate_id = db.session.scalar(select(Certificate.id))
    lucy, ben = app.test_client(), app.test_client()
    lucy.login("lucy.chen@example.com", "demo-learner-pass")
    ben.login("ben.harris@example.com", "demo-learner-pass")
    assert "Download PDF" in lucy.get("/learn/records").get_data(as_text=True)
    with lucy.get(f"/certificates/{certificate_id}.pdf") as response:
        assert response.data.startswith(b"%PDF") and response.headers["Content-Disposition"].startswith(
            "attachment"
        )
    assert ben.get(f"/certificates/{certificate_id}.pdf").status_code == 403


def test_record_of_results_lists_every_unit_and_no_nrt_logo(app, demo):
    lucy = app.test_client()
    lucy.login("lucy.chen@example.com", "demo-learner-pass")
    response = lucy.get("/learn/records/results.pdf")
    text = pdf_text(response.data)
    assert "Record of Results" in text and "Lucy Chen" in text
    for code in ("BSBOPS304", "BSBCUS403", "BSBCUS401B"):
        assert code in text
    assert "Competency achieved/pass" in text and "In progress" in text
    assert "Nationally Recognised" not in text


def test_cli_issues_all_eligible_printing_number_and_path(app, runner, demo):
    result = runner.invoke(args=["certificates", "issue", "--all-eligible"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 2  # Lucy (Competent) and Noah (credit transfer); Ben waits for his USI
    for line in lines:
        number, path = line.split(" ", 1)
        assert re.fullmatch(r"0000-\d{4}-\d{6}-\d", number) and Path(path).read_bytes()[:4] == b"%PDF"
    again = runner.invoke(args=["certificates", "issue", "--all-eligible"])
    assert again.stdout.strip() == ""  # nothing twice


def test_cli_issues_for_one_enrolment(app, runner, demo):
    with app.app_context():
        enrolment = db.session.scalar(
            select(Enrolment.id).filter_by(learner_id=demo["lucy"], unit_code="BSBOPS304")
        )
    result = runner.invoke(args=["certificates", "issue", "--enrolment", str(enrolment)])
    assert result.exit_code == 0 and result.stdout.count("0000-") == 1
    refused = runner.invoke(args=["certificates", "issue", "--enrolment", str(enrolment)])
    assert refused.exit_code == 1 and "No unit has an outcome" in refused.output


def test_bulk_issue_runs_as_a_job_with_progress(app, admin_client, demo):
    app.config["JOB_RUNNER"] = "inline"
    response = admin_client.submit("/admin/certificates/issue", {}, page="/admin/certificates")
    assert "/admin/jobs/" in response.location
    progress = admin_client.get(response.location, headers={"Accept": "application/json"}).get_json()
    assert progress["status"] == "done" and progress["percent"] == 100 and progress["total"] == 2
    assert progress["result"] == "2 issued."
    assert not any("Benjamin Harris" in m for m in progress["messages"])  # never tried: not eligible
    page = admin_client.get(response.location).get_data(as_text=True)
    assert "Finished: 2 issued." in page and "2 of 2 done" not in page
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Certificate)) == 2
        assert db.session.scalar(select(Job.status)) == "done"
    register = admin_client.get("/admin/certificates").get_data(as_text=True)
    assert "Benjamin Harris" in register and "Issue to everyone eligible" not in register


def test_register_offers_to_issue_only_what_the_issuing_rules_accept(app, admin_client, demo):
    page = admin_client.get("/admin/certificates").get_data(as_text=True)
    assert "Issue to everyone eligible (2 learners)" in page  # Lucy and Noah; Ben waits for his USI
    assert '<span class="visually-hidden"> to Lucy Chen</span>' in page
    assert '<span class="visually-hidden"> to Noah Wilson</span>' in page
    assert "to Benjamin Harris</span>" not in page  # no Issue button that can only fail
    row = page[
        page.index("<td>Benjamin Harris</td>") : page.index("</tr>", page.index("<td>Benjamin Harris"))
    ]
    assert "Not ready: USI not verified" in row
    assert f'href="/admin/users/{demo["ben"]}"' in row and "Verify it, or record an exemption" in row
    assert "1 learner is not ready yet: their row says what is needed first." in page

    with app.app_context():
        db.session.get(LearnerProfile, demo["ben"]).usi_exemption = "INDIV"
        db.session.commit()
    page = admin_client.get("/admin/certificates").get_data(as_text=True)
    assert "Issue to everyone eligible (3 learners)" in page and "Not ready" not in page


def test_a_job_counts_who_was_not_issued_and_why(app, admin_client, demo):
    """Ben's USI was unverified between the page and the job (here: a job given him anyway)."""
    from records import jobs

    app.config["JOB_RUNNER"] = "inline"
    with app.test_request_context():
        admin = db.session.get(User, demo["admin"])
        job = jobs.start("certificates", {"learner_ids": [demo["lucy"], demo["ben"], demo["noah"]]}, admin)
        job_id = job.id
    page = admin_client.get(f"/admin/jobs/{job_id}").get_data(as_text=True)
    assert "Finished: 2 issued, 1 not issued (USI not verified)." in page
    assert "Not issued to Benjamin Harris: The learner&#39;s USI has not been verified" in page
    assert "3 of 3 done" not in page and "learner(s) processed" not in page


def test_a_job_summary_counts_each_reason():
    from collections import Counter

    from records.bulk import summary

    tally = Counter({"issued": 3, "USI not verified": 2, "legal name missing": 1, "already": 1})
    assert (
        summary(tally, 6)
        == "3 issued, 2 not issued (USI not verified: 2; legal name missing: 1), 1 already had one."
    )
    assert summary(Counter(), 0) == "Nothing to issue: no learner was eligible."


def test_issuing_to_everyone_when_no_one_is_eligible_starts_nothing(app, admin_client, demo):
    for learner in ("lucy", "noah"):
        issue_via_page(admin_client, demo[learner])
    response = admin_client.submit(
        "/admin/certificates/issue", {}, page="/admin/certificates", follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Nothing was issued: no learner is eligible now" in page
    assert "No learner is ready for a certificate yet" in page
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Job)) == 0


def test_revoking_needs_the_confirmation_ticked_and_changes_nothing_without_it(
    app, client, admin_client, demo
):
    issue_via_page(admin_client, demo["lucy"])
    number = issued_number(app, demo["lucy"])
    with app.app_context():
        certificate_id = db.session.scalar(select(Certificate.id).where(Certificate.number == number))
    page = f"/admin/certificates/{certificate_id}"
    form = admin_client.get(page).get_data(as_text=True)
    assert 'type="checkbox" id="revoke-confirm" name="confirm" value="yes" required' in form
    assert "I understand the certificate will show as revoked to anyone who verifies it" in form

    refused = admin_client.submit(
        f"{page}/revoke", {"reason": "Issued in error"}, page=page, follow_redirects=True
    ).get_data(as_text=True)
    assert "Nothing was changed: tick “I understand the certificate will show as revoked" in refused
    assert "Valid." in client.get(f"/verify/{number}").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Certificate, certificate_id).status == "valid"
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.revoked")) is None

    admin_client.submit(f"{page}/revoke", {"reason": "Issued in error", "confirm": "yes"}, page=page)
    assert "Revoked." in client.get(f"/verify/{number}").get_data(as_text=True)


def test_certificate_numbers_do_not_break_and_long_values_can(app, client, admin_client, demo):
    issue_via_page(admin_client, demo["lucy"])
    number = issued_number(app, demo["lucy"])
    with app.app_context():
        certificate_id = db.session.scalar(select(Certificate.id).where(Certificate.number == number))
    verify = client.get(f"/verify/{number}").get_data(as_text=True)
    assert f'<h1>Certificate</h1><p><span class="code">{number}</span></p>' in verify  # .code: nowrap
    page = admin_client.get(f"/admin/certificates/{certificate_id}").get_data(as_text=True)
    assert f'<span class="code">{number}</span>' in page
    assert f'class="hash">http://127.0.0.1:5000/verify/{number}</a>' in page  # .hash: breaks anywhere
    assert '<code class="hash">' in page


def test_thirty_day_clock_lists_overdue_first(app, admin_client, demo):
    with app.app_context():
        outcome = db.session.scalar(
            select(Outcome).join(Enrolment).where(Enrolment.learner_id == demo["ben"])
        )
        outcome.decided_at = utcnow() - dt.timedelta(days=35)
        db.session.commit()
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "5 days overdue" in page
    register = admin_client.get("/admin/certificates").get_data(as_text=True)
    assert register.index("Benjamin Harris") < register.index("Lucy Chen")


def test_the_waiting_list_comes_a_page_at_a_time_and_its_counts_cover_every_page(
    app, admin_client, demo, monkeypatch
):
    """Thousands of outcomes can wait at a large RTO: the register shows a page of them, the most overdue
    first, while the totals and the bulk button count every learner waiting."""
    from records import dashboard, views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    monkeypatch.setattr(dashboard, "DUE_SHOWN", 2)
    with app.app_context():
        outcome = db.session.scalar(
            select(Outcome).join(Enrolment).where(Enrolment.learner_id == demo["ben"])
        )
        outcome.decided_at = utcnow() - dt.timedelta(days=35)
        db.session.commit()

    def waiting_rows(page: str) -> list[str]:
        table = page[page.index('aria-label="Outcomes waiting for a certificate"') : page.index("</table>")]
        return re.findall(r"<tr>\s*<td>([^<]+)</td>", table)

    first = admin_client.get("/admin/certificates").get_data(as_text=True)
    assert waiting_rows(first) == ["Benjamin Harris"]
    assert "3 outcomes are waiting, overdue first." in first
    assert "Issue to everyone eligible (2 learners)" in first  # Lucy and Noah, on later pages
    assert "1 learner is not ready yet" in first
    waiting_nav = first[first.index('aria-label="Pages of outcomes waiting"') :]
    assert "Page 1 of 3" in waiting_nav[: waiting_nav.index("</nav>")]
    next_link = re.search(r'href="([^"]*due_page=2[^"]*)">Next', waiting_nav).group(1).replace("&amp;", "&")
    second = admin_client.get(next_link).get_data(as_text=True)
    assert waiting_rows(second) == ["Lucy Chen"]
    assert "Page 2 of 3" in second and "Issue to everyone eligible (2 learners)" in second
    beyond = admin_client.get("/admin/certificates?due_page=9").get_data(as_text=True)
    assert waiting_rows(beyond) == [] and "3 outcomes are waiting" in beyond

    dashboard_page = admin_client.get("/admin/").get_data(as_text=True)
    assert "<strong>3</strong> certificates due" in dashboard_page
    assert dashboard_page.count("days overdue") == 1 and "(1 more)" in dashboard_page


def test_the_clock_and_the_number_s_year_count_where_the_rto_is(app, admin_client, demo, monkeypatch):
    from records import certificates

    # 13:05 UTC on 24 November 2025 is 25 November in Sydney, and the decision at 13:30 UTC on 26 October
    # was at half past midnight on 27 October there: 29 days ago in Sydney, one day left (by UTC dates
    # alone, 30 days and none).
    monkeypatch.setattr(certificates, "utcnow", lambda: dt.datetime(2025, 11, 24, 13, 5, tzinfo=dt.UTC))
    with app.app_context():
        outcome = db.session.scalar(
            select(Outcome).join(Enrolment).where(Enrolment.learner_id == demo["lucy"])
        )
        outcome.decided_at = dt.datetime(2025, 10, 26, 13, 30, tzinfo=dt.UTC)
        db.session.commit()
        [lucy] = [
            d
            for d in certificates.awaiting(ZoneInfo(app.config["TIMEZONE"])).items
            if d.learner.id == demo["lucy"]
        ]
        assert lucy.days_left == 1
    # On New Year's morning in Sydney (still 31 December in UTC) a certificate is numbered for the new
    # year, as its date of issue reads.
    monkeypatch.setattr(certificates, "utcnow", lambda: dt.datetime(2030, 12, 31, 21, 0, tzinfo=dt.UTC))
    issue_via_page(admin_client, demo["lucy"])
    assert "-2031-" in issued_number(app, demo["lucy"])


def test_the_qr_code_encodes_the_verification_url(app, demo):
    import segno

    from records import certificates, documents

    with app.app_context():
        lucy, admin = db.session.get(User, demo["lucy"]), db.session.get(User, demo["admin"])
        config = documents.settings()
        certificate, _ = certificates.issue(lucy, admin, config, LocalStore(app.config["CERTIFICATE_DIR"]))
        html = documents.statement_html(certificate, config)
        expected = segno.make(f"http://127.0.0.1:5000/verify/{certificate.number}", error="m")
        assert expected.svg_data_uri(scale=4, border=0, dark="#0b3a53") in html
        db.session.rollback()


def learner_records(app, email) -> str:
    learner = app.test_client()
    learner.login(email, "demo-learner-pass")
    return learner.get("/learn/records").get_data(as_text=True)


def test_a_competent_learner_without_a_certificate_is_told_it_is_being_prepared(app, admin_client, demo):
    ben = learner_records(app, "ben.harris@example.com")  # Competent in BSBCUS403; USI not verified
    assert "You have no Statement of Attainment yet" not in ben
    assert "BSBCUS403</span> Implement customer service standards: <strong>Competent</strong>" in ben
    assert "your Statement of Attainment is being prepared" in ben
    assert "once it has verified your Unique Student Identifier (USI)" in ben
    noah = learner_records(app, "noah.wilson@example.com")
    assert "<strong>Credit transfer</strong> — your Statement of Attainment is being prepared" in noah
    assert "verified your Unique Student Identifier" not in noah  # his USI is verified

    issue_via_page(admin_client, demo["lucy"])
    lucy = learner_records(app, "lucy.chen@example.com")
    assert "Download PDF" in lucy and "being prepared" not in lucy
    assert "You have no Statement of Attainment yet" not in lucy

    jordan = learner_records(app, "jordan.lee@example.com")  # still learning
    assert "You have no Statement of Attainment yet" in jordan and "being prepared" not in jordan
