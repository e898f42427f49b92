"""Backup and restore of the whole database, in each engine's own format.

SQLite: the online backup API (a consistent copy while the service runs) into a SQLite file.
PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore`` (the client tools of the server's
major version must be installed). Restoring goes into an empty database unless ``replace``.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url

from storage.engine import make_engine


class BackupError(RuntimeError):
    """A backup or restore could not be done (the message says why)."""


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _libpq(url: URL) -> str:
    # pg_dump speaks libpq URLs: drop SQLAlchemy's "+psycopg" driver name.
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (PostgreSQL client tools are needed)")
    return found


def _run(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip()[:2000]}")


def _sqlite_copy(source: sqlite3.Connection, target_path: Path) -> None:
    """Copy the open ``source`` database into ``target_path`` with SQLite's online backup.

    The backup API copies a consistent snapshot even while the service writes; both
    connections are closed whatever happens.
    """
    target = sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def backup(database_url: str, path: Path) -> None:
    """Write a consistent copy of the database to ``path``."""
    url = make_url(database_url)
    path.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(sqlite3.connect(_sqlite_file(url)), path)
        return
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={path}", _libpq(url)])


def is_empty(database_url: str) -> bool:
    """True when the database holds no tables yet."""
    engine = make_engine(database_url)
    try:
        return not inspect(engine).get_table_names()
    finally:
        engine.dispose()


def restore(database_url: str, path: Path, *, replace: bool = False) -> None:
    """Load a backup made by ``backup`` into the database (empty unless ``replace``)."""
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    if not replace and not is_empty(database_url):
        raise BackupError("the target database is not empty (use --replace to overwrite it)")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        target_file = _sqlite_file(url)
        target_file.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(sqlite3.connect(f"file:{path}?mode=ro", uri=True), target_file)
        return
    args = [_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={_libpq(url)}"]
    if replace:
        args += ["--clean", "--if-exists"]
    _run([*args, str(path)])
