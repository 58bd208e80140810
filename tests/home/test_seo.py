"""The head of every public page: title, description, canonical, hreflang alternates, OpenGraph and
Twitter cards with the share image, Organization JSON-LD from the site settings."""

import json
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from home.models import SiteSettings
from tests.home.factories import (
    ImageFactory,
    LandingPageFactory,
    RichTextSectionBlockFactory,
    fill_home_page,
)

pytestmark = pytest.mark.django_db


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser").head


def meta(soup, key):
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def json_ld(soup) -> list[dict]:
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


def alternates(soup) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in soup.find_all("link", rel="alternate")}


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_home_page_head_has_title_description_canonical_and_open_graph(client, home):
    fill_home_page(home)
    home.seo_title = "Lessons with reviewed teachers"
    home.save_revision().publish()

    soup = head(client, "/")

    assert soup.title.string == "Lessons with reviewed teachers · cplatform"
    description = "Find a reviewed teacher and book lessons, online or in person."
    assert meta(soup, "description") == description
    assert soup.find("link", rel="canonical")["href"] == "http://localhost/"
    assert meta(soup, "og:title") == "Lessons with reviewed teachers"
    assert meta(soup, "og:description") == description
    assert meta(soup, "og:url") == "http://localhost/"
    assert meta(soup, "og:type") == "website"
    assert meta(soup, "twitter:title") == "Lessons with reviewed teachers"


def test_a_landing_page_without_a_description_is_described_by_its_content(client):
    page = LandingPageFactory(search_description="", body__0="hero", body__1="rich_text")

    soup = head(client, page.url)

    assert soup.title.string == f"{page.title} · cplatform"
    assert meta(soup, "description").startswith("Learn from teachers who love their subject")
    assert len(meta(soup, "description")) <= 160
    assert soup.find("link", rel="canonical")["href"] == f"http://localhost{page.url}"


def test_the_share_image_is_an_absolute_1200_by_630_rendition(client):
    image = ImageFactory(title="Students in a sunny classroom")
    page = LandingPageFactory(body__0="rich_text", share_image=image)

    soup = head(client, page.url)

    url = meta(soup, "og:image")
    assert url.startswith("http://localhost/media/images/")
    assert ".fill-1200x630" in url
    assert (meta(soup, "og:image:width"), meta(soup, "og:image:height")) == ("1200", "630")
    assert meta(soup, "og:image:alt") == "Students in a sunny classroom"
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert meta(soup, "twitter:image") == url
    assert client.get(path_of(url)).status_code in (200, 404)  # served by the web server


def test_pages_without_a_share_image_use_the_sites_default(client, home):
    settings = SiteSettings.for_site(home.get_site())
    settings.default_share_image = ImageFactory()
    settings.x_handle = "@cplatform"
    settings.save()
    page = LandingPageFactory(body=[("rich_text", RichTextSectionBlockFactory())])  # no picture

    soup = head(client, page.url)

    assert meta(soup, "og:image").endswith(
        settings.default_share_image.get_rendition("fill-1200x630|jpegquality-80").url
    )
    assert meta(soup, "twitter:site") == "@cplatform"


def test_without_any_image_the_twitter_card_is_a_summary(client):
    page = LandingPageFactory(body=[("rich_text", RichTextSectionBlockFactory())])

    soup = head(client, page.url)

    assert meta(soup, "og:image") is None
    assert meta(soup, "twitter:card") == "summary"


def test_every_page_carries_the_organization_json_ld_from_the_site_settings(client, home):
    settings = SiteSettings.for_site(home.get_site())
    settings.logo = ImageFactory()
    settings.contact_email = "hello@cplatform.example"
    settings.contact_phone = "+34 600 000 000"
    settings.address = "Calle Mayor 1\nMadrid"
    settings.instagram_url = "https://instagram.com/cplatform"
    settings.save()

    for url in ("/", "/teachers/", "/auth/login/"):
        [organization] = [d for d in json_ld(head(client, url)) if d["@type"] == "Organization"]
        assert organization["@context"] == "https://schema.org"
        assert organization["name"] == "cplatform"
        assert organization["url"] == "http://localhost/"
        assert organization["logo"].startswith("http://localhost/media/images/")
        assert organization["email"] == "hello@cplatform.example"
        assert organization["telephone"] == "+34 600 000 000"
        assert organization["address"] == "Calle Mayor 1 Madrid"
        assert organization["sameAs"] == ["https://instagram.com/cplatform"]


def test_the_home_page_adds_website_json_ld_in_its_language(client, spanish_home):
    [website] = [d for d in json_ld(head(client, "/es/")) if d["@type"] == "WebSite"]

    assert website == {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": "Aprende con cplatform",
        "url": "http://localhost/es/",
        "inLanguage": "es",
    }


def test_json_ld_cannot_be_closed_by_editor_text(client, home):
    home.seo_title = "</script><script>alert(1)</script>"
    home.save_revision().publish()

    soup = head(client, "/")

    # The script element is only closed by "</script": escaped as "<\/", the title stays data.
    assert "</script><script>alert(1)" not in str(soup)
    [website] = [d for d in json_ld(soup) if d["@type"] == "WebSite"]
    assert website["name"] == "</script><script>alert(1)</script>"


def test_hreflang_alternates_list_every_live_translation_and_point_to_pages_that_exist(
    client, spanish_home
):
    page = LandingPageFactory(body__0="rich_text", slug="summer")
    spanish_page = page.copy_for_translation(spanish_home.locale)
    spanish_page.slug = "verano"
    spanish_page.save_revision().publish()

    for url in ("/", "/es/", "/summer/", "/es/verano/"):
        links = alternates(head(client, url))
        assert set(links) == {"en", "es", "x-default"}
        assert links["x-default"] == links["en"]
        for href in links.values():
            assert Client().get(path_of(href)).status_code == 200, href
    assert alternates(head(client, "/summer/"))["es"] == "http://localhost/es/verano/"


def test_a_draft_translation_is_not_an_alternate(client, spanish_home):
    page = LandingPageFactory(body__0="rich_text", slug="autumn")
    draft = page.copy_for_translation(spanish_home.locale)
    draft.save_revision()  # not published

    assert alternates(head(client, "/autumn/")) == {}


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/teachers/", "Find a teacher · cplatform"),
        ("/es/teachers/", "Encuentra un profesor · cplatform"),
        ("/auth/login/", None),
        ("/auth/register/", None),
    ],
)
def test_views_that_are_not_pages_get_a_title_a_description_and_a_canonical_link(
    client, url, title
):
    soup = head(client, url)

    assert soup.title.string.endswith(" · cplatform") and len(soup.title.string) > 13
    if title:
        assert soup.title.string == title
    assert meta(soup, "description")
    assert soup.find("link", rel="canonical")["href"] == f"http://localhost{url}"
    assert meta(soup, "og:title") == soup.title.string.removesuffix(" · cplatform")


def test_the_canonical_link_of_a_view_leaves_out_the_query_string(client):
    soup = head(client, "/teachers/?subject=piano&page=2")

    assert soup.find("link", rel="canonical")["href"] == "http://localhost/teachers/"


def test_views_list_their_address_in_every_language_as_alternates(client):
    links = alternates(head(client, "/teachers/"))

    assert links == {
        "en": "http://localhost/teachers/",
        "es": "http://localhost/es/teachers/",
        "x-default": "http://localhost/teachers/",
    }
    for href in links.values():
        assert client.get(path_of(href)).status_code == 200
