"""Time a catalog import of N synthetic resources into a fresh database, then a re-import.

    .venv/bin/python scripts/bench_catalog_import.py --resources 100000 [--database-url URL]
        [--csv PATH] [--import-only]

Without --database-url a fresh SQLite file in a temporary folder is used. The CSV is built
by the demo generator, parsed like an upload (parse_file) and imported in one transaction.
``--csv PATH`` reads the CSV from PATH when it exists and otherwise writes the generated one
there, so repeated runs (A/B timing of whole processes) skip the generator; ``--import-only``
stops after the first import (no re-import, no reads).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from resources_catalog import service
from resources_catalog.demo.generator import generate
from resources_catalog.exporters.csv import export_csv
from storage.engine import make_engine, make_session_factory, unit_of_work
from storage.migrate import upgrade


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _timed(label: str, count: int, started: tuple[float, float]) -> None:
    """Wall seconds and rows/s as before, then this process's CPU seconds.

    The CPU figure tells a slow run on a busy machine (wall far above CPU) from a slow
    import (both high); the database server's own CPU is not in it on PostgreSQL.
    """
    seconds = time.perf_counter() - started[0]
    cpu = time.process_time() - started[1]
    print(f"{label:<28} {seconds:8.2f} s  {count / seconds:10,.0f} rows/s  cpu {cpu:6.2f} s")


def main() -> None:
    """Generate, import, re-import, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--database-url", default=None, help="an empty, migratable database")
    parser.add_argument("--csv", type=Path, default=None, help="CSV to read, or to write once")
    parser.add_argument("--import-only", action="store_true", help="skip re-import and reads")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        factory = make_session_factory(engine)
        n = args.resources
        print(f"database: {engine.url.render_as_string(hide_password=True)}  resources: {n:,}")

        started = _clock()
        if args.csv is not None and args.csv.exists():
            data = args.csv.read_bytes()
            _timed("read CSV (not counted)", n, started)
        else:
            data = export_csv(generate(n, prefix="B"))
            _timed("generate CSV (not counted)", n, started)
            if args.csv is not None:
                args.csv.write_bytes(data)

        started = _clock()
        records, errors, total = service.parse_file(data, "bench.csv")
        _timed("parse", n, started)
        begin = _clock()
        with unit_of_work(factory) as session:
            report = service.import_records(
                session, records, errors, total_rows=total, actor="bench"
            )
        _timed("write (new)", n, begin)
        _timed("import total (parse+write)", n, started)
        assert len(report.new) == n, report
        if args.import_only:
            engine.dispose()
            return

        started = _clock()
        records, errors, total = service.parse_file(data, "bench.csv")
        with unit_of_work(factory) as session:
            report = service.import_records(
                session, records, errors, total_rows=total, actor="bench"
            )
        _timed("re-import (all unchanged)", n, started)
        assert len(report.unchanged) == n, report

        with unit_of_work(factory) as session:
            started = _clock()
            free_places = service.availability(session)
            _timed("availability map (read)", n, started)
            started = _clock()
            service.catalog_revision(session)
            _timed("catalog_revision (read)", 1, started)
        assert len(free_places) == n
        engine.dispose()


if __name__ == "__main__":
    main()
