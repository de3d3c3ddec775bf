"""the queue's index orders ties by id

The marking queue reads the oldest submitted attempts in (submitted_at, id) order. With the old index
(status, submitted_at, enrolment_id) the database had to sort every attempt that shared the oldest
submitted_at before it could return the first page; with id after submitted_at it reads the page
straight off the index.

Revision ID: 4c1f0a7d9e21
Revises: 9d838e2f571b
Create Date: 2026-11-24 09:20:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '4c1f0a7d9e21'
down_revision = '9d838e2f571b'
branch_labels = None
depends_on = None

NAME, TABLE = 'ix_attempts_status_submitted', 'attempts'


def upgrade():
    op.drop_index(NAME, table_name=TABLE)
    op.create_index(NAME, TABLE, ['status', 'submitted_at', 'id', 'enrolment_id'])


def downgrade():
    op.drop_index(NAME, table_name=TABLE)
    op.create_index(NAME, TABLE, ['status', 'submitted_at', 'enrolment_id'])
