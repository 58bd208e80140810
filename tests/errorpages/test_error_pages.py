"""Branded 400 / 403 / 404 / 500 pages in both languages, as a visitor meets them with DEBUG off."""

import pytest
from django.db import connection
from django.template.loader import get_template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.authentication.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.errorpages.urls")]

PAGES = {
    # status: (path, English heading, Spanish heading)
    400: ("/failing/400/", "Bad request", "Solicitud no válida"),
    403: ("/failing/403/", "You cannot open this page", "No puedes abrir esta página"),
    404: ("/no-such-page/", "Page not found", "Página no encontrada"),
    500: ("/failing/500/", "Something went wrong", "Algo ha salido mal"),
}


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def test_debug_is_off_so_visitors_see_these_pages(settings):
    assert settings.DEBUG is False


@pytest.mark.parametrize("status", PAGES)
@pytest.mark.parametrize("language", ["en", "es"])
def test_each_error_page_is_branded_and_in_the_language_of_the_address(visitor, status, language):
    path, english, spanish = PAGES[status]
    prefix = "/es" if language == "es" else ""

    response = visitor.get(prefix + path)

    assert response.status_code == status
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert 'class="error-page"' in html
    assert "css/site.css" in html  # the site's look, not Django's plain text
    home = "/es/" if language == "es" else "/"
    assert f'href="{home}"' in html  # a way back to the home page of that language
    heading, other = (spanish, english) if language == "es" else (english, spanish)
    assert f"<h1>{heading}</h1>" in html
    assert other not in html


@pytest.mark.parametrize("status", [400, 403, 404])
def test_the_pages_with_a_request_offer_search_and_the_persons_own_home(visitor, status):
    path = PAGES[status][0]
    html = visitor.get("/es" + path).content.decode()
    assert 'action="/es/search/"' in html
    assert 'href="/es/dashboard/"' not in html  # anonymous: no home of their own

    visitor.force_login(UserFactory())
    html = visitor.get("/es" + path).content.decode()
    assert 'href="/es/dashboard/"' in html
    assert "Ir a tu inicio" in html


def test_the_500_page_renders_with_no_request_and_no_database_query():
    with translation.override("es"), CaptureQueriesContext(connection) as queries:
        html = get_template("500.html").render()
    assert queries.captured_queries == []
    assert "Algo ha salido mal" in html and 'href="/es/"' in html


def test_the_api_keeps_its_json_errors(visitor):
    response = visitor.get("/api/v1/no-such-operation")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"
