"""sitemap.xml, robots.txt and admin-managed redirects."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction

from tests.authentication.factories import UserFactory
from tests.classroom.factories import TeacherProfileFactory, listed_teacher
from tests.faq.factories import FAQPageFactory, english_home, spanish_faq_page, spanish_home

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
ROOT = "http://localhost"  # the Wagtail Site of the tests (tests/base_data.py)


def superuser():
    return UserFactory(is_superuser=True, is_staff=True)


def sitemap(client) -> ET.Element:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own server's answer


def locations(tree: ET.Element) -> list[str]:
    return [loc.text for loc in tree.findall("sm:url/sm:loc", NS)]


def alternates(tree: ET.Element, location: str) -> dict[str, str]:
    for url in tree.findall("sm:url", NS):
        if url.find("sm:loc", NS).text == location:
            return {
                link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)
            }
    raise AssertionError(f"{location} is not in the sitemap")


@pytest.fixture
def site_pages(db):
    """English and Spanish home and FAQ pages (live), an English draft, a private page."""
    faq = FAQPageFactory()
    spanish = spanish_faq_page(faq)
    draft = FAQPageFactory(title="Draft help", slug="draft-help", live=False)
    private = FAQPageFactory(title="Staff help", slug="staff-help")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    return {"faq": faq, "spanish": spanish, "draft": draft, "private": private}


def test_the_sitemap_lists_every_live_page_in_both_languages(client, site_pages):
    listed = locations(sitemap(client))

    assert f"{ROOT}/" in listed
    assert f"{ROOT}/es/" in listed
    assert f"{ROOT}{site_pages['faq'].url}" in listed
    assert f"{ROOT}/es/preguntas-frecuentes/" in listed
    # Every live, public page of the site's trees (whatever page types exist), each once.
    public = [p for p in Page.objects.live().public().filter(depth__gte=2) if p.get_url()]
    assert sorted(p.get_full_url() for p in public) == sorted(
        loc for loc in listed if "/teachers/" not in loc
    )
    assert len(listed) == len(set(listed))


def test_the_sitemap_leaves_out_drafts_private_and_unpublished_pages(client, site_pages):
    site_pages["spanish"].unpublish()

    listed = locations(sitemap(client))

    assert not any("draft-help" in loc for loc in listed)
    assert not any("staff-help" in loc for loc in listed)
    assert f"{ROOT}/es/preguntas-frecuentes/" not in listed
    assert f"{ROOT}{site_pages['faq'].url}" in listed


def test_translations_list_each_other_as_alternates(client, site_pages):
    tree = sitemap(client)
    english, spanish = f"{ROOT}{site_pages['faq'].url}", f"{ROOT}/es/preguntas-frecuentes/"

    expected = {"en": english, "es": spanish, "x-default": english}
    assert alternates(tree, english) == expected
    assert alternates(tree, spanish) == expected
    assert alternates(tree, f"{ROOT}/es/")["en"] == f"{ROOT}/"


def test_a_page_without_a_translation_has_no_alternates(client, db):
    spanish_home()
    page = FAQPageFactory()

    assert alternates(sitemap(client), f"{ROOT}{page.url}") == {}


def test_the_teacher_directory_and_listed_profiles_are_in_both_languages(client, db):
    listed = listed_teacher(first_name="Ana", last_name="García")
    hidden = TeacherProfileFactory(is_public=True, is_approved=False)

    tree = sitemap(client)
    urls = locations(tree)

    assert f"{ROOT}/teachers/" in urls
    assert f"{ROOT}/es/teachers/" in urls
    assert f"{ROOT}/teachers/{listed.slug}/" in urls
    assert f"{ROOT}/es/teachers/{listed.slug}/" in urls
    assert not any(hidden.slug in url for url in urls)
    assert alternates(tree, f"{ROOT}/teachers/{listed.slug}/") == {
        "en": f"{ROOT}/teachers/{listed.slug}/",
        "es": f"{ROOT}/es/teachers/{listed.slug}/",
        "x-default": f"{ROOT}/teachers/{listed.slug}/",
    }


def test_every_sitemap_url_answers_200(client, site_pages):
    listed_teacher(first_name="Ben")

    for location in locations(sitemap(client)):
        assert location.startswith(ROOT)
        response = client.get(location.removeprefix(ROOT), HTTP_HOST="localhost")
        assert response.status_code == 200, location


def test_sitemap_urls_use_the_wagtail_sites_host_not_the_requests(client, site_pages):
    response = client.get("/sitemap.xml", HTTP_HOST="other.example")

    tree = ET.fromstring(response.content)  # noqa: S314 - our own server's answer
    assert all(loc.startswith(ROOT) for loc in locations(tree))


def test_the_sitemap_makes_a_fixed_number_of_queries(
    client, site_pages, django_assert_max_num_queries
):
    for n in range(5):
        listed_teacher(first_name=f"Teacher{n}")
    client.get("/sitemap.xml")  # warm-up: per-process caches
    home = english_home()
    for n in range(10):
        FAQPageFactory(parent=home, title=f"Extra {n}", slug=f"extra-{n}")

    # One query per page type in the tree (specific()), not per page: the course catalog (made by
    # courses/migrations/0004) is one more type.
    with django_assert_max_num_queries(13):
        client.get("/sitemap.xml")


def test_a_bad_sitemap_page_is_a_404(client, site_pages):
    assert client.get("/sitemap.xml", {"p": "abc"}).status_code == 404
    assert client.get("/sitemap.xml", {"p": "99"}).status_code == 404


# --- robots.txt ---------------------------------------------------------------------------------


def test_robots_txt_allows_the_site_and_keeps_crawlers_out_of_admin_api_and_auth(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    disallowed = [line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow:")]
    assert disallowed == ["/admin/", "/django-admin/", "/api/", "/_allauth/", "/auth/"]
    assert f"Sitemap: {ROOT}/sitemap.xml" in lines


def test_robots_txt_names_a_sitemap_that_exists(client):
    line = next(
        line
        for line in client.get("/robots.txt").content.decode().splitlines()
        if line.startswith("Sitemap:")
    )
    url = line.removeprefix("Sitemap: ")

    assert client.get(url.removeprefix(ROOT)).status_code == 200


def test_robots_txt_and_sitemap_are_not_language_prefixed(client):
    assert reverse("robots-txt") == "/robots.txt"
    assert reverse("sitemap") == "/sitemap.xml"
    assert client.get("/es/robots.txt").status_code == 404


# --- redirects ------------------------------------------------------------------------------------


def test_a_redirect_created_in_the_admin_sends_visitors_to_its_page(client, site_pages):
    client.force_login(superuser())
    response = client.post(
        reverse("wagtailredirects:add"),
        {
            "old_path": "/help-centre/",
            "site": "",
            "is_permanent": "on",
            "redirect_page": site_pages["faq"].pk,
            "redirect_link": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Redirect.objects.filter(old_path="/help-centre").exists()
    client.logout()

    response = client.get("/help-centre/")

    assert response.status_code == 301
    assert response["Location"] == site_pages["faq"].url


def test_a_redirect_to_an_external_link_is_temporary_when_not_permanent(client, db):
    client.force_login(superuser())
    client.post(
        reverse("wagtailredirects:add"),
        {"old_path": "/old-prices", "site": "", "redirect_link": "https://example.com/prices"},
    )
    client.logout()

    response = client.get("/old-prices/")

    assert response.status_code == 302
    assert response["Location"] == "https://example.com/prices"
