"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from database import db

from .conftest import empty_database


def test_migrations_match_the_models(tmp_path):
    with empty_database(tmp_path) as url:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x"})
        with app.app_context():
            upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                differences = compare_metadata(context, db.metadata)
            db.engine.dispose()
    assert differences == []


@pytest.mark.slow
def test_migrations_downgrade_to_empty_and_back(tmp_path):
    with empty_database(tmp_path) as url:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x"})
        with app.app_context():
            upgrade()
            downgrade(revision="base")
            upgrade()
            db.engine.dispose()
