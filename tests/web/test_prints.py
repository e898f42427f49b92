"""Prints for the interview: blank 様式第2号・第3号, a way back, repeated plan headers."""

from __future__ import annotations

from pathlib import Path

from tests.web.conftest import Web

PRINT_CSS = Path(__file__).resolve().parents[2] / "api" / "static" / "print.css"


def test_blank_forms_print_without_personal_data(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    plan = web.client.get("/plan-form/blank")
    assert plan.status_code == 200 and "(様式第2号)" in plan.text
    assert "下書き" not in plan.text and "history.back" not in plan.text
    evaluation = web.client.get("/evaluation-form/blank")
    assert evaluation.status_code == 200 and "評価シート" in evaluation.text
    assert "☑" not in evaluation.text and "☐" in evaluation.text


def test_the_plan_header_sits_in_a_thead_that_repeats_on_every_page(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    html = web.client.get("/plan-form/blank").text
    head = html.split("<thead", 1)[1].split("</thead>", 1)[0]
    assert "受付番号" in head and "主担当者" in head
    css = PRINT_CSS.read_text(encoding="utf-8")
    printed = css.split("@media print", 1)[1]
    assert "thead { display: table-header-group; }" in printed
