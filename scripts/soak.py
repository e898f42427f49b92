"""Soak test: a mixed working day of many coordinators on loopback.

    python scripts/soak.py --users 50 --seconds 60
    python scripts/soak.py --users 50 --seconds 60 \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Starts the service the way ``scripts/load_suggest.py`` does (its ``serve``: migrations, the
demo catalog, uvicorn on a loopback socket), creates one web account per user and, through
the API, people ready for matching (intake, profile, matching consent, a plan started early).
Then U user threads, each signed in with its own session cookie and holding its own share of
people and resources (so no two users edit the same record, as on a real day), pick actions
at random for S seconds:

* ``page``: a page view (dashboard, people list, a person, the catalog, a resource);
* ``suggest``: ``POST /api/v1/people/{id}/suggestions``;
* ``placement``: propose a resource for one of the user's people and move it to trial;
* ``fee``: a cooperation-fee entry for one of the user's placements (today's date);
* ``catalog``: read a resource and replace its description with ``If-Match``.

Prints, per kind, requests, errors, p50 and p99 (ms), then the totals. Any answer other than
the one the action expects is an error, and its status and the first bytes of the body are
printed (at most a few per kind), so a run with errors says what went wrong. Exits 1 when
there were errors.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from load_suggest import NEEDS, SYSTEM, WARDS, _database, _prepare, serve  # noqa: E402

from casework.schemas import UserIn  # noqa: E402
from casework.services import accounts  # noqa: E402
from storage.engine import make_engine, make_session_factory, unit_of_work  # noqa: E402

KINDS = ("page", "suggest", "placement", "fee", "catalog")
WEIGHTS = (45, 20, 12, 13, 10)
PASSWORD = "soak-test-password-0001"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
JST = ZoneInfo("Asia/Tokyo")
SHOWN_ERRORS_PER_KIND = 3


@dataclass
class Tally:
    """Latencies (s) and error samples per kind, for one user; merged at the end."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def record(self, kind: str, seconds: float, ok: bool, detail: str = "") -> None:
        self.latencies[kind].append(seconds)
        if not ok:
            self.errors[kind] += 1
            if len(self.samples[kind]) < SHOWN_ERRORS_PER_KIND:
                self.samples[kind].append(detail)


def _create_users(url: str, n: int) -> list[str]:
    """One coordinator web account per simulated user, each its own team (its people's)."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    names = [f"soak{i:03d}" for i in range(n)]
    with unit_of_work(factory) as session:
        for name in names:
            accounts.create_user(
                session,
                SYSTEM,
                UserIn(username=name, display_name=f"負荷 {name}", role="coordinator",
                       team=name, password=PASSWORD),
            )  # fmt: skip
    engine.dispose()
    return names


def _ready_person(api: httpx.Client, i: int, team: str, rng: random.Random, today: str) -> int:
    """A person of ``team``, ready for matching and placements (as tests' started_person)."""
    r = api.post(
        "/api/v1/people",
        json={"name": f"負荷 試験{i}", "ward": WARDS[i % len(WARDS)], "born_on": "1990-04-01",
              "received_on": today, "team": team},
    )  # fmt: skip
    r.raise_for_status()
    pid = int(r.json()["id"])
    api.put(
        f"/api/v1/people/{pid}/profile",
        json={"needs_text": rng.choice(NEEDS), "max_travel_km": 12, "prefers_quiet": bool(i % 2),
              "days": rng.sample(["mon", "tue", "wed", "thu", "fri", "sat"], 3)},
    ).raise_for_status()  # fmt: skip
    api.post(
        f"/api/v1/people/{pid}/consents",
        json={"scope": "matching", "given_on": today, "method": "written"},
    ).raise_for_status()
    plan = api.post(
        f"/api/v1/people/{pid}/plans",
        json={"issues_text": "外出の機会がない", "goal_text": "週1回外に出る",
              "actions": [{"actor_kind": "person", "content": "活動体験", "frequency": "週1回"}],
              "next_monitoring_on": "2027-03-15"},
    )  # fmt: skip
    plan.raise_for_status()
    api.post(
        f"/api/v1/plans/{plan.json()['id']}/start-early",
        json={"started_on": today, "reason": "早期に関わる必要"},
    ).raise_for_status()
    return pid


def _share_consent(api: httpx.Client, pid: int, resource_id: str, today: str) -> None:
    """The person's consent to share with the receiver (needed for 連絡 and later)."""
    api.post(
        f"/api/v1/people/{pid}/consents",
        json={"scope": "share_with_receiver", "receiver_kind": "resource",
              "receiver_id": resource_id, "given_on": today, "method": "written"},
    ).raise_for_status()  # fmt: skip


def _sign_in(client: httpx.Client, username: str) -> None:
    page = client.get("/login")
    page.raise_for_status()
    match = CSRF.search(page.text)
    if match is None:
        raise SystemExit("no csrf_token on /login")
    r = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": match.group(1)},
        follow_redirects=False,
    )
    if r.status_code != 303:
        raise SystemExit(f"sign-in of {username} answered {r.status_code}")


