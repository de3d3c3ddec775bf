"""Backup folders without Flask: hashing, copying trees, writing the manifest and checking it.

A backup is built in a hidden folder named `.NAME.*.partial` and renamed to NAME only once its
manifest is written, so a backup that was interrupted never looks complete: it has no manifest,
and no real name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024
UNFINISHED = ".part"  # LocalStore's name for a file still being written


class BackupError(Exception):
    """A backup could not be made or used; the message says why in words an operator can act on."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def list_files(root: Path) -> list[str]:
    """Every regular file under `root` as a sorted relative POSIX path; none if `root` is absent."""
    found = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


def fsync_path(path: Path) -> None:
    """Flush a file (or a folder's entries) to disk, so a backup that says it is done really is."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def copy_file(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    fsync_path(target)


def copy_tree(source: Path, target: Path) -> int:
    """Copy every finished file under `source` into `target` (created even if empty); return how many."""
    target.mkdir(parents=True, exist_ok=True)
    copied = 0
    for name in list_files(source):
        if name.endswith(UNFINISHED):
            continue
        try:
            copy_file(source / name, target / name)
        except FileNotFoundError:
            continue  # removed by the running app since we listed it (a draft's file withdrawn)
        copied += 1
    return copied


def copy_in(source: Path, target: Path) -> int:
    """Put every file of `source` into `target`, each renamed into place whole; skip identical ones."""
    target.mkdir(parents=True, exist_ok=True)
    copied = 0
    for name in list_files(source):
        origin, destination = source / name, target / name
        if _same_file(origin, destination):
            continue
        temporary = destination.with_name(destination.name + UNFINISHED)
        copy_file(origin, temporary)
        temporary.replace(destination)
        copied += 1
    return copied


def _same_file(a: Path, b: Path) -> bool:
    return b.is_file() and a.stat().st_size == b.stat().st_size and sha256_file(a) == sha256_file(b)


def prune(target: Path, keep: set[str]) -> int:
    """Remove every file under `target` not named in `keep`, then empty folders; return how many files."""
    removed = 0
    for name in list_files(target):
        if name not in keep:
            (target / name).unlink()
            removed += 1
    for folder, dirs, names in os.walk(target, topdown=False):
        if not dirs and not names and Path(folder) != target:
            Path(folder).rmdir()
    return removed


def describe_files(folder: Path) -> dict[str, dict[str, Any]]:
    """Size and SHA-256 of every file in a backup folder except the manifest itself."""
    return {
        name: {"size": (folder / name).stat().st_size, "sha256": sha256_file(folder / name)}
        for name in list_files(folder)
        if name != MANIFEST
    }


def build_manifest(folder: Path, database: dict[str, Any], created_at: dt.datetime) -> dict[str, Any]:
    """The manifest of a finished backup folder: `database` says what kind, file, revision and counts."""
    return {
        "format": FORMAT,
        "created_at": created_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "database": database,
        "files": describe_files(folder),
    }


def write_manifest(folder: Path, manifest: dict[str, Any]) -> Path:
    path = folder / MANIFEST
    temporary = path.with_name(path.name + UNFINISHED)
    temporary.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    fsync_path(temporary)
    temporary.replace(path)
    return path


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest, checked for shape; BackupError if it is missing or is not one of ours."""
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{MANIFEST} is missing: {folder} is not a complete backup")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        shaped = manifest["format"] == FORMAT and {"kind", "file"} <= manifest["database"].keys()
        shaped = shaped and all({"size", "sha256"} <= entry.keys() for entry in manifest["files"].values())
    except (ValueError, KeyError, TypeError, AttributeError):
        shaped = False
    if not shaped:
        raise BackupError(f"{MANIFEST} is damaged or not a backup manifest of format {FORMAT}")
    return manifest


def check_backup(folder: Path) -> list[str]:
    """What is wrong with a backup folder, one problem per line naming the file; empty if it is intact."""
    if not folder.is_dir():
        return [f"{folder} is not a folder"]
    try:
        manifest = read_manifest(folder)
    except BackupError as error:
        return [str(error)]
    listed, present = manifest["files"], set(list_files(folder)) - {MANIFEST}
    problems = [f"{name}: missing" for name in sorted(listed.keys() - present)]
    problems += [f"{name}: not listed in the manifest" for name in sorted(present - listed.keys())]
    for name in sorted(listed.keys() & present):
        problems += _file_problems(folder / name, name, listed[name])
    if manifest["database"]["file"] not in listed:
        problems.append(f"{manifest['database']['file']}: the database file is not listed in the manifest")
    return problems


def _file_problems(path: Path, name: str, expected: dict[str, Any]) -> list[str]:
    size = path.stat().st_size
    if size != expected["size"]:
        return [f"{name}: {size} bytes where the manifest says {expected['size']}"]
    if sha256_file(path) != expected["sha256"]:
        return [f"{name}: its SHA-256 does not match the manifest (the file was altered or damaged)"]
    return []


def new_backup_path(parent: Path, now: dt.datetime) -> Path:
    """A fresh name in `parent` for a backup made `now`, e.g. backup-20260314T020000Z."""
    stem = f"backup-{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"
    path, n = parent / stem, 1
    while path.exists() or any(parent.glob(f".{path.name}.*.partial")):
        n += 1
        path = parent / f"{stem}-{n}"
    return path


@contextmanager
def staged_folder(final: Path) -> Iterator[Path]:
    """Build in a hidden `.partial` folder; rename it to `final` only if the block finishes."""
    if final.exists():
        raise BackupError(f"{final} already exists")
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".partial", dir=final.parent))
    try:
        yield staging
        staging.rename(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    fsync_path(final.parent)


def summary(manifest: dict[str, Any]) -> str:
    """One line saying what a backup holds."""
    database, names = manifest["database"], manifest["files"].keys()
    counts = database.get("row_counts", {})
    size = sum(entry["size"] for entry in manifest["files"].values())
    uploads = sum(name.startswith("uploads/") for name in names)
    certificates = sum(name.startswith("certificates/") for name in names)
    return (
        f"{database['kind']} database ({len(counts)} tables, {sum(counts.values())} rows, "
        f"revision {database.get('alembic_revision') or 'none'}), {uploads} evidence files, "
        f"{certificates} certificates; {size / 1e6:.1f} MB, made {manifest['created_at']}."
    )
