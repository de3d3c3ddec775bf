"""Signing in and out, changing one's password, and landing on the right dashboard."""

from __future__ import annotations

import time
from functools import cache

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash

from content import default_catalogue
from database import db
from extensions import limiter, login_manager

from . import people
from .access import role_required
from .forms import DetailsForm, LoginForm, PasswordChangeForm
from .models import Cohort, Enrolment, User, cohort_staff

bp = Blueprint("accounts", __name__)

# Where each role lands; a user with several roles lands on the first that applies.
DASHBOARDS = (
    ("admin", "dashboard.dashboard"),
    ("assessor", "marking.queue"),
    ("learner", "courseware.my_learning"),
)
# How stale the session's last-seen time may grow before it is written again: writing it re-signs the
# cookie, so it is renewed once a minute rather than on every request (the idle limit then errs short).
SEEN_AT_PRECISION = 60
# Compared against when the email is unknown, so a failed sign-in takes the same time either way.
_DUMMY_HASH = "scrypt:32768:8:1$dummydummydummy$" + "0" * 128

login_manager.login_view = "accounts.login"
login_manager.login_message = "Please sign in to see that page."
login_manager.login_message_category = "info"


@cache
def _user_statement() -> Select:
    """The signed-in user by their session's token, built once: every request asks it."""
    return select(User).where(User.session_token == bindparam("token"), User.is_active)


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    return db.session.scalar(_user_statement(), {"token": session_token})


def _account_key() -> str:
    return "account:" + (request.form.get("email") or "").strip().lower()


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("accounts/welcome.html")
    endpoint = next((e for role, e in DASHBOARDS if current_user.has_role(role)), None)
    return redirect(url_for(endpoint)) if endpoint else render_template("accounts/no_role.html")


@bp.route("/auth/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@limiter.limit("10 per 15 minutes", key_func=_account_key, methods=["POST"], deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for(".home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == form.email.data.strip().lower()))
        if user is None:
            check_password_hash(_DUMMY_HASH, form.password.data)
        elif user.is_active and user.check_password(form.password.data):
            start_session(user)
            return redirect(_safe_next() or url_for(".home"))
        form.password.errors.append("The email or password is not right. Check them and try again.")
    return render_template("accounts/login.html", form=form)


def start_session(user: User) -> None:
    session.clear()  # a fresh session on sign-in, so no earlier cookie can be fixated
    login_user(user)
    session.permanent = True
    session["signed_in_at"] = session["seen_at"] = time.time()


def _safe_next() -> str | None:
    target = request.args.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else None


@bp.route("/auth/logout", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for(".login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append("That is not your current password.")
        else:
            current_user.set_password(form.new.data)
            db.session.commit()
            start_session(current_user)  # the new session token signs out every other session
            flash("Your password has been changed.", "success")
            return redirect(url_for(".home"))
    return render_template("accounts/password.html", form=form)


@bp.before_app_request
def expire_sessions():
    """Sign out after the idle limit, and after the absolute limit however busy the user is."""
    if not current_user.is_authenticated:
        return None
    now, config = time.time(), current_app.config
    idle = now - session.get("seen_at", 0) > config["SESSION_IDLE_MINUTES"] * 60
    too_old = now - session.get("signed_in_at", 0) > config["SESSION_MAX_HOURS"] * 3600
    if idle or too_old:
        logout_user()
        session.clear()
        flash("For your security you were signed out. Please sign in again.", "info")
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    if now - session.get("seen_at", 0) >= SEEN_AT_PRECISION:
        session["seen_at"] = now  # also renews the cookie; Flask does not re-sign it on every request
    return None


@bp.route("/staff")
@role_required("assessor", "admin")
def staff_dashboard():
    statement = select(Cohort).order_by(Cohort.name).options(selectinload(Cohort.learners))
    if not current_user.is_admin:
        statement = statement.join(cohort_staff).where(cohort_staff.c.user_id == current_user.id)
    return render_template("accounts/staff_dashboard.html", cohorts=db.session.scalars(statement).all())


@bp.route("/cohorts/<int:cohort_id>")
@role_required("assessor", "admin")
def cohort(cohort_id: int):
    cohort = db.get_or_404(Cohort, cohort_id)
    if not (current_user.is_admin or current_user in cohort.staff):
        abort(403)
    enrolments = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.cohort_id == cohort.id)
        .options(selectinload(Enrolment.learner))
        .order_by(Enrolment.unit_code)
    ).all()
    catalogue = default_catalogue()
    return render_template("accounts/cohort.html", cohort=cohort, enrolments=enrolments, catalogue=catalogue)


@bp.route("/account/details", methods=["GET", "POST"])
@role_required("learner")
def my_details():
    return edit_details(current_user, url_for(".home"))


def edit_details(user: User, done_url: str):
    """The reporting-details form for one learner (their own, or any learner's for an admin)."""
    profile = user.learner
    if profile is None:
        abort(404)
    form = DetailsForm(obj=profile)
    if user.id != current_user.id:
        form.speak_of_the_learner()
    if form.validate_on_submit():
        people.update_details(profile, form.data)
        db.session.commit()
        flash("Details saved.", "success")
        return redirect(done_url)
    return render_template("accounts/details.html", form=form, learner=user)
