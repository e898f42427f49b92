"""The shipped tables are what scripts/build_places_data.py derives from ../shared/data."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.conftest import shared_path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "places" / "data"


def test_rebuilding_from_the_sources_reproduces_the_shipped_files(tmp_path: Path) -> None:
    pytest.importorskip("shapely", minversion="2.1", reason="the build script needs shapely")
    source = shared_path("data", "chiba_city_towns_geolonia.csv").parent
    spec = importlib.util.spec_from_file_location(
        "build", ROOT / "scripts" / "build_places_data.py"
    )
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    build.main(["--source", str(source), "--out", str(tmp_path)])
    names = sorted(p.name for p in SHIPPED.iterdir() if p.suffix in (".csv", ".geojson"))
    assert names == sorted(p.name for p in tmp_path.iterdir())
    for name in names:
        assert (tmp_path / name).read_bytes() == (SHIPPED / name).read_bytes(), name
