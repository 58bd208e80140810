"""Wagtail's per-request lookups are cached (cplatform.wagtail_lookups): the request's Site, the
active Locale, whether any page has a view restriction and the page a path routes to. A served page
asks none of them once warm, and every edit of a site, its root page, a locale, a page or a privacy
setting shows at once."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Locale, Page, PageViewRestriction, Site

from home.models import LandingPage
from tests.home.factories import english_home
from tests.query_budget import capture_queries

pytestmark = pytest.mark.django_db


def sql_of(client, url: str, **extra) -> str:
    client.get(url, **extra)
    with capture_queries() as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return " ".join(q["sql"] for q in captured.captured_queries)


def landing(title: str = "Summer school", slug: str = "summer") -> LandingPage:
    page = english_home().add_child(instance=LandingPage(title=title, slug=slug))
    page.save_revision().publish()
    return LandingPage.objects.get(pk=page.pk)


def test_a_warm_page_asks_for_no_site_locale_or_view_restriction(client):
    sql = sql_of(client, "/")
    assert 'FROM "wagtailcore_site"' not in sql
    assert 'FROM "wagtailcore_locale"' not in sql
    assert 'FROM "wagtailcore_pageviewrestriction"' not in sql


def test_a_new_site_for_a_host_and_its_root_page_show_at_once(client):
    page = landing()
    host = {"HTTP_HOST": "summer.example.com"}
    assert "Summer school" not in client.get("/", **host).content.decode()  # the default site

    site = Site.objects.create(hostname="summer.example.com", port=80, root_page=page)
    assert "Summer school" in client.get("/", **host).content.decode()

    page.title = "Winter school"
    page.save_revision().publish()
    assert "Winter school" in client.get("/", **host).content.decode()

    site.root_page = english_home()
    site.save()
    assert "Winter school" not in client.get("/", **host).content.decode()

    site.root_page = page
    site.save()
    assert "Winter school" in client.get("/", **host).content.decode()
    site.delete()
    assert "Winter school" not in client.get("/", **host).content.decode()


def test_the_active_locale_follows_locales_added_and_removed():
    with translation.override("es"):
        assert Locale.get_active().language_code == "es"
        Locale.objects.get(language_code="es").delete()
        assert Locale.get_active().language_code == "en"  # Wagtail's answer: the default
        Locale.objects.create(language_code="es")
        assert Locale.get_active().language_code == "es"
        assert Locale.get_active().pk == Locale.objects.get(language_code="es").pk


def found(client, word: str) -> bool:
    """Whether the landing page at /summer/ is among the search results for `word`."""
    response = client.get("/search/", {"q": word})
    assert response.status_code == 200
    return 'href="/summer/"' in response.content.decode()


def test_a_view_restriction_added_to_a_page_applies_at_once_and_removed_lifts(client):
    page = landing()
    assert "Summer school" in client.get("/summer/").content.decode()
    assert found(client, "summer")

    restriction = PageViewRestriction.objects.create(
        page=page,
        restriction_type=PageViewRestriction.PASSWORD,
        password="letmein",  # noqa: S106
    )
    response = client.get("/summer/")
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()  # Wagtail's password form, not the page
    assert not found(client, "summer")

    restriction.delete()
    response = client.get("/summer/")
    assert 'name="password"' not in response.content.decode()
    assert found(client, "summer")


def test_a_warm_page_is_routed_without_a_page_query(client):
    landing()
    sql = sql_of(client, "/summer/")
    assert 'FROM "wagtailcore_page"' not in sql
    assert 'FROM "home_landingpage"' not in sql


def test_a_page_renamed_moved_unpublished_republished_and_deleted_routes_at_once(client):
    page = landing()
    assert "Summer school" in client.get("/summer/").content.decode()  # now remembered

    page.slug = "sun"
    page.save_revision().publish()
    assert client.get("/summer/").status_code == 404
    assert "Summer school" in client.get("/sun/").content.decode()

    page.title = "Sun school"
    page.save_revision().publish()
    assert "Sun school" in client.get("/sun/").content.decode()

    parent = landing(title="Camps", slug="camps")
    page.refresh_from_db()
    page.move(parent, pos="last-child")
    moved = client.get("/sun/")  # Wagtail's redirect to the new address, not the page
    assert (moved.status_code, moved.get("Location")) == (301, "/camps/sun/")
    assert "Sun school" in client.get("/camps/sun/").content.decode()

    page.refresh_from_db()
    page.unpublish()
    assert client.get("/camps/sun/").status_code == 404
    page.save_revision().publish()
    assert client.get("/camps/sun/").status_code == 200

    page.delete()
    assert client.get("/camps/sun/").status_code == 404


def test_a_route_is_remembered_per_language_and_a_new_translation_serves_at_once(client):
    from tests.courses.page_helpers import translate_page

    page = landing()
    # no Spanish copy yet: Wagtail serves the English page there, and that route is remembered
    assert "Summer school" in client.get("/es/summer/").content.decode()
    translate_page(page, title="Escuela de verano")
    assert "Escuela de verano" in client.get("/es/summer/").content.decode()
    assert "Summer school" in client.get("/summer/").content.decode()


def test_each_request_gets_its_own_copy_of_a_remembered_page(client):
    page = landing()
    client.get("/summer/")
    first = Page.route_for_request(RequestFactory().get("/summer/"), "/summer/").page
    first.title = "Changed in one request only"
    again = Page.route_for_request(RequestFactory().get("/summer/"), "/summer/").page
    assert again.title == "Summer school"
    assert again.pk == page.pk
    assert type(again) is LandingPage
