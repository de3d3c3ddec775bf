"""`flask certificates issue` and `flask export …`: the records side from the command line."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from accounts.models import Enrolment, User
from database import db
from storage import LocalStore

from . import avetmiss, certificates, documents, exports, reporting

certificates_cli = AppGroup("certificates", help="Statements of Attainment.")


def _issuer(email: str | None) -> User:
    query = select(User).where(User.is_admin, User.is_active).order_by(User.id)
    if email:
        query = query.where(User.email == email.lower())
    issuer = db.session.scalar(query.limit(1))
    if issuer is None:
        sys.exit("No administrator to record as the issuer: create one with `flask create-user`.")
    return issuer


@certificates_cli.command("issue")
@click.option("--all-eligible", is_flag=True, help="Every learner with certifiable units and no certificate.")
@click.option("--enrolment", "enrolment_id", type=int, help="The learner of this enrolment, for this unit.")
@click.option("--by", "by_email", help="The administrator recorded as issuer (default: the first admin).")
def issue_command(all_eligible: bool, enrolment_id: int | None, by_email: str | None) -> None:
    """Issue Statements of Attainment; print one line per certificate: number and stored PDF path."""
    if all_eligible == (enrolment_id is not None):
        sys.exit("Give exactly one of --all-eligible or --enrolment ID.")
    issuer, config = _issuer(by_email), documents.settings()
    store = LocalStore(current_app.config["CERTIFICATE_DIR"])
    if enrolment_id is not None:
        enrolment = db.session.get(Enrolment, enrolment_id) or sys.exit(f"No enrolment {enrolment_id}.")
        targets = [(enrolment.learner, [enrolment.id])]
    else:
        targets = _all_eligible()
    failures = 0
    for learner, only in targets:
        try:
            certificate, stored = certificates.issue(learner, issuer, config, store, only)
            certificates.commit_or_remove(store, stored)
            click.echo(f"{certificate.number} {store.path(stored)}")
        except certificates.Refused as refused:
            db.session.rollback()
            failures += 1
            click.echo(f"Not issued to {learner.full_name}: {' '.join(refused.problems)}", err=True)
    sys.exit(1 if failures and enrolment_id is not None else 0)


def _all_eligible() -> list[tuple[User, None]]:
    """The learners the issuing rules accept; those they refuse are named with the reason, not tried."""
    ready = certificates.readiness()
    if not ready:
        click.echo("Nothing to issue: every certifiable outcome already has a certificate.", err=True)
    for learner_id, blocks in sorted(ready.items()):
        if blocks:
            reasons = " ".join(block.reason for block in blocks)
            click.echo(f"Not issued to {db.session.get(User, learner_id).full_name}: {reasons}", err=True)
    return [(db.session.get(User, i), None) for i, blocks in sorted(ready.items()) if not blocks]


export_cli = AppGroup("export", help="Competency records as CSV, and AVETMISS 8.0 files.")


@export_cli.command("csv")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option("--cohort", "cohort_id", type=int)
@click.option("--unit", "unit_code")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]))
def export_csv(out: str, cohort_id: int | None, unit_code: str | None, start, end) -> None:
    """Write competency records (one row per unit enrolment) to a CSV file, streaming."""
    filters = exports.Filters(
        cohort_id, unit_code, start.date() if start else None, end.date() if end else None
    )
    temporary = Path(out).with_suffix(".part")
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        for chunk in exports.csv_chunks(filters):
            handle.write(chunk)
    temporary.replace(out)  # a half-written export never takes the real name
    click.echo(f"Wrote {out}")


@export_cli.command("avetmiss")
@click.option("--year", type=int, required=True, help="The collection (calendar) year.")
@click.option(
    "--out", "out", type=click.Path(file_okay=False), required=True, help="Folder for the NAT files."
)
@click.option("--force", is_flag=True, help="Write the files even though some records do not validate.")
@click.option(
    "--only",
    multiple=True,
    type=click.Choice(list(avetmiss.LAYOUTS)),
    help="Just this NAT file (repeat for more), no zip: to reconcile, not to submit. Its records are "
    "checked, not the records in other files they refer to.",
)
def export_avetmiss(year: int, out: str, force: bool, only: tuple[str, ...]) -> None:
    """Validate every record for the year, then write the ten NAT files and a zip (or just the files asked
    for); exit 1 on problems."""
    only = tuple(dict.fromkeys(only))  # each file once, however often it was asked for
    files = only or avetmiss.LAYOUTS
    submission, folder = reporting.submission(year, current_app.config), Path(out)
    try:
        with avetmiss.spooled(submission, force=force, files=files) as (spool, report):
            _echo_problems(report.problems)
            folder.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".partial-", dir=folder))  # names taken only once whole
            spool.save(staging)
            if not only:
                with (staging / f"avetmiss-{year}.zip").open("wb") as archive:
                    spool.zip(archive)
    except avetmiss.SubmissionInvalid as invalid:
        _echo_problems(invalid.problems)
        remedy = "--force cannot write a value that does not fit its field" if force else "or use --force"
        click.echo(f"{len(invalid.problems)} problem(s): nothing written. Fix them ({remedy}).", err=True)
        sys.exit(1)
    for path in staging.iterdir():
        path.replace(folder / path.name)
    staging.rmdir()
    click.echo(_written(year, folder, only, report.records))
    sys.exit(1 if report.problems else 0)


def _written(year: int, folder: Path, only: tuple[str, ...], records: Mapping[str, int]) -> str:
    if only:
        files = ", ".join(f"{file} ({records[file]} records)" for file in only)
        return f"Wrote {files} for {year} to {folder}. To submit, export all ten files."
    return (
        f"Wrote the NAT files for {year} to {folder}: {records['NAT00120']} activities, "
        f"{records['NAT00080']} clients."
    )


def _echo_problems(problems: list[avetmiss.Problem]) -> None:
    for problem in problems:
        click.echo(f"{problem.file} · {problem.key} · {problem.field}: {problem.message}", err=True)
