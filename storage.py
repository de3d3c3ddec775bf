"""Where files live: one small interface, a local directory by default.

Files are written to a temporary name, flushed to disk, then renamed into place, so a crash never
leaves a half-written file under a real name. Several app servers share a store by mounting the
same directory (NFS, EFS, a shared volume); see the README's Deployment section.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024


class StorageFull(OSError):
    """The disk is full: nothing was stored."""


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int
    sha256: str


class LocalStore:
    """Files under `root`, each named by a random token in a two-level fan-out."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, name: str) -> Path:
        if not name.isalnum():
            raise ValueError("stored names are random tokens")
        return self.root / name[:2] / name

    def save(self, stream: BinaryIO, limit: int | None = None) -> StoredFile:
        """Copy `stream` into the store; raise ValueError past `limit` bytes, leaving nothing behind."""
        name = secrets.token_hex(16)
        final = self.path(name)
        final.parent.mkdir(parents=True, exist_ok=True)
        temporary = final.with_suffix(".part")
        digest, size = hashlib.sha256(), 0
        try:
            with temporary.open("wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if limit is not None and size > limit:
                        raise ValueError("file too large")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            temporary.replace(final)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            if exc.errno == 28:  # ENOSPC
                raise StorageFull("the disk is full") from exc
            raise
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        return StoredFile(name, size, digest.hexdigest())

    def open(self, name: str) -> BinaryIO:
        return self.path(name).open("rb")

    def delete(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)

    def exists(self, name: str) -> bool:
        return self.path(name).exists()

    def names(self) -> set[str]:
        """Every stored file's name (unfinished temporary files excluded)."""
        return {p.name for p in self.root.glob("??/*") if p.suffix != ".part"}


def sweep(store: LocalStore, referenced: set[str], older_than: float, now: float) -> list[Path]:
    """Remove what a crash can leave behind: temporary files, and files no record refers to.

    Only files older than `older_than` seconds go, so an upload still in flight is never touched.
    """
    removed = []
    for path in store.root.glob("??/*"):
        orphan = path.suffix == ".part" or path.name not in referenced
        if orphan and now - path.stat().st_mtime > older_than:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
