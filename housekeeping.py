"""`flask storage sweep`: tidy the file stores after a crash (files whose transaction never committed)."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from assessments.models import EvidenceFile
from database import db
from records.models import Certificate
from storage import LocalStore, sweep

storage_cli = AppGroup("storage", help="The evidence and certificate file stores.")


@storage_cli.command("sweep")
@click.option(
    "--older-than", default=3600, show_default=True, help="Seconds: younger files may be in flight."
)
def sweep_command(older_than: int) -> None:
    """Delete temporary files and files that no evidence or certificate record refers to."""
    stores = (
        (current_app.config["UPLOAD_DIR"], select(EvidenceFile.stored_name)),
        (current_app.config["CERTIFICATE_DIR"], select(Certificate.stored_name)),
    )
    for folder, names in stores:
        removed = sweep(LocalStore(folder), set(db.session.scalars(names)), older_than, time.time())
        for path in removed:
            click.echo(f"Removed {path}")
        click.echo(f"{folder}: {len(removed)} file(s) removed.")
