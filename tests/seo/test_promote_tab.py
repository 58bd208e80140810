"""The SEO (promote) tab of every public page type: character counters on the SEO title and search
description with the recommended lengths, a preview of the page as a search result and as a share
card, and no "Show in menus" (the menus are the Menu snippets, which that flag does not change)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import get_page_models
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cplatform.pages import SeoPageMixin
from cplatform.seo_panels import LengthCountedInput, LengthCountedTextarea
from home.models import LandingPage
from tests.authentication.factories import UserFactory
from tests.home.factories import HeroBlockFactory, ImageFactory, LandingPageFactory

pytestmark = pytest.mark.django_db

SEO_PAGE_MODELS = [m for m in get_page_models() if issubclass(m, SeoPageMixin)]


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def edit_screen(client, page) -> BeautifulSoup:
    response = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_every_public_page_type_counts_characters_and_does_not_offer_show_in_menus():
    assert len(SEO_PAGE_MODELS) >= 6  # home, landing, blog index and post, FAQ, catalog, course
    for model in SEO_PAGE_MODELS:
        fields = model.get_edit_handler().get_form_class().base_fields
        assert "show_in_menus" not in fields, model
        assert isinstance(fields["seo_title"].widget, LengthCountedInput), model
        assert isinstance(fields["search_description"].widget, LengthCountedTextarea), model


def test_the_seo_fields_carry_their_recommended_lengths_as_advice_not_limits(editor_client):
    page = LandingPageFactory()

    soup = edit_screen(editor_client, page)

    title = soup.find("input", attrs={"name": "seo_title"})
    assert title["data-controller"] == "cp-length"
    assert title["data-cp-length-recommended-value"] == "60"
    assert "maxlength" not in title.attrs or int(title["maxlength"]) > 60  # advice, not a limit
    description = soup.find("textarea", attrs={"name": "search_description"})
    assert description["data-controller"].split() == ["w-autosize", "cp-length"]
    assert description["data-cp-length-recommended-value"] == "155"
    assert "{count}" in description["data-cp-length-text-value"]
    assert soup.find(attrs={"name": "show_in_menus"}) is None
    assert soup.find("script", src=lambda src: src and src.endswith("js/admin/seo-tab.js"))


def test_the_preview_shows_the_address_title_automatic_description_and_hero_picture(editor_client):
    hero_image = ImageFactory()
    page = LandingPageFactory(
        slug="summer-spanish",
        seo_title="",
        search_description="",
        share_image=None,
        body=[
            (
                "hero",
                HeroBlockFactory(
                    heading="Learn Spanish this summer",
                    text="Join our small groups in July.",
                    image=hero_image,
                ),
            )
        ],
    )

    soup = edit_screen(editor_client, page)
    preview = soup.find(attrs={"data-controller": "cp-seo-preview"})

    search = preview.find(attrs={"data-testid": "search-preview"})
    assert search.find(class_="cp-serp__url").get_text(strip=True) == (
        "http://localhost/summer-spanish/"
    )
    assert search.find(class_="cp-serp__title").get_text(strip=True) == page.title
    assert search.find(class_="cp-serp__description").get_text(strip=True) == (
        "Learn Spanish this summer. Join our small groups in July."
    )
    card = preview.find(attrs={"data-testid": "share-preview"})
    image_url = hero_image.get_rendition("fill-600x315").url
    assert card.find("img")["src"] == image_url
    assert preview["data-cp-seo-preview-fallback-image-value"] == image_url
    assert preview["data-cp-seo-preview-base-url-value"] == "http://localhost/"
    assert preview["data-cp-seo-preview-slug-in-url-value"] == "true"
    assert preview["data-cp-seo-preview-automatic-value"] == (
        "Learn Spanish this summer. Join our small groups in July."
    )


def test_the_preview_of_a_spanish_page_shows_its_spanish_address(editor_client, spanish_home):
    page = LandingPageFactory(slug="summer", search_description="Clases de verano.")
    spanish = page.copy_for_translation(spanish_home.locale)
    spanish.slug = "verano"
    spanish.save_revision().publish()

    preview = edit_screen(editor_client, spanish).find(attrs={"data-controller": "cp-seo-preview"})

    assert preview.find(class_="cp-serp__url").get_text(strip=True) == "http://localhost/es/verano/"
    assert preview.find(class_="cp-serp__description").get_text(strip=True) == "Clases de verano."


def test_without_any_picture_the_card_says_the_sites_default_is_used(editor_client):
    page = LandingPageFactory(share_image=None, body=[("hero", HeroBlockFactory(image=None))])

    card = edit_screen(editor_client, page).find(attrs={"data-testid": "share-preview"})

    assert card.find("img").has_attr("hidden")
    assert not card.find(class_="cp-share-card__no-image").has_attr("hidden")


def test_a_new_page_is_previewed_and_saved_without_a_show_in_menus_field(editor_client, home):
    add_url = reverse("wagtailadmin_pages:add", args=("home", "landingpage", home.pk))
    response = editor_client.get(add_url)
    assert response.status_code == 200
    preview = BeautifulSoup(response.content, "html.parser").find(
        attrs={"data-controller": "cp-seo-preview"}
    )
    assert preview["data-cp-seo-preview-base-url-value"] == "http://localhost/"

    response = editor_client.post(
        add_url,
        nested_form_data(
            {
                "title": "Autumn courses",
                "slug": "autumn-courses",
                "seo_title": "Autumn courses with reviewed teachers",
                "search_description": "",
                "body": streamfield(
                    [
                        (
                            "rich_text",
                            rich_text("<h2>Autumn is for learning</h2><p>Start in October.</p>"),
                        )
                    ]
                ),
            }
        ),
    )

    assert response.status_code == 302, response.context["form"].errors
    page = LandingPage.objects.get(slug="autumn-courses")
    assert page.show_in_menus is False
    assert page.get_latest_revision_as_object().get_meta_description() == (
        "Autumn is for learning. Start in October."
    )