class User:
    """One coordinator's day: a signed-in browser session and an API client."""

    def __init__(self, base: str, token: str, username: str, people: list[int],
                 resources: list[str], seed: int, today: str) -> None:  # fmt: skip
        self.web = httpx.Client(base_url=base, timeout=120)
        self.api = httpx.Client(
            base_url=base, timeout=120, headers={"Authorization": f"Bearer {token}"}
        )
        self.username = username
        self.people = people
        self.resources = resources
        self.rng = random.Random(seed)
        self.today = today
        self.proposed: set[tuple[int, str]] = set()
        self.unbilled: list[int] = []  # placements in trial without a fee entry yet
        self.tally = Tally()

    def close(self) -> None:
        self.web.close()
        self.api.close()

    def _timed(self, kind: str, send: httpx.Request, expect: tuple[int, ...]) -> httpx.Response:
        client = self.api if send.url.path.startswith("/api/") else self.web
        t0 = time.perf_counter()
        try:
            response = client.send(send)
        except httpx.HTTPError as exc:
            self.tally.record(kind, time.perf_counter() - t0, False, f"{send.url.path}: {exc!r}")
            raise
        ok = response.status_code in expect
        detail = f"{send.method} {send.url.path} → {response.status_code} {response.text[:160]!r}"
        self.tally.record(kind, time.perf_counter() - t0, ok, detail)
        return response

    def page(self) -> None:
        pid = self.rng.choice(self.people)
        rid = self.rng.choice(self.resources)
        path = self.rng.choice(
            ["/dashboard", "/people", f"/people/{pid}", "/catalog", f"/catalog/{rid}"]
        )
        self._timed("page", self.web.build_request("GET", path), (200,))

    def suggest(self) -> None:
        pid = self.rng.choice(self.people)
        url = f"/api/v1/people/{pid}/suggestions"
        self._timed("suggest", self.api.build_request("POST", url), (200,))

    def placement(self) -> None:
        for _ in range(20):
            pair = (self.rng.choice(self.people), self.rng.choice(self.resources))
            if pair not in self.proposed:
                break
        else:
            return
        self.proposed.add(pair)
        # 連絡 and every later step need the person's consent to share with that receiver
        # (not timed: the soak measures the placement calls, as a coordinator makes them).
        _share_consent(self.api, pair[0], pair[1], self.today)
        body = {"person_id": pair[0], "resource_id": pair[1]}
        r = self._timed(
            "placement", self.api.build_request("POST", "/api/v1/placements", json=body), (201,)
        )
        if r.status_code != 201:
            return
        plid = int(r.json()["id"])
        url = f"/api/v1/placements/{plid}/transitions"
        moved = self._timed(
            "placement", self.api.build_request("POST", url, json={"to": "trial"}), (200,)
        )
        if moved.status_code == 200:
            self.unbilled.append(plid)

    def fee(self) -> None:
        if not self.unbilled:
            self.placement()
            return
        plid = self.unbilled.pop()
        request = self.api.build_request(
            "POST",
            f"/api/v1/placements/{plid}/fees",
            # demo resources carry no fee terms: the receiver's terms are given here
            json={"activity_dates": [self.today], "unit": "per_session", "unit_amount_yen": 500},
            headers={"Idempotency-Key": f"soak-{uuid.uuid4().hex}"},
        )
        self._timed("fee", request, (201,))

    def catalog(self) -> None:
        rid = self.rng.choice(self.resources)
        url = f"/api/v1/catalog/resources/{rid}"
        got = self._timed("catalog", self.api.build_request("GET", url), (200,))
        if got.status_code != 200:
            return
        body = got.json()  # PUT back what was read (read-only fields are ignored), one edit
        body["description"] = f"{body['description'][:300]}（確認 {self.today}）"
        put = self.api.build_request(
            "PUT", url, json=body, headers={"If-Match": got.headers["ETag"]}
        )
        self._timed("catalog", put, (200,))

    def run(self, stop: float) -> None:
        actions = {k: getattr(self, k) for k in KINDS}
        while time.monotonic() < stop:
            kind = self.rng.choices(KINDS, WEIGHTS)[0]
            with contextlib.suppress(httpx.HTTPError):  # counted as an error of its kind
                actions[kind]()


