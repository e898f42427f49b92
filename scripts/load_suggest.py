"""Load test of the suggestion API on loopback.

    python scripts/load_suggest.py --concurrency 1,8 --seconds 20
    python scripts/load_suggest.py --workers 2 \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Prepares a database (migrations, the demo catalog, one coordinator API key), starts uvicorn
with ``--workers N`` as a separate process, creates people through the API (intake, consent
to matching, a needs profile, so query vectors are stored the way coordinators' saves store
them), then has C client threads each ask ``POST /api/v1/people/{id}/suggestions`` for
random people for S seconds. Prints one line per concurrency level: requests/s, p50, p99,
errors, and the server's CPU time per request (user + system time of the uvicorn process and
its worker processes, from ``/proc``; the database server's own processes are not counted).
On PostgreSQL a fresh database is created beside the given one and dropped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from casework import crypto  # noqa: E402
from casework.permissions import ROLE_PERMISSIONS, Principal  # noqa: E402
from casework.schemas import ApiClientIn  # noqa: E402
from casework.services import accounts  # noqa: E402
from resources_catalog import service as catalog  # noqa: E402
from storage.engine import make_engine, make_session_factory, unit_of_work  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

SYSTEM = Principal(kind="system", id=0, client="load-test")
NEEDS = (
    "畑で土にふれたい。人混みは苦手",
    "料理の手伝いをしたい",
    "図書館で本の整理をしてみたい",
    "子どもと遊ぶのが好き",
    "パソコン作業が得意、静かなところ",
    "犬の散歩や動物の世話",
    "手芸やものづくり",
    "高齢者施設で話し相手",
)
WARDS = ("中央区", "花見川区", "稲毛区", "若葉区", "緑区", "美浜区")


@contextmanager
def _database(url: str | None, tmp: Path) -> Iterator[str]:
    if not url:
        yield f"sqlite:///{tmp / 'load.db'}"
        return
    name = f"tsunagu_load_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _prepare(url: str, roles: tuple[str, ...] = ("coordinator",)) -> str:
    """Migrate, load the demo catalog, and issue an API key with these roles' permissions."""
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    with unit_of_work(factory) as session:
        catalog.load_demo_catalog(session, actor="load-test")
    scopes = sorted(set().union(*(ROLE_PERMISSIONS[role] for role in roles)))
    with unit_of_work(factory) as session:
        _, token = accounts.create_api_client(
            session, SYSTEM, ApiClientIn(name="load-test", scopes=scopes)
        )
    engine.dispose()
    return token


def _wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("server did not become ready")


@contextmanager
def serve(
    url: str, *, workers: int = 1, encoder: str = "default", env: dict[str, str] | None = None
) -> Iterator[tuple[str, int, int]]:
    """uvicorn serving the app on ``url``'s database on a loopback port: (base URL, port, pid).

    The listening socket is made here and handed to uvicorn (--fd): accepted connections
    inherit TCP_NODELAY from it. uvicorn's worker processes receive their socket with
    proto 0, so asyncio does not set TCP_NODELAY itself there, and each response then
    waits ~40 ms for a delayed ACK (measured: 17 req/s for one client with 2 workers).
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(2048)
    port = int(listener.getsockname()[1])
    server_env = {
        **os.environ,
        "TSUNAGU_DATABASE_URL": url,
        "TSUNAGU_ENCRYPTION_KEY": crypto.generate_key(),
        "TSUNAGU_SECRET_KEY": uuid.uuid4().hex,
        "TSUNAGU_ENCODER": encoder,
        "TSUNAGU_WARM_RANKER": "true",
        "TSUNAGU_EMBEDDING_CACHE_DIR": str(ROOT / "var" / "embeddings"),
        **(env or {}),
    }
    cmd = [
        sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app",
        "--fd", str(listener.fileno()), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, env=server_env, cwd=ROOT, pass_fds=(listener.fileno(),))
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, proc)
        yield base, port, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        listener.close()


def _proc_stat(pid: int) -> tuple[int, int]:
    """(parent pid, user + system CPU ticks) of a process; (-1, 0) when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            # Fields after the command name (which may hold spaces): state, ppid, ...
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return -1, 0
    return int(fields[1]), int(fields[11]) + int(fields[12])


