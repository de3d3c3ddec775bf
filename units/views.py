"""The public unit catalogue."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from content import default_catalogue

bp = Blueprint("units", __name__, url_prefix="/units")


@bp.route("")
def catalogue():
    return render_template("units/catalogue.html", units=default_catalogue().values())


@bp.route("/<code>")
def unit(code: str):
    unit = default_catalogue().get(code.upper())
    if unit is None:
        abort(404)
    return render_template("units/unit.html", unit=unit)
