"""Hash-chaining audit events, and checking a chain: plain Python, no Flask, no database."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def event_hash(previous: str, fields: dict[str, Any]) -> str:
    """The hash of one event: its fields in canonical JSON, bound to the previous event's hash."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    return hashlib.sha256(f"{previous}\n{canonical}".encode()).hexdigest()


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str


def verify(events: Iterable[tuple[int, str, str, dict[str, Any]]]) -> list[Break]:
    """Check (seq, prev_hash, hash, fields) in order: every link and every hash must hold, with no gaps."""
    breaks, previous, expected_seq = [], GENESIS, 1
    for seq, prev_hash, stored_hash, fields in events:
        if seq != expected_seq:
            breaks.append(Break(seq, f"expected event {expected_seq}: events are missing"))
        if prev_hash != previous:
            breaks.append(Break(seq, "does not link to the event before it"))
        if event_hash(prev_hash, fields) != stored_hash:
            breaks.append(Break(seq, "its contents were changed after it was recorded"))
        previous, expected_seq = stored_hash, seq + 1
    return breaks
