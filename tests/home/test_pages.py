"""Page tree rules, page creation with realistic blocks, and rendering."""

import pytest
from wagtail.models import Page

from home.blocks import BodyStreamBlock
from home.models import HomePage, LandingPage
from tests.classroom.factories import TeacherProfileFactory
from tests.home.factories import (
    HomePageFactory,
    LandingPageFactory,
    TestimonialFactory,
    fill_home_page,
)

pytestmark = pytest.mark.django_db


def test_home_page_is_created_only_at_the_root_of_the_tree(page_asserts):
    page_asserts.assertCanCreateAt(Page, HomePage)
    page_asserts.assertCanNotCreateAt(HomePage, HomePage)
    page_asserts.assertCanNotCreateAt(LandingPage, HomePage)


def test_landing_page_is_created_only_under_a_home_page_and_has_no_children(page_asserts):
    page_asserts.assertCanCreateAt(HomePage, LandingPage)
    page_asserts.assertCanNotCreateAt(Page, LandingPage)
    page_asserts.assertCanNotCreateAt(LandingPage, LandingPage)
    page_asserts.assertAllowedParentPageTypes(LandingPage, {HomePage})
    page_asserts.assertAllowedSubpageTypes(LandingPage, set())


def test_a_second_home_page_cannot_be_added_beside_the_first(home):
    root = Page.get_first_root_node()

    assert not HomePage.can_create_at(root)
    assert LandingPage.can_create_at(home)


def test_the_existing_home_page_row_is_served_without_any_new_content(client, home):
    response = client.get("/")

    assert response.status_code == 200
    assert f"<h1>{home.title}</h1>" in response.content.decode()


def test_landing_page_factory_builds_a_published_page_with_every_block(home, offline_video):
    page = LandingPageFactory()

    assert page.live and page.get_parent().pk == home.pk
    assert {block.block_type for block in page.body} == set(BodyStreamBlock.base_blocks)


def test_landing_page_renders_every_block(client, offline_video):
    teacher = TeacherProfileFactory(is_public=True, is_approved=True)
    page = LandingPageFactory()

    response = client.get(page.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Learn from teachers who love their subject</h1>" in html  # the first hero
    assert html.count("<h1") == 1
    assert "How it works" in html  # rich text
    assert "Lessons that fit your week" in html  # image + text
    assert "Flexible booking" in html  # feature grid
    assert teacher.user.name in html  # teacher list, live from the directory
    assert "Courses are coming soon" in html  # course list, until courses exist
    testimonial = page.body[6].value["testimonials"][0]
    assert testimonial.quote in html
    assert 'src="https://www.youtube.com/watch?v=cplatform-demo?embed=1"' in html  # video
    assert "Ready for your first lesson?" in html  # call to action
    assert 'href="/auth/register/?role=Teacher"' in html  # sign-up call
    assert '<img alt="Teacher and student at a desk' in html  # renditions of the images


def test_landing_page_without_a_hero_shows_its_title_as_the_main_heading(client):
    page = LandingPageFactory(body__0="rich_text", title="Autumn offer")

    html = client.get(page.url).content.decode()

    assert '<h1 class="page-title">Autumn offer</h1>' in html
    assert html.count("<h1") == 1


def test_a_draft_landing_page_is_not_served(client):
    page = LandingPageFactory(live=False, body__0="rich_text")

    assert client.get(f"/{page.slug}/").status_code == 404


def test_home_page_factory_builds_a_home_page_with_every_section(offline_video):
    page = HomePageFactory()

    assert page.live
    assert [b.block_type for b in page.hero] == ["hero"]
    assert [b.block_type for b in page.featured_teachers] == ["teacher_list"]
    assert [b.block_type for b in page.featured_courses] == ["course_list"]
    assert [b.block_type for b in page.testimonials] == ["testimonials"]
    assert [b.block_type for b in page.calls_to_action] == ["call_to_action", "sign_up"]
    assert [b.block_type for b in page.body] == ["rich_text", "feature_grid"]


def test_home_page_renders_hero_featured_teachers_testimonials_and_calls_to_action(client, home):
    teachers = TeacherProfileFactory.create_batch(2, is_public=True, is_approved=True)
    hidden = TeacherProfileFactory(is_public=True, is_approved=False)
    fill_home_page(home)
    quote = TestimonialFactory._meta.model.objects.order_by("-pk").first().quote

    html = client.get("/").content.decode()

    assert "<h1>Learn from teachers who love their subject</h1>" in html
    assert html.count("<h1") == 1
    for teacher in teachers:
        assert teacher.user.name in html
    assert hidden.user.name not in html
    assert "Popular courses" in html
    assert quote in html
    assert "Ready for your first lesson?" in html
    assert "Sign up as a teacher" in html
    assert "Teachers, lessons and courses in one place." in html  # the intro, under the hero
