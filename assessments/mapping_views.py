"""A unit's assessment mapping matrix: every requirement against the items that gather evidence for it."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from accounts.access import role_required
from content import default_content
from records.pdf import render_pdf

bp = Blueprint("mapping", __name__, url_prefix="/teach/units")


def _matrix(code: str):
    content = default_content()
    unit, pack = content.catalogue.get(code), content.packs.get(code)
    if unit is None or pack is None:
        abort(404)
    cells = {
        (r.id, t.id): [point for point, maps in t.evidence_points() if r.id in maps]
        for r in unit.requirements
        for t in pack.tasks
    }
    gaps = [r for r in unit.requirements if not any(cells[(r.id, t.id)] for t in pack.tasks)]
    return {"unit": unit, "pack": pack, "cells": cells, "gaps": gaps}


@bp.route("/<code>/assessment-map")
@role_required("assessor", "admin")
def matrix(code: str):
    return render_template("assessments/mapping.html", **_matrix(code))


@bp.route("/<code>/assessment-map.pdf")
@role_required("assessor", "admin")
def matrix_pdf(code: str):
    html = render_template(
        "assessments/mapping_print.html",
        rto_name=current_app.config["RTO_NAME"],
        rto_code=current_app.config["RTO_CODE"],
        **_matrix(code),
    )
    response = current_app.response_class(render_pdf(html, f"Mapping {code}"), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{code} assessment mapping.pdf"'
    return response