def _server_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by the uvicorn process ``pid`` and its worker processes.

    Requests per second on a shared machine move with the neighbours' load; the server's
    CPU time per request moves much less, so it is the figure to compare two versions by.
    NaN where there is no ``/proc``.
    """
    if not os.path.isdir("/proc"):
        return float("nan")
    children = [
        int(entry)
        for entry in os.listdir("/proc")
        if entry.isdigit() and _proc_stat(int(entry))[0] == pid
    ]
    ticks = sum(_proc_stat(p)[1] for p in [pid, *children])
    return ticks / os.sysconf("SC_CLK_TCK")


def _create_people(client: httpx.Client, n: int, rng: random.Random) -> list[int]:
    ids = []
    for i in range(n):
        ward = WARDS[i % len(WARDS)]
        r = client.post(
            "/api/v1/people",
            json={"name": f"負荷 試験{i}", "ward": ward, "born_on": "1990-04-01"},
        )
        r.raise_for_status()
        pid = int(r.json()["id"])
        client.post(
            f"/api/v1/people/{pid}/consents",
            json={"scope": "matching", "given_on": "2026-11-01", "method": "written"},
        ).raise_for_status()
        client.put(
            f"/api/v1/people/{pid}/profile",
            json={
                "needs_text": rng.choice(NEEDS),
                "days": rng.sample(["mon", "tue", "wed", "thu", "fri", "sat"], 3),
                "max_travel_km": 12,
                "prefers_quiet": bool(i % 2),
            },
        ).raise_for_status()
        ids.append(pid)
    return ids


def _connect(host: str, port: int) -> http.client.HTTPConnection:
    conn = http.client.HTTPConnection(host, port, timeout=60)
    conn.connect()
    # Small requests and responses: without TCP_NODELAY, Nagle's algorithm and delayed ACKs
    # can add tens of milliseconds to each round trip.
    assert conn.sock is not None
    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return conn


def _drive(
    host: str, port: int, token: str, ids: list[int], clients: int, seconds: float
) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        mine: list[float] = []
        bad = 0
        headers = {"Authorization": f"Bearer {token}", "Content-Length": "0"}
        # http.client keeps the client's own CPU cost per request small (the server shares
        # the two cores with this process).
        conn = _connect(host, port)
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            try:
                conn.request("POST", f"/api/v1/people/{rng.choice(ids)}/suggestions", "", headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = _connect(host, port)
                ok = False
            mine.append(time.perf_counter() - t0)
            bad += 0 if ok else 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += bad

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    ms = sorted(x * 1000 for x in latencies)
    return {
        "concurrency": clients,
        "requests": len(ms),
        "req_per_s": len(ms) / elapsed,
        "p50_ms": statistics.median(ms) if ms else float("nan"),
        "p99_ms": ms[min(len(ms) - 1, int(0.99 * len(ms)))] if ms else float("nan"),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", default="8", help="comma-separated client counts")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--people", type=int, default=40)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default SQLite)")
    parser.add_argument("--encoder", choices=("default", "hashing"), default="default")
    args = parser.parse_args()
    levels = [int(c) for c in args.concurrency.split(",")]
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as tmp, _database(args.database_url, Path(tmp)) as url:
        token = _prepare(url)
        with serve(url, workers=args.workers, encoder=args.encoder) as (base, port, server_pid):
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(base_url=base, headers=headers, timeout=300) as http:
                ids = _create_people(http, args.people, rng)
                # one pass so every worker has fitted its ranker before timing starts
                for pid in ids[: max(4, args.workers * 4)]:
                    http.post(f"/api/v1/people/{pid}/suggestions").raise_for_status()
            db = make_url(url).get_backend_name()
            print(
                f"database={db} workers={args.workers} people={len(ids)} "
                f"seconds={args.seconds:g} encoder={args.encoder}"
            )
            for clients in levels:
                cpu_before = _server_cpu_seconds(server_pid)
                r = _drive("127.0.0.1", port, token, ids, clients, args.seconds)
                cpu_ms = (_server_cpu_seconds(server_pid) - cpu_before) * 1000
                print(
                    f"concurrency={clients} requests={r['requests']:.0f} "
                    f"req_per_s={r['req_per_s']:.1f} p50_ms={r['p50_ms']:.1f} "
                    f"p99_ms={r['p99_ms']:.1f} errors={r['errors']:.0f} "
                    f"server_cpu_ms_per_req={cpu_ms / max(1, r['requests']):.2f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