def _percentile(sorted_ms: list[float], q: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(q * len(sorted_ms)))] if sorted_ms else 0.0


def _report(users: list[User], elapsed: float) -> int:
    merged = Tally()
    for user in users:
        for kind in KINDS:
            merged.latencies[kind].extend(user.tally.latencies[kind])
            merged.errors[kind] += user.tally.errors[kind]
            merged.samples[kind].extend(user.tally.samples[kind])
    total = errors = 0
    print(f"{'kind':<10} {'requests':>8} {'errors':>6} {'p50_ms':>8} {'p99_ms':>8}")
    for kind in KINDS:
        ms = sorted(x * 1000 for x in merged.latencies[kind])
        total += len(ms)
        errors += merged.errors[kind]
        median = statistics.median(ms) if ms else 0.0
        print(
            f"{kind:<10} {len(ms):>8} {merged.errors[kind]:>6} {median:>8.1f} "
            f"{_percentile(ms, 0.99):>8.1f}"
        )
    every = sorted(x * 1000 for u in users for v in u.tally.latencies.values() for x in v)
    print(
        f"{'all':<10} {total:>8} {errors:>6} {statistics.median(every) if every else 0:>8.1f} "
        f"{_percentile(every, 0.99):>8.1f}   ({total / elapsed:.1f} req/s over {elapsed:.0f} s)"
    )
    for kind in KINDS:
        for sample in merged.samples[kind][:SHOWN_ERRORS_PER_KIND]:
            print(f"error {kind}: {sample}")
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--people-per-user", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default SQLite)")
    parser.add_argument("--encoder", choices=("default", "hashing"), default="default")
    args = parser.parse_args(argv)
    rng = random.Random(0)
    today = datetime.now(JST).date().isoformat()
    with tempfile.TemporaryDirectory() as tmp, _database(args.database_url, Path(tmp)) as url:
        token = _prepare(url, roles=("coordinator", "catalog_maintainer"))
        names = _create_users(url, args.users)
        with serve(url, workers=args.workers, encoder=args.encoder) as (base, _, _):
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(base_url=base, headers=headers, timeout=300) as api:
                n = args.users * args.people_per_user
                people = [
                    _ready_person(api, i, names[i % args.users], rng, today) for i in range(n)
                ]
                listed = api.get("/api/v1/catalog/resources", params={"limit": 500}).json()
                resources = [r["resource_id"] for r in listed["items"] if r["status"] == "active"]
                api.post(f"/api/v1/people/{people[0]}/suggestions").raise_for_status()  # warm
            users = [
                User(
                    base,
                    token,
                    name,
                    people[i :: args.users],
                    resources[i :: args.users] or resources[:1],
                    seed=i,
                    today=today,
                )
                for i, name in enumerate(names)
            ]
            for user in users:
                _sign_in(user.web, user.username)
            print(
                f"database={make_url(url).get_backend_name()} workers={args.workers} "
                f"users={args.users} people={len(people)} resources={len(resources)} "
                f"seconds={args.seconds:g} encoder={args.encoder}",
                flush=True,
            )
            stop = time.monotonic() + args.seconds
            started = time.monotonic()
            threads = [threading.Thread(target=u.run, args=(stop,)) for u in users]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - started
            for user in users:
                user.close()
    return 1 if _report(users, elapsed) else 0


if __name__ == "__main__":
    sys.exit(main())
