"""Database snapshots, and putting one back, without Flask: functions take a SQLAlchemy URL and paths.

SQLite: the online backup API copies a consistent snapshot while the app goes on writing (WAL).
PostgreSQL: pg_dump in custom format reads the very snapshot in which we count the rows, so the
manifest's counts describe exactly what was dumped, however busy the app is.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, create_engine, func, inspect, select, table, text
from sqlalchemy.pool import NullPool

from .files import BackupError, copy_file, fsync_path

FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
Facts = tuple[str | None, dict[str, int]]  # (Alembic revision, rows per table)


def kind_of(url: URL) -> str:
    """The kind of database to back up or restore; BackupError for any other than ours."""
    kind = url.get_backend_name()
    if kind not in FILES:
        raise BackupError(f"cannot back up or restore a {kind} database: only SQLite and PostgreSQL")
    return kind


def sqlite_path(url: URL) -> Path:
    if url.database in (None, "", ":memory:"):
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def snapshot(url: URL, folder: Path) -> dict[str, Any]:
    """Write the database into `folder`; return the manifest's `database` section."""
    kind = kind_of(url)
    target = folder / FILES[kind]
    if kind == "sqlite":
        revision, counts = _snapshot_sqlite(sqlite_path(url), target)
    else:
        revision, counts = _snapshot_postgres(url, target)
    fsync_path(target)
    return {"kind": kind, "file": FILES[kind], "alembic_revision": revision, "row_counts": counts}


def _snapshot_sqlite(source: Path, target: Path) -> Facts:
    if not source.is_file():
        raise BackupError(f"there is no SQLite database at {source}")
    with closing(sqlite3.connect(source, timeout=30)) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)  # every page in one step: one read snapshot, so it cannot restart under writers
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        return _sqlite_facts(copy)


def _sqlite_facts(connection: sqlite3.Connection) -> Facts:
    # Plain sqlite3, not SQLAlchemy: the app's connect hook would turn the copy into a WAL database.
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite~_%' ESCAPE '~'"
        )
    ]
    counts = {n: connection.execute(f"SELECT count(*) FROM {_quoted(n)}").fetchone()[0] for n in names}
    revisions = (
        connection.execute("SELECT version_num FROM alembic_version").fetchall()
        if "alembic_version" in names
        else []
    )
    return ",".join(sorted(r[0] for r in revisions)) or None, dict(sorted(counts.items()))


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def database_facts(connection: Connection) -> Facts:
    """The Alembic revision and the rows in each table, as seen by `connection` (either kind)."""
    names = sorted(inspect(connection).get_table_names())
    counts = {n: connection.execute(select(func.count()).select_from(table(n))).scalar_one() for n in names}
    revisions = (
        connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        if "alembic_version" in names
        else []
    )
    return ",".join(sorted(revisions)) or None, counts


def _snapshot_postgres(url: URL, target: Path) -> Facts:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():  # held open while pg_dump reads the snapshot it exports
                exported = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                facts = database_facts(connection)
                dsn, env = _libpq(url)
                _run(["pg_dump", "--format=custom", f"--snapshot={exported}", f"--file={target}", dsn], env)
    finally:
        engine.dispose()
    return facts


def restore(url: URL, dump: Path) -> None:
    """Replace the database at `url` with the backup's copy `dump`."""
    if kind_of(url) == "sqlite":
        _restore_sqlite(dump, sqlite_path(url))
    else:
        _restore_postgres(dump, url)


def _restore_sqlite(copy: Path, target: Path) -> None:
    """Copy the file into place: safe only while no process has the database open (the app stopped)."""
    temporary = target.with_name(target.name + ".restoring")
    copy_file(copy, temporary)
    # A stale log beside the new file would be replayed into it by the next connection: remove it.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    temporary.replace(target)
    fsync_path(target.parent)


def _restore_postgres(dump: Path, url: URL) -> None:
    # One transaction: if anything fails the database is left exactly as it was.
    dsn, env = _libpq(url)
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "-d", dsn, str(dump)],
        env,
    )


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A URL for the PostgreSQL tools; the password goes in the environment, never on a command line."""
    plain = URL.create(
        "postgresql", url.username, None, url.host, url.port, url.database, query=url.query
    ).render_as_string(hide_password=False)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return plain, env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as missing:
        raise BackupError(f"{command[0]} is not installed: install the PostgreSQL client tools") from missing
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")
