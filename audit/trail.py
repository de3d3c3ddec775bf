"""Appending to the audit trail and verifying it. Functions flush; the caller commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from database import db, utcnow

from .chain import GENESIS, Break, event_hash, verify
from .models import AuditEvent, AuditHead, hashed_fields


def record(
    actor_id: int | None,
    action: str,
    subject: str,
    *,
    learner_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event, chained to the last. Concurrent appends wait for each other's commit."""
    head = _lock_head()
    audit_event = AuditEvent(
        seq=head.seq,
        occurred_at=utcnow(),
        actor_id=actor_id,
        action=action,
        subject=subject,
        learner_id=learner_id,
        before=before,
        after=after,
        prev_hash=head.hash,
    )
    audit_event.hash = event_hash(head.hash, audit_event.fields())
    head.hash = audit_event.hash
    db.session.add(audit_event)
    db.session.flush()
    return audit_event


_HEAD_SEQ = select(AuditHead.seq).where(AuditHead.id == 1)  # built once: building costs more than running


def head_seq() -> int:
    """How many events the trail holds: a number that moves with every audited change, so a page may keep
    what it worked out from the data until it moves."""
    return db.session.connection().scalar(_HEAD_SEQ) or 0


def _lock_head() -> AuditHead:
    """Claim the next number by updating the head row first: the row lock orders concurrent writers."""
    claimed = db.session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + 1))
    if claimed.rowcount == 0:
        db.session.add(AuditHead(id=1, seq=1, hash=GENESIS))
        db.session.flush()
    return db.session.scalars(
        select(AuditHead).where(AuditHead.id == 1).execution_options(populate_existing=True)
    ).one()


def check_chain(batch: int = 5000) -> list[Break]:
    """Verify the whole trail, reading it in batches so memory stays flat however long it grows."""
    table = AuditEvent.__table__

    def events():
        last = 0
        while rows := db.session.execute(
            select(table).where(table.c.seq > last).order_by(table.c.seq).limit(batch)
        ).all():
            for row in rows:
                yield row.seq, row.prev_hash, row.hash, hashed_fields(row)
            last = rows[-1].seq

    breaks = verify(events())
    head = db.session.get(AuditHead, 1)
    last = db.session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1)) or 0
    if head and head.seq != last:
        breaks.append(Break(head.seq, f"the trail ends at event {last} but {head.seq} were recorded"))
    return breaks
