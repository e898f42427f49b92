"""The request's unit of work (``api.deps.get_session``): commit, roll back, close."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.deps import SessionDep
from storage.engine import make_engine, make_session_factory


class Refused(Exception):
    """A route's failure after it wrote."""


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    engine = make_engine(f"sqlite:///{tmp_path / 'uow.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE note (body TEXT)"))
    app = FastAPI()
    app.state.session_factory = make_session_factory(engine)
    app.state.engine = engine

    @app.post("/notes/{body}")
    def add(body: str, session: SessionDep) -> None:
        session.execute(text("INSERT INTO note VALUES (:b)"), {"b": body})

    @app.post("/refused/{body}")
    def refuse(body: str, session: SessionDep) -> None:
        session.execute(text("INSERT INTO note VALUES (:b)"), {"b": body})
        raise Refused(body)

    @app.post("/committed/{body}")
    def committed(body: str, session: SessionDep) -> None:
        session.execute(text("INSERT INTO note VALUES (:b)"), {"b": body})
        session.commit()

    @app.get("/notes")
    def notes(session: SessionDep) -> list[str]:
        return list(session.scalars(text("SELECT body FROM note ORDER BY body")))

    return TestClient(app, raise_server_exceptions=False)


def test_a_route_that_returns_is_committed(client: TestClient) -> None:
    assert client.post("/notes/a").status_code == 200
    assert client.get("/notes").json() == ["a"]


def test_a_route_that_raises_is_rolled_back_and_the_writer_lock_freed(client: TestClient) -> None:
    assert client.post("/refused/b").status_code == 500
    # A second writer would wait for SQLite's (and the engine's) writer lock if it were held.
    assert client.post("/notes/c").status_code == 200
    assert client.get("/notes").json() == ["c"]


def test_a_route_that_committed_itself_is_closed_without_a_second_commit(
    client: TestClient,
) -> None:
    assert client.post("/committed/d").status_code == 200
    assert client.post("/notes/e").status_code == 200
    assert client.get("/notes").json() == ["d", "e"]
