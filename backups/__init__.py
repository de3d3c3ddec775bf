"""Backups and restore: `flask backup --out DIR` and `flask restore --from DIR`.

`files` (hashing, copying trees, the manifest) and `databases` (SQLite's online backup API,
pg_dump and pg_restore) are plain functions of paths and URLs; `cli` holds the thin commands.
"""
