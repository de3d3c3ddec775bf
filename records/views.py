"""Certificates: the register, issuing one or many, revoking, reissuing, downloading, verifying."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from accounts.access import role_required
from accounts.models import Enrolment, User
from assessments.models import Outcome
from assessments.rules import outcome_meaning
from content import default_catalogue
from database import db, rto_zone, stored_int
from extensions import DOWNLOAD_POLICY, limiter, talisman
from storage import LocalStore

from . import certificates, documents, gates, jobs
from .bulk import eligible_learner_ids
from .models import Certificate, Job
from .numbers import is_well_formed

bp = Blueprint("records", __name__)
PAGE_SIZE = 25
# Revoking cannot be undone and every verifier sees it, so the form asks for this to be ticked.
REVOKE_CONFIRMATION = "I understand the certificate will show as revoked to anyone who verifies it"


def store() -> LocalStore:
    return LocalStore(current_app.config["CERTIFICATE_DIR"])


@bp.route("/admin/certificates")
@role_required("admin")
def register():
    query_text = request.args.get("q", "").strip()
    status = request.args.get("status", "")
    query = (
        select(Certificate)
        .options(selectinload(Certificate.units), selectinload(Certificate.issued_by))
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    )
    if query_text:
        like = f"%{query_text.lower()}%"
        query = query.where(
            or_(func.lower(Certificate.number).like(like), func.lower(Certificate.learner_name).like(like))
        )
    if status in ("valid", "revoked", "replaced"):
        query = query.where(Certificate.status == status)
    page = db.paginate(
        query, page=request.args.get("page", 1, type=stored_int), per_page=PAGE_SIZE, error_out=False
    )
    due = certificates.awaiting(
        rto_zone(), request.args.get("due_page", 1, type=stored_int), per_page=PAGE_SIZE
    )
    blocked = certificates.readiness()
    return render_template(
        "records/register.html",
        page=page,
        due=due,
        blocked=blocked,
        eligible=sum(not blocks for blocks in blocked.values()),
        query=query_text,
        status=status,
    )


@bp.route("/admin/certificates/issue", methods=["POST"])
@role_required("admin")
def issue():
    """Issue to one learner now, or to everyone eligible as a background job with a progress bar."""
    if learner_id := request.form.get("learner_id", type=stored_int):
        learner = db.get_or_404(User, learner_id)
        try:
            certificate, stored = certificates.issue(learner, current_user, documents.settings(), store())
        except certificates.Refused as refused:
            db.session.rollback()
            flash(f"Nothing was issued to {learner.full_name}: {' '.join(refused.problems)}", "error")
            return redirect(url_for(".register"))
        certificates.commit_or_remove(store(), stored)
        flash(f"Issued {certificate.number} to {learner.full_name}.", "success")
        return redirect(url_for(".certificate", certificate_id=certificate.id))
    if not (eligible := eligible_learner_ids()):
        flash("Nothing was issued: no learner is eligible now. The list says what each one needs.", "info")
        return redirect(url_for(".register"))
    job = jobs.start("certificates", {"learner_ids": eligible}, current_user)
    return redirect(url_for(".job", job_id=job.id))


@bp.route("/admin/jobs/<int:job_id>")
@role_required("admin")
def job(job_id: int):
    job = db.get_or_404(Job, job_id)
    if request.accept_mimetypes.best == "application/json":
        return {
            "status": job.status,
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "messages": job.messages[-20:],
            "result": job.result,
        }
    return render_template("records/job.html", job=job)


@bp.route("/admin/certificates/<int:certificate_id>")
@role_required("admin")
def certificate(certificate_id: int):
    certificate = db.get_or_404(Certificate, certificate_id)
    versions = db.session.scalars(
        select(Certificate).where(Certificate.number == certificate.number).order_by(Certificate.version)
    ).all()
    return render_template(
        "records/certificate.html",
        certificate=certificate,
        revoke_confirmation=REVOKE_CONFIRMATION,
        versions=versions,
        verify_url=documents.settings().verify_url(certificate.number),
    )


@bp.route("/admin/certificates/<int:certificate_id>/<action>", methods=["POST"])
@role_required("admin")
def change(certificate_id: int, action: str):
    certificate = db.get_or_404(Certificate, certificate_id)
    reason = request.form.get("reason", "")
    if action not in ("revoke", "reissue"):
        abort(404)
    if action == "revoke" and request.form.get("confirm") != "yes":
        flash(f"Nothing was changed: tick “{REVOKE_CONFIRMATION}” to revoke the certificate.", "error")
        return redirect(url_for(".certificate", certificate_id=certificate.id))
    try:
        if action == "revoke":
            certificates.revoke(certificate, current_user, reason)
            target, stored = certificate, None
        else:
            target, stored = certificates.reissue(
                certificate, current_user, reason, documents.settings(), store()
            )
    except certificates.Refused as refused:
        db.session.rollback()
        flash(" ".join(refused.problems), "error")
        return redirect(url_for(".certificate", certificate_id=certificate.id))
    if stored:
        certificates.commit_or_remove(store(), stored)
    else:
        db.session.commit()
    flash(f"Certificate {certificate.number} {action}d.", "success")
    return redirect(url_for(".certificate", certificate_id=target.id))


@bp.route("/certificates/<int:certificate_id>.pdf")
@role_required("learner", "admin")
@talisman(content_security_policy=DOWNLOAD_POLICY)
def download(certificate_id: int):
    """The stored PDF, to its learner or an administrator, as an attachment."""
    certificate = db.get_or_404(Certificate, certificate_id)
    if not (current_user.is_admin or certificate.learner_id == current_user.id):
        abort(403)
    if not current_user.is_admin and not certificate.is_valid:
        abort(404)
    name = f"Statement of Attainment {certificate.number}" + (
        f" v{certificate.version}" if certificate.version > 1 else ""
    )
    return send_file(
        store().path(certificate.stored_name),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{name}.pdf",
        etag=certificate.sha256,
    )


@bp.route("/verify/<number>")
@limiter.limit("30 per minute")
def verify(number: str):
    """Public: is this certificate genuine? Name, units and date only: nothing else personal."""
    number = number.strip().upper()
    versions = []
    if is_well_formed(number):
        versions = db.session.scalars(
            select(Certificate).where(Certificate.number == number).order_by(Certificate.version.desc())
        ).all()
    current = versions[0] if versions else None
    status = 404 if current is None else 200
    return render_template(
        "records/verify.html",
        number=number,
        certificate=current,
        issued_on=documents.settings().local_date(current.issued_at) if current else None,
    ), status


@bp.route("/learn/records")
@role_required("learner")
def my_records():
    mine = db.session.scalars(
        select(Certificate)
        .options(selectinload(Certificate.units))
        .where(Certificate.learner_id == current_user.id, Certificate.status == "valid")
        .order_by(Certificate.issued_at.desc())
    ).all()
    waiting = certificates.certifiable(current_user.id)  # Competent, with no certificate yet
    blocks = certificates.gate_blocks(current_user, [e.unit_code for e, _ in waiting]) if waiting else []
    catalogue = default_catalogue()
    return render_template(
        "records/my_records.html",
        certificates=mine,
        waiting=[(e.unit_code, catalogue[e.unit_code].title, outcome_label(o.code)) for e, o in waiting],
        usi_pending=gates.NO_USI in blocks,
    )


def outcome_label(code: str) -> str:
    """A certifiable outcome as a learner reads it."""
    return "Competent" if code == "20" else gates.CERTIFIABLE[code]


@bp.route("/learn/records/results.pdf")
@role_required("learner")
def my_results():
    return _results_pdf(current_user)


@bp.route("/admin/users/<int:user_id>/results.pdf")
@role_required("admin")
def results(user_id: int):
    return _results_pdf(db.get_or_404(User, user_id))


def _results_pdf(learner: User):
    pdf = documents.record_of_results_pdf(learner.full_name, results_rows(learner.id), documents.settings())
    response = current_app.response_class(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="Record of Results {learner.full_name}.pdf"'
    )
    return response


def results_rows(learner_id: int) -> list[documents.ResultRow]:
    """Every enrolment of the learner with its current outcome (or 'In progress')."""
    latest = certificates.latest_outcomes()
    rows = db.session.execute(
        select(Enrolment, Outcome)
        .outerjoin(latest, latest.c.enrolment_id == Enrolment.id)
        .outerjoin(Outcome, Outcome.id == latest.c.outcome_id)
        .where(Enrolment.learner_id == learner_id)
        .order_by(Enrolment.unit_code)
    ).all()
    catalogue = default_catalogue()
    return [
        documents.ResultRow(
            e.unit_code,
            catalogue[e.unit_code].title,
            outcome_meaning(o.code) if o else "In progress",
            e.start_date.strftime("%d/%m/%Y"),
            o.end_date.strftime("%d/%m/%Y") if o and o.end_date else "",
        )
        for e, o in rows
    ]
