"""SQLite writers of one process queue on a lock the pool releases after COMMIT/ROLLBACK."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from storage.engine import make_engine, make_session_factory, unit_of_work


def _engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'lock.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (v INTEGER)"))
    return engine


def test_a_second_writer_waits_for_the_first_and_then_proceeds(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    factory = make_session_factory(engine)
    first_in = threading.Event()
    release = threading.Event()
    order: list[str] = []

    def first() -> None:
        with unit_of_work(factory) as s:
            s.execute(text("INSERT INTO t VALUES (1)"))
            first_in.set()
            release.wait(5)
            order.append("first commits")

    def second() -> None:
        first_in.wait(5)
        with unit_of_work(factory) as s:
            s.execute(text("INSERT INTO t VALUES (2)"))  # BEGIN is lazy: here it waits
            order.append("second wrote")

    a, b = threading.Thread(target=first), threading.Thread(target=second)
    a.start()
    b.start()
    first_in.wait(5)
    time.sleep(0.2)
    assert order == []  # the second writer is queued, not failing
    release.set()
    a.join(5)
    b.join(5)
    assert order == ["first commits", "second wrote"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 2


def test_a_rolled_back_transaction_releases_the_lock(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    factory = make_session_factory(engine)
    with pytest.raises(RuntimeError), unit_of_work(factory) as s:
        s.execute(text("INSERT INTO t VALUES (1)"))
        raise RuntimeError("boom")
    done = threading.Event()

    def writer() -> None:
        with unit_of_work(factory) as s:
            s.execute(text("INSERT INTO t VALUES (2)"))
        done.set()

    threading.Thread(target=writer).start()
    assert done.wait(5)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT v FROM t")).scalars().all() == [2]


def test_a_begin_that_cannot_get_the_database_raises_sqlalchemys_operational_error(
    tmp_path: Path,
) -> None:
    # Another process (here: a plain connection) holds the write lock past the busy timeout.
    engine = make_engine(f"sqlite:///{tmp_path / 'lock.db'}", connect_args={"timeout": 0.05})
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (v INTEGER)"))
    other = sqlite3.connect(tmp_path / "lock.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        factory = make_session_factory(engine)
        with (
            pytest.raises(OperationalError, match="database is locked"),
            unit_of_work(factory) as s,
        ):
            s.execute(text("INSERT INTO t VALUES (1)"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    with unit_of_work(make_session_factory(engine)) as s:  # the writer lock was released
        s.execute(text("INSERT INTO t VALUES (2)"))
