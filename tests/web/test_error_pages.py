"""Every URL a browser opens answers a Japanese page (errors included); API clients keep
JSON; ``/`` leads to sign-in or the dashboard."""

from __future__ import annotations

import pytest

from tests.web.conftest import Web

BROWSER = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def test_root_leads_to_sign_in_then_to_the_dashboard(web: Web) -> None:
    web.client.cookies.clear()
    first = web.client.get("/", headers=BROWSER, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/login"
    web.login(web.add_user("coordinator"))
    again = web.client.get("/", headers=BROWSER, follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/dashboard"


def _is_error_page(response: object, status: int) -> None:
    assert response.status_code == status  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("text/html")  # type: ignore[attr-defined]
    html = response.text  # type: ignore[attr-defined]
    assert 'lang="ja"' in html and 'role="alert"' in html
    assert '"error"' not in html and "history.back" not in html


def test_an_unknown_url_answers_the_japanese_404_page(web: Web) -> None:
    response = web.client.get("/no/such/page", headers=BROWSER)
    _is_error_page(response, 404)
    assert "ページが見つかりません" in response.text
    assert 'href="/login"' in response.text  # not signed in: the way back is sign-in


def test_a_wrong_method_answers_the_405_page_and_keeps_allow(web: Web) -> None:
    response = web.client.delete("/login", headers=BROWSER)
    _is_error_page(response, 405)
    assert "GET" in response.headers["allow"]


def test_a_bad_query_parameter_answers_the_422_page(web: Web) -> None:
    web.login(web.add_user("auditor"))
    response = web.client.get("/audit?before=0", headers=BROWSER)
    _is_error_page(response, 422)
    assert "入力内容に誤りがあります" in response.text
    assert 'href="/dashboard"' in response.text


def test_a_forbidden_page_answers_the_403_page(web: Web) -> None:
    web.login(web.add_user("finance"))
    response = web.client.get("/audit", headers=BROWSER)
    _is_error_page(response, 403)


def test_an_unexpected_error_answers_the_500_page(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.web.routers import dashboard

    web.login(web.add_user("coordinator"))

    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(dashboard, "render", boom)
    web.client.__dict__["_transport"].raise_server_exceptions = False
    response = web.client.get("/dashboard", headers=BROWSER)
    _is_error_page(response, 500)
    assert "システムの不具合です" in response.text


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/hsds/nothing-here"])
def test_api_clients_keep_json_errors_even_when_accepting_html(web: Web, path: str) -> None:
    response = web.client.get(path, headers=BROWSER)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"] == "not_found"


def test_a_client_that_asks_for_json_keeps_json(web: Web) -> None:
    response = web.client.get("/no/such/page", headers={"accept": "application/json"})
    assert response.status_code == 404 and response.json()["error"] == "not_found"
