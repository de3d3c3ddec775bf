"""The file store: whole files or nothing, under random names."""

import hashlib
import io

import pytest

from storage import LocalStore, StorageFull


def test_save_returns_size_and_hash_and_the_file_reads_back(tmp_path):
    store = LocalStore(tmp_path)
    stored = store.save(io.BytesIO(b"evidence"))
    assert (stored.size, stored.sha256) == (8, hashlib.sha256(b"evidence").hexdigest())
    with store.open(stored.name) as handle:
        assert handle.read() == b"evidence"
    assert store.names() == {stored.name}


def test_a_file_past_the_limit_leaves_nothing_behind(tmp_path):
    store = LocalStore(tmp_path)
    with pytest.raises(ValueError):
        store.save(io.BytesIO(b"x" * 100), limit=10)
    assert list(tmp_path.rglob("*.*")) == [] and store.names() == set()


def test_a_full_disk_raises_storage_full_and_leaves_nothing(tmp_path, monkeypatch):
    def no_space(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("storage.os.fsync", no_space)
    store = LocalStore(tmp_path)
    with pytest.raises(StorageFull):
        store.save(io.BytesIO(b"data"))
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_names_are_random_tokens_and_paths_cannot_escape(tmp_path):
    store = LocalStore(tmp_path)
    first, second = store.save(io.BytesIO(b"a")), store.save(io.BytesIO(b"a"))
    assert first.name != second.name and len(first.name) == 32
    with pytest.raises(ValueError):
        store.path("../../etc/passwd")
