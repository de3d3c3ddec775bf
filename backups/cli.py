"""`flask backup` and `flask restore`: thin commands over backups.files and backups.databases."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from audit.models import AuditEvent
from audit.trail import check_chain
from database import db, utcnow

from . import databases, files
from .files import BackupError

TREES = {"uploads": "UPLOAD_DIR", "certificates": "CERTIFICATE_DIR"}  # backup sub-folder: config key


@click.command("backup")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the backup in: a new folder backup-YYYYMMDDTHHMMSSZ is made inside it.",
)
@with_appcontext
def backup_command(out: Path) -> None:
    """Back up the database, the evidence uploads and the certificates, with a manifest of hashes."""
    try:
        folder, manifest = make_backup(out)
    except (BackupError, OSError) as error:
        sys.exit(f"Backup failed, and no backup was kept: {error}")
    click.echo(folder)
    click.echo(files.summary(manifest))


def make_backup(parent: Path) -> tuple[Path, dict[str, Any]]:
    now = utcnow()
    final = files.new_backup_path(parent, now)
    with files.staged_folder(final) as staging:
        # The database first: the app stores a file before the row naming it, so every file the
        # snapshot refers to is already on disk when we copy (later files are harmless extras).
        database = databases.snapshot(db.engine.url, staging)
        for name, key in TREES.items():
            files.copy_tree(Path(current_app.config[key]), staging / name)
        manifest = files.build_manifest(staging, database, now)
        files.write_manifest(staging, manifest)
    return final, manifest


@click.command("restore")
@click.option(
    "--from",
    "source",
    type=click.Path(path_type=Path),
    required=True,
    help="A backup folder made by `flask backup`.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(source: Path, yes: bool) -> None:
    """Check a backup against its manifest, then put its database and files in place (app stopped)."""
    problems = files.check_backup(source)
    if problems:
        click.echo(f"Refused: the backup in {source} is not intact, so nothing was changed.", err=True)
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    manifest = files.read_manifest(source)
    kind, backed_up = db.engine.url.get_backend_name(), manifest["database"]["kind"]
    if backed_up != kind:
        sys.exit(f"Refused: this is a {backed_up} backup and the database is {kind}, so nothing was changed.")
    click.echo(f"Backup: {files.summary(manifest)}")
    if not yes:
        click.confirm(_warning(), abort=True)
    try:
        restore_backup(source, manifest)
    except (BackupError, OSError) as error:
        sys.exit(f"Restore failed: {error}")
    _report(manifest)


def _warning() -> str:
    url = db.engine.url.render_as_string(hide_password=True)
    places = ", ".join(current_app.config[key] for key in TREES.values())
    return f"This replaces the database {url} and the files in {places}. Is the app stopped, and go on?"


def restore_backup(source: Path, manifest: dict[str, Any]) -> None:
    trees = [(source / name, Path(current_app.config[key])) for name, key in TREES.items()]
    for origin, target in trees:  # new files first: the current database still finds all of its own
        files.copy_in(origin, target)
    db.session.remove()
    db.engine.dispose()  # no pooled connection of ours may keep the old database open
    databases.restore(db.engine.url, source / manifest["database"]["file"])
    db.engine.dispose()
    for origin, target in trees:  # only now can files the restored database does not know go
        files.prune(target, set(files.list_files(origin)))


def _report(manifest: dict[str, Any]) -> None:
    """Check the restored database against the manifest and the audit chain; exit 1 on any doubt."""
    with db.engine.connect() as connection:
        revision, counts = databases.database_facts(connection)
    expected = manifest["database"]["row_counts"]
    wrong = [f"{t}: {counts.get(t)} rows, expected {n}" for t, n in expected.items() if counts.get(t) != n]
    breaks = check_chain()
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    for problem in wrong + [f"Audit event {b.seq}: {b.reason}" for b in breaks]:
        click.echo(problem, err=True)
    if wrong or breaks:
        sys.exit("Restored, but the database does not match the backup: see above.")
    rows = sum(expected.values())
    click.echo(f"Restored {rows} rows and the files; the audit trail is intact: {events} events.")
    heads = _code_heads()
    if revision and heads and revision != heads:
        click.echo(
            f"The database is at revision {revision}, this code's is {heads}: if the code is newer, "
            "run `flask db upgrade`."
        )


def _code_heads() -> str | None:
    migrate = current_app.extensions.get("migrate")
    if migrate is None:
        return None
    script = ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))
    return ",".join(sorted(script.get_heads())) or None
