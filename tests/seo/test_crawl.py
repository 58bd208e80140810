"""Site-wide SEO: crawl every public page and check its head.

The crawl builds one live page of every Wagtail page type (with the type's own factory from
tests/<app>/factories.py, `<Model>Factory`, when no such page exists yet), the FAQ page in both
languages and a listed teacher, then visits every live page plus the non-page views (teacher
directory and profile, search) in both languages. Each must answer 200 with a <title>, a meta
description, an absolute canonical link that answers 200, and hreflang alternates that all answer 200.
New page types are covered as soon as they have a factory; a page type without one fails
`test_every_page_type_is_crawled`.
"""

from __future__ import annotations

import importlib
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, get_page_models

from tests.classroom.factories import listed_teacher
from tests.faq.factories import FAQPageFactory, spanish_faq_page, spanish_home
from tests.seo.conftest import soup

pytestmark = pytest.mark.django_db


def page_factory_for(model):
    """`tests.<app>.factories.<Model>Factory`, or None."""
    try:
        module = importlib.import_module(f"tests.{model._meta.app_label}.factories")
    except ModuleNotFoundError:
        return None
    return getattr(module, f"{model.__name__}Factory", None)


def concrete_page_types() -> list[type[Page]]:
    return [model for model in get_page_models() if model is not Page and not model._meta.abstract]


@pytest.fixture
def public_site(db):
    """One live page of every page type, the FAQ in two languages, a listed teacher. Returns the
    page types a factory could not build, with the reason."""
    spanish_home()
    faq = FAQPageFactory()
    spanish_faq_page(faq)
    teacher = listed_teacher(first_name="Ana", last_name="García")
    not_built = {}
    for model in concrete_page_types():
        if model.objects.live().exists():
            continue
        factory = page_factory_for(model)
        if factory is None:
            not_built[model._meta.label] = "no factory in tests/<app>/factories.py"
            continue
        try:
            factory()
        except Exception as exc:  # noqa: BLE001 - reported by test_every_page_type_is_crawled
            not_built[model._meta.label] = f"{type(exc).__name__}: {exc}"
    return {"teacher": teacher, "faq": faq, "not_built": not_built}


def public_urls(teacher) -> list[str]:
    """Paths of every public page: every live, routable Wagtail page and the non-page views."""
    paths = []
    for page in Page.objects.live().public().specific().order_by("path"):
        url = page.get_url()
        if url:
            paths.append(url)
    for language in ("en", "es"):
        with translation.override(language):
            paths += [
                reverse("teacher-directory"),
                reverse("teacher-detail", args=[teacher.slug]),
                reverse("search"),
                reverse("search") + "?q=lesson",
            ]
    return paths


def head_problems(client, path: str) -> list[str]:
    """What is missing or broken in the head of the page at `path` (empty when all is well)."""
    response = client.get(path)
    if response.status_code != 200:
        return [f"{path}: answers {response.status_code}"]
    html = soup(response)
    problems = []
    title = html.title.get_text(strip=True) if html.title else ""
    if not title or title.startswith("·"):
        problems.append(f"{path}: no <title> text")
    description = html.find("meta", attrs={"name": "description"})
    if description is None or not description.get("content", "").strip():
        problems.append(f"{path}: no meta description")
    canonical = html.find("link", rel="canonical")
    if canonical is None or not canonical.get("href"):
        problems.append(f"{path}: no canonical link")
    elif not canonical["href"].startswith(("http://", "https://")):
        problems.append(f"{path}: canonical is not absolute ({canonical['href']})")
    else:
        problems += answers_200(client, path, "canonical", canonical["href"])
    for link in html.find_all("link", rel="alternate", hreflang=True):
        problems += answers_200(client, path, f"hreflang={link['hreflang']}", link.get("href", ""))
    return problems


def answers_200(client, path: str, what: str, url: str) -> list[str]:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return [f"{path}: {what} is not an absolute URL ({url!r})"]
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    status = client.get(target, HTTP_HOST=parts.netloc).status_code
    return [] if status == 200 else [f"{path}: {what} {url} answers {status}"]


def test_every_page_type_is_crawled(public_site):
    live_types = {
        model._meta.label for model in concrete_page_types() if model.objects.live().exists()
    }

    missing = {
        label: public_site["not_built"].get(label, "no live page")
        for label in (m._meta.label for m in concrete_page_types())
        if label not in live_types
    }
    assert missing == {}, "page types the SEO crawl cannot cover: " + repr(missing)


def test_the_crawl_reaches_every_kind_of_public_page(public_site):
    paths = public_urls(public_site["teacher"])

    for expected in ("/", "/es/", "/teachers/", "/es/teachers/", "/search/", "/es/search/"):
        assert expected in paths
    assert "/es/preguntas-frecuentes/" in paths
    assert f"/teachers/{public_site['teacher'].slug}/" in paths


def test_every_public_page_has_a_title_description_canonical_and_working_alternates(
    client, public_site
):
    problems = []
    for path in public_urls(public_site["teacher"]):
        problems += head_problems(client, path)

    assert problems == [], "SEO problems:\n" + "\n".join(problems)


def test_pages_with_a_translation_name_it_as_an_hreflang_alternate(client, public_site):
    html = soup(client.get("/es/preguntas-frecuentes/"))

    alternates = {
        link["hreflang"]: link["href"]
        for link in html.find_all("link", rel="alternate", hreflang=True)
    }
    assert alternates["es"] == "http://localhost/es/preguntas-frecuentes/"
    assert alternates["en"] == public_site["faq"].full_url


def test_the_crawl_reports_a_page_without_a_description_or_canonical(client, public_site):
    """The checker itself: a page that lacks the tags is reported (the sitemap is not HTML)."""
    problems = head_problems(client, "/robots.txt")

    assert problems == [
        "/robots.txt: no <title> text",
        "/robots.txt: no meta description",
        "/robots.txt: no canonical link",
    ]
