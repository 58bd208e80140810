"""A page without a share image of its own is shared with its hero picture, else its first picture
of any block, else the site's default image; the head's og:image says which, and finding it costs
no query per block."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache

from home.models import LandingPage, SiteSettings
from tests.home.factories import (
    HeroBlockFactory,
    ImageFactory,
    ImageTextBlockFactory,
    LandingPageFactory,
    RichTextSectionBlockFactory,
    fill_home_page,
)
from tests.home.test_query_budgets import LANDING_BUDGET_COLD
from tests.query_budget import assert_page_queries, capture_queries

pytestmark = pytest.mark.django_db


def og(client, url) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    head = BeautifulSoup(response.content, "html.parser").head
    return {
        tag["property"]: tag["content"]
        for tag in head.find_all("meta", attrs={"property": True})
        if tag["property"].startswith("og:image")
    } | {
        tag["name"]: tag["content"]
        for tag in head.find_all("meta", attrs={"name": True})
        if tag["name"].startswith("twitter:")
    }


def rendition_of(image) -> str:
    return image.get_rendition("fill-1200x630|jpegquality-80").url


def test_a_landing_page_without_a_share_image_is_shared_with_its_hero_picture(client):
    hero_image = ImageFactory(title="A teacher at the whiteboard")
    later_image = ImageFactory(title="Later picture")
    page = LandingPageFactory(
        share_image=None,
        body=[
            ("rich_text", RichTextSectionBlockFactory()),
            ("image_text", ImageTextBlockFactory(image=later_image)),
            ("hero", HeroBlockFactory(image=hero_image)),
        ],
    )

    found = og(client, page.url)

    assert found["og:image"].endswith(rendition_of(hero_image))
    assert found["og:image:alt"] == "A teacher at the whiteboard"
    assert found["twitter:card"] == "summary_large_image"
    assert found["twitter:image"] == found["og:image"]


def test_without_a_hero_picture_the_first_picture_of_any_block_is_used(client):
    first, second = ImageFactory(), ImageFactory()
    page = LandingPageFactory(
        share_image=None,
        body=[
            ("hero", HeroBlockFactory(image=None)),
            ("image_text", ImageTextBlockFactory(image=first)),
            ("image_text", ImageTextBlockFactory(image=second)),
        ],
    )

    assert og(client, page.url)["og:image"].endswith(rendition_of(first))


def test_the_share_image_wins_over_the_hero_picture(client):
    share = ImageFactory()
    page = LandingPageFactory(share_image=share, body=[("hero", HeroBlockFactory())])

    assert og(client, page.url)["og:image"].endswith(rendition_of(share))


def test_the_home_page_uses_its_hero_field_before_its_body(client, home):
    page = fill_home_page(home)
    hero_image = page.hero[0].value["image"]
    page.body = [
        ("image_text", ImageTextBlockFactory()),
        *[(b.block_type, b.value) for b in page.body],
    ]
    page.save_revision().publish()

    assert og(client, "/")["og:image"].endswith(rendition_of(hero_image))


def test_a_page_without_any_picture_falls_back_to_the_sites_default(client, home):
    default = ImageFactory()
    settings = SiteSettings.for_site(home.get_site())
    settings.default_share_image = default
    settings.save()
    page = LandingPageFactory(
        share_image=None,
        body=[("hero", HeroBlockFactory(image=None)), ("rich_text", RichTextSectionBlockFactory())],
    )

    assert og(client, page.url)["og:image"].endswith(rendition_of(default))


def test_a_deleted_hero_picture_leaves_the_sites_default_not_an_error(client, home):
    image = ImageFactory()
    page = LandingPageFactory(share_image=None, body=[("hero", HeroBlockFactory(image=image))])
    image.delete()

    assert "og:image" not in og(client, page.url)


def test_finding_the_picture_costs_the_same_queries_for_1_and_20_picture_blocks():
    def queries_for(blocks: int) -> int:
        created = LandingPageFactory(
            share_image=None,
            body=[
                ("rich_text", RichTextSectionBlockFactory()),
                *[("image_text", ImageTextBlockFactory()) for _ in range(blocks)],
            ],
        )
        page = LandingPage.objects.get(pk=created.pk)
        with capture_queries() as captured:
            assert page.get_share_image() is not None
        return len(captured)

    assert queries_for(1) == queries_for(20) == 1  # the pictures of those blocks, in one query


def test_the_rendered_page_stays_within_the_landing_page_budget_with_a_hero_picture(client):
    page = LandingPageFactory(share_image=None, body=[("hero", HeroBlockFactory())])

    def cold():
        cache.clear()  # the head is built again: the picture is looked up and its rendition read
        return client.get(page.url)

    assert_page_queries(cold, budget=LANDING_BUDGET_COLD, contains='property="og:image"')
