"""The language switcher: a plain link per other language, to the translated page when there is a
live one, else to that language's home page; other views keep their path in the other language."""

import pytest
from bs4 import BeautifulSoup

from tests.home.factories import LandingPageFactory

pytestmark = pytest.mark.django_db


def switcher_link(client, url, code):
    response = client.get(url)
    assert response.status_code == 200, url
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one(".language-switcher form") is None
    link = soup.select_one(f'.language-switcher a[hreflang="{code}"]')
    assert link is not None and link["lang"] == code
    return link["href"]


@pytest.fixture
def summer(spanish_home):
    """An English landing page and its published Spanish translation."""
    page = LandingPageFactory(body__0="rich_text", slug="summer")
    spanish = page.copy_for_translation(spanish_home.locale)
    spanish.slug = "verano"
    spanish.save_revision().publish()
    return page


def test_the_switcher_offers_only_the_other_language(client, home):
    html = client.get("/").content.decode()
    soup = BeautifulSoup(html, "html.parser")

    assert [a["hreflang"] for a in soup.select(".language-switcher a")] == ["es"]
    assert "Español" in soup.select_one(".language-switcher a").get_text()


def test_the_switcher_goes_to_the_translated_page(client, summer):
    assert switcher_link(client, "/summer/", "es") == "/es/verano/"
    assert switcher_link(client, "/es/verano/", "en") == "/summer/"


def test_the_home_page_switches_to_the_other_home_page(client, spanish_home):
    assert switcher_link(client, "/", "es") == "/es/"
    assert switcher_link(client, "/es/", "en") == "/"


def test_without_a_translation_the_switcher_goes_to_the_languages_home_page(client, spanish_home):
    LandingPageFactory(body__0="rich_text", slug="only-english")

    href = switcher_link(client, "/only-english/", "es")

    assert href == "/es/"
    assert client.get(href).status_code == 200


def test_a_draft_translation_is_not_linked(client, spanish_home):
    page = LandingPageFactory(body__0="rich_text", slug="draft-es")
    page.copy_for_translation(spanish_home.locale).save_revision()

    assert switcher_link(client, "/draft-es/", "es") == "/es/"


def test_other_views_switch_to_the_same_address_in_the_other_language(client, home):
    assert switcher_link(client, "/teachers/?subject=piano", "es") == "/es/teachers/?subject=piano"
    assert switcher_link(client, "/es/teachers/", "en") == "/teachers/"
    assert switcher_link(client, "/auth/login/", "es") == "/es/auth/login/"


def test_following_the_switcher_serves_the_page_in_that_language(client, summer):
    href = switcher_link(client, "/summer/", "es")

    response = client.get(href)

    assert response.status_code == 200
    assert '<html lang="es">' in response.content.decode()
