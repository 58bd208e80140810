"""A scheduled post is dated the day it goes live (unless its editor dates it in the same save),
and the blog's listings (index, category, tag) show each post's date and author in the reader's
language, with the site's named date format."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from blog.models import BlogPage
from cplatform.editorial import EDITORS, MODERATORS
from tests.authentication.factories import UserFactory
from tests.blog.factories import BlogAuthorFactory, BlogCategoryFactory, BlogPageFactory
from tests.editorial.admin_forms import post_edit

pytestmark = pytest.mark.django_db


def member_of(group_name: str):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


def new_post_data(**changes) -> dict:
    data = nested_form_data(
        {
            "title": "Spring term opens",
            "slug": "spring-term-opens",
            "intro": "Enrolment for the spring term starts next week.",
            "date": timezone.localdate().isoformat(),  # what the form offers: today
            "author": BlogAuthorFactory(name="Lucía Gómez").pk,
            "tags": "",
            "body": streamfield([("rich_text", rich_text("<p>See you there.</p>"))]),
            **changes,
        }
    )
    data["categories"] = []
    return data


def draft_of(slug: str) -> BlogPage:
    return BlogPage.objects.get(slug=slug).get_latest_revision_as_object()


# --- a scheduled post's date -----------------------------------------------------------------------


def test_an_editor_schedules_a_new_post_and_its_date_becomes_the_go_live_day(client, blog_index):
    client.force_login(member_of(EDITORS))
    go_live = timezone.localdate() + datetime.timedelta(days=8)

    response = client.post(
        reverse("wagtailadmin_pages:add", args=("blog", "blogpage", blog_index.pk)),
        new_post_data(go_live_at=f"{go_live.isoformat()} 09:00"),
    )

    assert response.status_code == 302, response.context["form"].errors
    draft = draft_of("spring-term-opens")
    assert draft.go_live_at is not None and draft.date == go_live


def test_moving_the_schedule_moves_the_date_and_a_date_given_with_it_is_kept(client, blog_index):
    client.force_login(member_of(MODERATORS))
    # Text only: the test helper posts the body as the editor would, images aside.
    post = BlogPageFactory(parent=blog_index, date=datetime.date(2026, 11, 2), body__1="rich_text")
    first = timezone.localdate() + datetime.timedelta(days=3)
    moved = timezone.localdate() + datetime.timedelta(days=10)

    post_edit(client, post, go_live_at=f"{first.isoformat()} 08:00")
    assert draft_of(post.slug).date == first
    post_edit(client, post, go_live_at=f"{moved.isoformat()} 08:00")
    assert draft_of(post.slug).date == moved
    # The editor dates it themselves while scheduling: their date stands.
    post_edit(
        client,
        post,
        go_live_at=f"{(moved + datetime.timedelta(days=1)).isoformat()} 08:00",
        date="2026-12-24",
    )
    assert draft_of(post.slug).date == datetime.date(2026, 12, 24)
    # Saving again without touching the schedule leaves the date alone.
    post_edit(client, post, title="Spring term opens (updated)")
    assert draft_of(post.slug).date == datetime.date(2026, 12, 24)


def test_the_date_field_says_what_scheduling_does_to_it(client, blog_index):
    client.force_login(member_of(EDITORS))
    post = BlogPageFactory(parent=blog_index)

    html = client.get(reverse("wagtailadmin_pages:edit", args=[post.pk])).content.decode()

    assert "sets it to the go-live day, unless you change the date in the same save" in html


# --- the listings show date and author --------------------------------------------------------------


def card_meta(response) -> list[tuple[str, str, str]]:
    """(title, author line, shown date) of each post card of a listing."""
    soup = BeautifulSoup(response.content, "html.parser")
    rows = []
    for card in soup.select("article.post-card"):
        meta = card.select_one(".post-meta")
        author = meta.select_one(".post-meta__author")
        when = meta.select_one("time")
        rows.append(
            (
                card.select_one(".post-card__title").get_text(strip=True),
                author.get_text(strip=True) if author else "",
                f"{when['datetime']} {when.get_text(strip=True)}",
            )
        )
    return rows


def test_every_listing_shows_each_posts_date_and_author_in_english(client, blog_index):
    tips = BlogCategoryFactory(name="Study tips", slug="study-tips")
    BlogPageFactory(
        parent=blog_index,
        title="Little and often",
        author=BlogAuthorFactory(name="Lucía Gómez"),
        date=datetime.date(2026, 12, 7),
        tags=["habits"],
        categories=[tips],
    )
    BlogPageFactory(parent=blog_index, title="No byline", author=None, tags=["habits"])

    for url in ("", "category/study-tips/", "tag/habits/", "?tag=habits"):
        rows = {t: (a, d) for t, a, d in card_meta(client.get(blog_index.url + url))}
        assert rows["Little and often"] == ("By Lucía Gómez", "2026-12-07 Monday, 7 December 2026")
        if url != "category/study-tips/":
            assert rows["No byline"][0] == ""  # no author: no empty "By"


def test_a_spanish_reader_sees_the_date_and_author_in_spanish(client, spanish_blog_index):
    spanish = Locale.objects.get(language_code="es")
    consejos = BlogCategoryFactory(name="Consejos", slug="consejos", locale=spanish)
    BlogPageFactory(
        parent=spanish_blog_index,
        title="Poco y a menudo",
        author=BlogAuthorFactory(name="Lucía Gómez", locale=spanish),
        date=datetime.date(2026, 12, 7),
        tags=["habitos"],
        categories=[consejos],
    )

    for url in ("", "category/consejos/", "tag/habitos/"):
        response = client.get(spanish_blog_index.url + url)
        assert response.status_code == 200, url
        assert card_meta(response) == [
            ("Poco y a menudo", "Por Lucía Gómez", "2026-12-07 lunes, 7 de diciembre de 2026")
        ], url
