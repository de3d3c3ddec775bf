"""The database: the shared SQLAlchemy handle, UTC timestamps, and SQLite's pragmas."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from flask import current_app
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

# Named constraints let Alembic alter them, including in SQLite's batch mode.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Stores UTC and always returns an aware UTC datetime, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: use utcnow() or an aware datetime")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING), type_annotation_map={dt.datetime: UTCDateTime}
    )


# Objects stay usable after commit: a request commits once, then renders what it loaded.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})


# The largest value an Integer column holds (PostgreSQL's integer; every id is one).
INTEGER_MAX = 2**31 - 1


def stored_int(text: str) -> int:
    """A whole number the database can hold, for `request.args.get(key, type=stored_int)`: a number out
    of range is treated like text that is not a number, so it never reaches the database as an error."""
    number = int(text)
    if abs(number) > INTEGER_MAX:
        raise ValueError(f"{text} is out of range")
    return number


Item = TypeVar("Item")


@dataclass(frozen=True)
class Page(Generic[Item]):
    """One page of a longer list, with what the pagination macro reads (as db.paginate's pages have)."""

    items: list[Item]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int:
        return self.page + 1


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def rto_zone() -> ZoneInfo:
    """The RTO's time zone (TIMEZONE): where its dates fall."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def local_today() -> dt.date:
    """Today where the RTO is. The server keeps UTC, which in Australia is still yesterday for much
    of every morning; a date that people read or NCVER receives is the RTO's."""
    return utcnow().astimezone(rto_zone()).date()


# Whether the current unit of work will write. On SQLite a writing transaction starts with
# BEGIN IMMEDIATE, taking the write lock up front: it then waits its turn (busy_timeout) instead
# of failing when another writer commits between its first read and its first write.
_writing: ContextVar[bool] = ContextVar("writing", default=True)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
View = TypeVar("View", bound=Callable)


def expect_writes(writing: bool) -> None:
    """Say whether the coming transactions write (the app sets this per request from its method)."""
    _writing.set(writing)


def writes_on_get(view: View) -> View:
    """Mark a view that writes even on GET (recording a visit), so its transaction takes the write lock."""
    view.writes_on_get = True  # type: ignore[attr-defined]
    return view


@contextmanager
def writing() -> Iterator[None]:
    """One writing transaction inside a request that otherwise only reads (a GET that sometimes records
    something): the read transaction ends first, so on SQLite the write starts with the write lock
    (BEGIN IMMEDIATE) instead of upgrading a read, which fails rather than waits. Commits at the end."""
    db.session.commit()
    token = _writing.set(True)
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        _writing.reset(token)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers work beside a writer; foreign keys are off in SQLite unless asked."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    dbapi_connection.isolation_level = (
        None  # we issue BEGIN ourselves (below), which also makes SAVEPOINT work
    )
    cursor = dbapi_connection.cursor()
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "busy_timeout=10000", "synchronous=NORMAL"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin(connection) -> None:
    reading = not _writing.get()
    if connection.dialect.name == "sqlite":
        # query_only makes a reading transaction refuse to write, as READ ONLY does on PostgreSQL, so a
        # view that writes without saying so fails on either database. It is a setting of the connection,
        # so it is sent only when it changes (each pooled connection remembers it in `info`).
        if connection.connection.info.get("query_only") != reading:
            connection.exec_driver_sql(f"PRAGMA query_only = {'ON' if reading else 'OFF'}")
            connection.connection.info["query_only"] = reading
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")
    elif connection.dialect.driver == "psycopg":
        # psycopg opens the transaction with the next statement: BEGIN READ ONLY when reading, so a
        # reading request cannot write by mistake, and end_reading may then COMMIT it.
        connection.connection.dbapi_connection.read_only = reading


def end_reading(error: BaseException | None) -> None:
    """At the end of a request: a reading request's transaction ends with COMMIT rather than the ROLLBACK
    that closing the session sends, as psycopg forgets its prepared statements on every ROLLBACK and
    PostgreSQL would parse and plan each request's statements afresh. The transaction is READ ONLY
    (_begin), so there is nothing a COMMIT could keep; after an error the session rolls back as before.
    Then writing is the default again for whatever runs next on this thread."""
    try:
        if error is None and not _writing.get() and db.session.registry.has():
            session = db.session()
            if session.in_transaction() and session.get_bind().dialect.driver == "psycopg":
                session.commit()
    except Exception:  # a failed transaction: closing the session rolls it back as before
        db.session.rollback()
    finally:
        _writing.set(True)


def render_migration_item(type_: str, obj, autogen_context) -> str | bool:
    """Write UTCDateTime into migrations as a plain DateTime, so they never import app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
