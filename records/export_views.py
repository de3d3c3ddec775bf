"""Administrators download competency records (CSV, streamed) and the year's AVETMISS files."""

from __future__ import annotations

import datetime as dt
import io

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from sqlalchemy import select

from accounts.access import role_required
from accounts.models import Cohort
from content import default_catalogue
from database import db, local_today, stored_int

from . import avetmiss, exports, reporting

bp = Blueprint("exports", __name__, url_prefix="/admin/exports")
FIRST_YEAR = 2015  # the first collection year under AVETMISS 8, the release the files follow


def _collection_years() -> range:
    return range(FIRST_YEAR, local_today().year + 2)


def _date(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.route("")
@role_required("admin")
def index():
    cohorts = db.session.scalars(select(Cohort).order_by(Cohort.name)).all()
    return render_template(
        "records/exports.html",
        cohorts=cohorts,
        units=default_catalogue().values(),
        year=local_today().year,
        years=_collection_years(),
        layouts=avetmiss.LAYOUTS.values(),
    )


@bp.route("/records.csv")
@role_required("admin")
def records_csv():
    cohort = request.args.get("cohort", type=stored_int)
    filters = exports.Filters(cohort, request.args.get("unit") or None, _date("from"), _date("to"))
    response = Response(stream_with_context(exports.csv_chunks(filters)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="competency-records-{local_today()}.csv"'
    return response


@bp.route("/avetmiss")
@role_required("admin")
def avetmiss_zip():
    year = request.args.get("year", type=stored_int) or local_today().year
    if year not in (years := _collection_years()):
        flash(f"Choose a collection year from {years[0]} to {years[-1]}.", "error")
        return redirect(url_for(".index"))
    only = request.args.get("file") or None  # one NAT file, to reconcile; all ten to submit
    if only is not None and only not in avetmiss.LAYOUTS:
        flash("Choose all ten NAT files, or one of them by its name (NAT00010 to NAT00130).", "error")
        return redirect(url_for(".index"))
    force, files = request.args.get("force") == "yes", (only,) if only else avetmiss.LAYOUTS
    submission = reporting.submission(year, current_app.config)
    archive = io.BytesIO()  # the records are spooled to disk; only the compressed zip is held here
    try:
        with avetmiss.spooled(submission, force=force, files=files) as (spool, _):
            spool.zip(archive)
    except avetmiss.SubmissionInvalid as invalid:
        forceable = not isinstance(invalid, avetmiss.Unwritable)  # even forced, nothing is cut to fit
        return _problems_page(year, only, invalid.problems, forceable)
    archive.seek(0)
    name = f"avetmiss-{year}-{only}.zip" if only else f"avetmiss-{year}.zip"
    return send_file(archive, mimetype="application/zip", as_attachment=True, download_name=name)


def _problems_page(year: int, only: str | None, problems: list[avetmiss.Problem], forceable: bool):
    page = render_template(
        "records/avetmiss_problems.html", year=year, only=only, problems=problems, forceable=forceable
    )
    return page, 422
