"""評価シートの訂正 on the web: a prefilled form, the print shows the new text, history stays."""

from __future__ import annotations

from tests.web.conftest import Web, intake


def test_a_sheet_is_corrected_through_the_prefilled_form(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    pid = intake(web)
    made = web.post(f"/people/{pid}/evaluations/new",
                    {"evaluated_on": "2027-01-20", "staff_opinion": "最初の意見"})  # fmt: skip
    assert made.status_code == 303, made.text
    sheet_url = made.headers["location"]
    eid = sheet_url.split("/")[2]
    form = web.client.get(f"/evaluations/{eid}/edit")
    assert form.status_code == 200 and "最初の意見" in form.text
    fixed = web.post(f"/evaluations/{eid}/edit",
                     {"evaluated_on": "2027-01-20", "staff_opinion": "直した意見"})  # fmt: skip
    assert fixed.status_code == 303, fixed.text
    page = web.client.get(sheet_url)
    assert "直した意見" in page.text and "訂正履歴" in page.text and "最初の意見" in page.text
    assert "user:" not in page.text and "history.back" not in page.text
    assert f'href="/people/{pid}"' in page.text
