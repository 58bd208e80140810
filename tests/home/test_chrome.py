"""Header and footer from the menus and site settings, and the caches behind them: a change shows on
the next request after a save or a publish, and not before (so the cache is really used)."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page

from classroom.models import TeacherProfile
from home.models import Menu, MenuItem, SiteSettings
from tests.authentication.factories import UserFactory
from tests.classroom.factories import TeacherProfileFactory
from tests.home.factories import LandingPageFactory, MenuFactory, MenuItemFactory

pytestmark = pytest.mark.django_db


def soup_of(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def main_menu(client, url="/"):
    return [(a.get_text(strip=True), a["href"]) for a in soup_of(client, url).select(".site-nav a")]


def footer_links(client, url="/"):
    return [
        (a.get_text(strip=True), a["href"]) for a in soup_of(client, url).select("footer nav a")
    ]


@pytest.fixture
def summer(spanish_home):
    page = LandingPageFactory(body__0="rich_text", slug="summer", title="Summer courses")
    spanish = page.copy_for_translation(spanish_home.locale)
    spanish.title = "Cursos de verano"
    spanish.slug = "verano"
    spanish.save_revision().publish()
    return page


def test_without_menus_the_header_and_footer_show_their_built_in_links(client, home):
    assert main_menu(client) == [("Teachers", "/teachers/"), ("Courses", "/courses/")]
    assert ("Find a teacher", "/teachers/") in footer_links(client)
    assert ("Courses", "/courses/") in footer_links(client)
    assert ("Search", "/search/") in footer_links(client)
    assert "An open-source teaching platform" in soup_of(client).footer.get_text()


def test_the_main_menu_shows_its_links_in_order_and_marks_the_current_page(client, summer):
    menu = MenuFactory(slot=Menu.Slot.MAIN)
    MenuItemFactory(menu=menu, link_url="", link_page=summer, link_text="", sort_order=0)
    MenuItemFactory(menu=menu, link_url="/teachers/", link_text="Our teachers", sort_order=1)

    assert main_menu(client) == [("Summer courses", "/summer/"), ("Our teachers", "/teachers/")]
    current = soup_of(client, "/summer/").select_one('.site-nav a[aria-current="page"]')
    assert current["href"] == "/summer/"


def test_each_language_shows_its_own_menu(client, summer, spanish):
    english = MenuFactory(slot=Menu.Slot.MAIN)
    MenuItemFactory(menu=english, link_url="/teachers/", link_text="Teachers", sort_order=0)
    menu_es = english.copy_for_translation(
        spanish
    )  # the links come along, as wagtail-localize does
    menu_es.save()
    menu_es.items.update(link_text="Profesores", link_url="/es/teachers/")
    MenuItem.objects.create(
        menu=menu_es, link_page=summer, link_text="Verano", locale=spanish, sort_order=9
    )

    assert main_menu(client, "/") == [("Teachers", "/teachers/")]
    assert main_menu(client, "/es/") == [("Profesores", "/es/teachers/"), ("Verano", "/es/verano/")]


def test_a_language_without_its_own_menu_uses_the_default_one_with_translated_page_links(
    client, summer
):
    menu = MenuFactory(slot=Menu.Slot.MAIN)
    MenuItemFactory(menu=menu, link_url="", link_page=summer, link_text="")

    assert main_menu(client, "/es/") == [("Cursos de verano", "/es/verano/")]


def test_a_typed_address_of_our_pages_follows_the_readers_language(client, summer):
    """A menu that exists in English only, its links typed as addresses: on a Spanish page they
    lead to the Spanish pages (a view, a translated page with its own slug); other addresses stay."""
    menu = MenuFactory(slot=Menu.Slot.MAIN)
    for order, url in enumerate(["/teachers/", "/summer/", "/api/v1/docs", "https://example.org/"]):
        MenuItemFactory(menu=menu, link_url=url, link_text=url, sort_order=order)

    assert [url for _text, url in main_menu(client, "/es/")] == [
        "/es/teachers/",
        "/es/verano/",
        "/api/v1/docs",
        "https://example.org/",
    ]
    assert [url for _text, url in main_menu(client, "/")] == [
        "/teachers/",
        "/summer/",
        "/api/v1/docs",
        "https://example.org/",
    ]


def test_the_footer_shows_its_menu_text_contact_details_and_social_links(client, home):
    menu = MenuFactory(slot=Menu.Slot.FOOTER, text="Lessons with teachers we have met.")
    MenuItemFactory(menu=menu, link_url="/teachers/", link_text="Find your teacher")
    settings = SiteSettings.for_site(home.get_site())
    settings.contact_email = "hello@cplatform.example"
    settings.contact_phone = "+34 600 000 000"
    settings.youtube_url = "https://youtube.com/@cplatform"
    settings.save()

    footer = soup_of(client).footer

    assert "Lessons with teachers we have met." in footer.get_text()
    assert footer.select_one('a[href="/teachers/"]').get_text() == "Find your teacher"
    assert footer.select_one('a[href="mailto:hello@cplatform.example"]')
    assert footer.select_one('a[href="tel:+34600000000"]')
    assert footer.select_one('a[href="https://youtube.com/@cplatform"]').get_text() == "YouTube"


def test_the_footer_is_cached_until_the_site_settings_are_saved(client, home):
    settings = SiteSettings.for_site(home.get_site())
    assert "hello@" not in soup_of(client).footer.get_text()

    # A write that bypasses save() sends no signal: the cached footer is still served.
    SiteSettings.objects.filter(pk=settings.pk).update(contact_email="hello@cplatform.example")
    assert "hello@" not in soup_of(client).footer.get_text()

    settings.refresh_from_db()
    settings.save()
    assert "hello@cplatform.example" in soup_of(client).footer.get_text()


def test_the_menu_is_cached_until_it_is_saved(client, home):
    item = MenuItemFactory(menu=MenuFactory(slot=Menu.Slot.MAIN), link_text="Teachers")
    assert main_menu(client) == [("Teachers", "/teachers/")]

    MenuItem.objects.filter(pk=item.pk).update(link_text="All our teachers")
    assert main_menu(client) == [("Teachers", "/teachers/")]

    item.refresh_from_db()
    item.save()
    assert main_menu(client) == [("All our teachers", "/teachers/")]


def test_publishing_a_page_renames_its_menu_links(client, summer):
    MenuItemFactory(
        menu=MenuFactory(slot=Menu.Slot.MAIN), link_url="", link_page=summer, link_text=""
    )
    assert main_menu(client) == [("Summer courses", "/summer/")]

    summer.title = "Summer camp"
    summer.save_revision()  # a draft changes nothing visitors see
    assert main_menu(client) == [("Summer courses", "/summer/")]

    summer.get_latest_revision().publish()
    assert main_menu(client) == [("Summer camp", "/summer/")]


def test_unpublishing_a_page_takes_it_out_of_the_menu(client, summer):
    MenuItemFactory(
        menu=MenuFactory(slot=Menu.Slot.MAIN), link_url="", link_page=summer, link_text=""
    )
    assert main_menu(client) == [("Summer courses", "/summer/")]

    summer.unpublish()

    assert main_menu(client) == []


def test_a_landing_page_body_is_cached_until_a_teacher_it_lists_changes(client, home):
    page = LandingPageFactory(body__0="teacher_list")
    teacher = TeacherProfileFactory(is_public=True, is_approved=False, user__first_name="Nadia")
    assert "Nadia" not in soup_of(client, page.url).main.get_text()

    TeacherProfile.objects.filter(pk=teacher.pk).update(is_approved=True)
    assert "Nadia" not in soup_of(client, page.url).main.get_text()  # cached

    teacher.refresh_from_db()
    teacher.save()  # as the admin's approval does
    assert "Nadia" in soup_of(client, page.url).main.get_text()


def test_publishing_a_new_revision_replaces_the_cached_body(client, home):
    page = LandingPageFactory(body__0="rich_text")
    assert "How it works" in soup_of(client, page.url).main.get_text()

    page.body = [("rich_text", "<p>Brand new text.</p>")]
    page.save_revision().publish()

    text = soup_of(client, page.url).main.get_text()
    assert "Brand new text." in text and "How it works" not in text


def test_a_preview_is_never_served_from_the_cache(client, home):
    page = LandingPageFactory(body__0="rich_text")
    soup_of(client, page.url)  # caches the published body
    page.body = [("rich_text", "<p>Unsaved draft text.</p>")]

    response = page.make_preview_request()

    assert "Unsaved draft text." in response.content.decode()


def test_a_menu_link_takes_a_page_or_an_address():
    menu = MenuFactory()

    with pytest.raises(ValidationError):
        MenuItem(
            menu=menu, link_url="/teachers/", link_page=Page.objects.filter(depth=2).first()
        ).full_clean()
    with pytest.raises(ValidationError):
        MenuItem(menu=menu, link_text="Nothing").full_clean()
    with pytest.raises(ValidationError):
        MenuItem(menu=menu, link_url="javascript:alert(1)", link_text="Bad").full_clean()


def test_a_language_has_one_menu_of_each_kind():
    menu = MenuFactory(slot=Menu.Slot.FOOTER)

    with pytest.raises(ValidationError):
        Menu(slot=Menu.Slot.FOOTER, locale=menu.locale).full_clean()


def test_editors_find_testimonials_menus_and_site_settings_in_the_admin(client, home):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    MenuItemFactory()

    for name in ("wagtailsnippets_home_testimonial", "wagtailsnippets_home_menu"):
        assert client.get(reverse(f"{name}:list")).status_code == 200
        assert client.get(reverse(f"{name}:add")).status_code == 200
    edit_settings = reverse(
        "wagtailsettings:edit", args=["home", "sitesettings", home.get_site().pk]
    )
    assert client.get(edit_settings).status_code == 200
