"""Friendly error pages: the same layout, a plain explanation, a way back."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from database import db

bp = Blueprint("errors", __name__)

MESSAGES = {
    400: ("Something was wrong with that request", "Go back, reload the page and try again."),
    403: ("You don't have access to this page", "If you think you should, ask your RTO's administrator."),
    404: ("Page not found", "The address may be mistyped, or the page may have moved."),
    405: ("That action isn't available here", "Go back and use the page's own buttons."),
    413: ("That file is too large", "Check the size limit shown next to the upload field and try again."),
    429: ("Too many attempts", "Wait a few minutes before trying again."),
    500: ("Something went wrong on our side", "Nothing you did caused this. Please try again in a moment."),
    503: ("The service is briefly unavailable", "Please try again in a minute."),
}


def render_error(status: int, detail: str | None = None):
    title, advice = MESSAGES.get(status, MESSAGES[500])
    return render_template(
        "errors/error.html", status=status, title=title, advice=advice, detail=detail
    ), status


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError):
    return render_error(
        400, "The form had expired or was sent from elsewhere. Reload the page and try again."
    )


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    return render_error(error.code or 500)


@bp.app_errorhandler(500)
def server_error(error: Exception):
    return render_error(500)


@bp.app_errorhandler(DBAPIError)
def database_error(error: DBAPIError):
    """A database that is briefly unreachable (or locked) gets a calm page and a retry hint; any other
    database error is our fault, not an outage, and gets the ordinary 500 page. Never a stack trace."""
    db.session.rollback()
    if not _unreachable(error):
        current_app.logger.exception("database error")
        return render_error(500)
    current_app.logger.error("database unavailable: %s", type(error).__name__)
    response, status = render_error(
        503, "We could not reach the database just now. Nothing you submitted was lost."
    )
    return response, status, {"Retry-After": "30"}


def _unreachable(error: DBAPIError) -> bool:
    if getattr(error.orig, "sqlite_errorname", "") == "SQLITE_READONLY":
        return False  # a write in a reading transaction (database._begin): a bug to log, not an outage
    return isinstance(error, OperationalError | InterfaceError) or error.connection_invalidated


@bp.route("/health")
def health():
    """For load balancers and monitors: 200 when the app can query its database."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
