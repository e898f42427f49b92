"""The fiscal-year report notebook executes headless and its budget figures are right."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from casework import repository as repo
from casework.demo import build_demo_caseload
from casework.services import fees

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "casework_fiscal_year_report.ipynb"
SEED = 2025  # the notebook's SEED

# Appended to a copy of the notebook: the figures the report showed, as JSON on stdout.
PROBE = """
import json
print(json.dumps({
    "seed": SEED,
    "budget": {int(fy): {k: int(v) for k, v in row.items() if k != "執行率"}
               for fy, row in budget_table.to_dict("index").items()},
    "receivers": {int(fy): int(total) for fy, total
                  in receiver_table["執行額"].groupby(level="年度").sum().items()},
}))
"""


@pytest.fixture(scope="module")
def executed() -> tuple[Any, dict[str, Any]]:
    """The notebook run once with nbclient, and what the probe cell reported."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("matplotlib")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    probe = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    return nb, json.loads(probe)


def _outputs(nb: Any) -> list[tuple[Any, dict[str, Any]]]:
    return [
        (cell, output)
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    ]


@pytest.mark.slow
def test_report_notebook_runs_without_errors_and_draws_charts(
    executed: tuple[Any, dict[str, Any]],
) -> None:
    nb, _ = executed
    outputs = _outputs(nb)
    assert not [o for _, o in outputs if o.get("output_type") == "error"]
    charts = [o for _, o in outputs if "image/png" in o.get("data", {})]
    assert len(charts) >= 3


@pytest.mark.slow
def test_every_report_table_cell_shows_a_non_empty_table(
    executed: tuple[Any, dict[str, Any]],
) -> None:
    nb, _ = executed
    tables = [c for c in nb.cells if "report-table" in c.metadata.get("tags", [])]
    assert len(tables) >= 7
    for cell in tables:
        html = "".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)
        assert "<table" in html and "<td" in html, cell.source


@pytest.mark.slow
def test_budget_table_matches_fee_totals_of_the_same_seeded_caseload(
    session: Session, executed: tuple[Any, dict[str, Any]]
) -> None:
    _, reported = executed
    assert reported["seed"] == SEED
    caseload = build_demo_caseload(session, seed=SEED)
    finance = caseload.staff.finance
    committed = {
        int(t.key): t.committed_yen
        for t in fees.fee_totals(session, finance, group_by="fiscal_year")
    }
    paid = {
        int(t.key): t.paid_yen for t in fees.fee_totals(session, finance, group_by="fiscal_year")
    }
    assert sorted(int(fy) for fy in reported["budget"]) == list(caseload.fiscal_years)
    for fy in caseload.fiscal_years:
        budget = repo.get_budget(session, fy)
        assert budget is not None
        row = reported["budget"][str(fy)]
        assert row["予算額"] == budget.budget_yen
        assert row["執行額（承認＋支払）"] == committed[fy] > 0
        assert row["うち支払済"] == paid[fy]
        assert row["残額"] == budget.budget_yen - committed[fy]
        assert reported["receivers"][str(fy)] == committed[fy]
