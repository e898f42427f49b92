"""The matching notebooks execute headless (nbclient)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = [
    "matching_evaluation.ipynb",
    "matching_benchmark.ipynb",
    "learning_from_decisions.ipynb",
]


@pytest.mark.slow
@pytest.mark.skipif(
    bool(os.environ.get("TSUNAGU_TEST_DATABASE_URL")),
    reason="the matching notebooks use no database: the SQLite pass already ran them",
)
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_executes(name: str) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors
