"""Translating pages with wagtail-localize, as editors do it in the admin: submit for translation,
fill the strings (PO file download / upload), publish the translation after review; the Spanish
page is served under /es/ and the language switcher links to it."""

from __future__ import annotations

import polib
import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.text import slugify
from wagtail.models import Page
from wagtail_localize.models import StringTranslation, Translation

from tests.home.factories import LandingPageFactory, embed_for, fill_home_page

pytestmark = pytest.mark.django_db

# What a translator would write for the strings this test looks for; every other string gets a
# marked Spanish version so a leftover English string is easy to spot.
SPANISH = {
    "cplatform": "cplatform",
    "Summer Spanish": "Español en verano",
    "summer-spanish": "espanol-en-verano",
    "Learn from teachers who love their subject": "Aprende con profesores que aman su materia",
}


def spanish_for(entry: polib.POEntry) -> str:
    if entry.msgid in SPANISH:
        return SPANISH[entry.msgid]
    if entry.msgctxt == "slug":
        return slugify(f"es {entry.msgid}")
    if entry.msgid.startswith(("http://", "https://", "/")) or "@" in entry.msgid:
        return entry.msgid  # addresses stay as they are
    return f"ES {entry.msgid}"


@pytest.fixture
def home(db):
    """The English home page with every section filled and published."""
    return fill_home_page()


@pytest.fixture
def landing(home):
    embed_for()
    return LandingPageFactory(title="Summer Spanish", slug="summer-spanish")


def submit_for_translation(client, page, locale) -> Translation:
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[page.pk]),
        {"locales": [locale.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return Translation.objects.get(source__object_id=page.translation_key, target_locale=locale)


def download_po(client, translation: Translation) -> polib.POFile:
    response = client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))
    assert response.status_code == 200
    return polib.pofile(response.content.decode())


def upload_po(client, translation: Translation, po: polib.POFile, next_url: str):
    return client.post(
        reverse("wagtail_localize:upload_pofile", args=[translation.pk]),
        {
            "file": SimpleUploadedFile(
                "translation.po", str(po).encode(), content_type="text/x-gettext-translation"
            ),
            "next": next_url,
        },
    )


def translate_through_po(client, translation: Translation) -> polib.POFile:
    po = download_po(client, translation)
    for entry in po:
        entry.msgstr = spanish_for(entry)
    target = translation.get_target_instance()
    edit_url = reverse("wagtailadmin_pages:edit", args=[target.pk])
    response = upload_po(client, translation, po, edit_url)
    assert response.status_code == 302 and response["Location"] == edit_url
    return po


@pytest.fixture
def publish_translation(django_capture_on_commit_callbacks):
    """Click "Publish in Spanish" in wagtail-localize's editor (it publishes once the request's
    transaction commits)."""

    def publish(client, translation: Translation):
        target = translation.get_target_instance()
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("wagtailadmin_pages:edit", args=[target.pk]), {"action": "publish"}
            )

    return publish


def test_an_editor_submits_a_page_for_translation_and_gets_a_spanish_draft(
    editor_client, home, spanish
):

    translation = submit_for_translation(editor_client, home, spanish)

    spanish_home = home.get_translation(spanish)
    assert translation.enabled
    assert spanish_home.depth == home.depth and spanish_home.locale == spanish
    # A draft, held for review: nothing new is live under /es/ yet.
    assert not spanish_home.live


def test_a_translation_an_editor_fills_waits_for_a_moderator(
    editor_client, home, spanish, publish_translation
):
    translation = submit_for_translation(editor_client, home, spanish)
    translate_through_po(editor_client, translation)

    response = publish_translation(editor_client, translation)

    # Wagtail's admin answers a refused action with a redirect to its dashboard.
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert not home.get_translation(spanish).live


def test_po_export_lists_the_pages_strings_and_import_stores_the_translations(
    editor_client, editor, home, landing, spanish
):
    submit_for_translation(editor_client, home, spanish)
    translation = submit_for_translation(editor_client, landing, spanish)

    po = download_po(editor_client, translation)
    by_context = {(entry.msgctxt, entry.msgid) for entry in po}
    assert ("title", "Summer Spanish") in by_context
    assert ("slug", "summer-spanish") in by_context
    assert any(msgid == "Learn from teachers who love their subject" for _, msgid in by_context)
    assert po.metadata["X-WagtailLocalize-TranslationID"] == str(translation.uuid)

    translate_through_po(editor_client, translation)

    stored = StringTranslation.objects.filter(locale=spanish, tool_name="PO File")
    assert stored.count() == len(po)
    assert stored.get(translation_of__data="Summer Spanish").data == "Español en verano"
    assert {s.last_translated_by for s in stored} == {editor}


def test_a_po_file_for_another_translation_is_refused(editor_client, home, landing, spanish):
    home_translation = submit_for_translation(editor_client, home, spanish)
    landing_translation = submit_for_translation(editor_client, landing, spanish)
    po = download_po(editor_client, landing_translation)
    for entry in po:
        entry.msgstr = spanish_for(entry)

    upload_po(editor_client, home_translation, po, "/admin/")

    assert not StringTranslation.objects.filter(locale=spanish).exists()


def test_a_translated_page_is_served_in_spanish_under_es_and_linked_by_the_switcher(
    editor_client, moderator, home, landing, spanish, publish_translation
):
    home_translation = submit_for_translation(editor_client, home, spanish)
    landing_translation = submit_for_translation(editor_client, landing, spanish)
    translate_through_po(editor_client, home_translation)
    translate_through_po(editor_client, landing_translation)

    reviewer = Client()
    reviewer.force_login(moderator)
    for translation in (home_translation, landing_translation):
        assert publish_translation(reviewer, translation).status_code == 302

    spanish_landing = landing.get_translation(spanish)
    spanish_home = home.get_translation(spanish)
    assert spanish_landing.live and spanish_home.live
    assert spanish_landing.url == "/es/espanol-en-verano/"
    visitor = Client()
    response = visitor.get("/es/espanol-en-verano/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Español en verano" in html
    assert "Aprende con profesores que aman su materia" in html
    assert "Learn from teachers who love their subject" not in html
    assert '<html lang="es"' in html
    spanish_home_html = visitor.get("/es/").content.decode()
    assert "Aprende con profesores que aman su materia" in spanish_home_html
    assert '<html lang="es"' in spanish_home_html

    english = BeautifulSoup(visitor.get(landing.url).content, "html.parser")
    switcher = english.select_one('.language-switcher a[hreflang="es"]')
    assert switcher is not None and switcher["href"] == "/es/espanol-en-verano/"
    spanish_html = BeautifulSoup(visitor.get(switcher["href"]).content, "html.parser")
    back = spanish_html.select_one('.language-switcher a[hreflang="en"]')
    assert back is not None and back["href"] == landing.url


def test_the_english_page_is_untouched_by_its_translation(
    editor_client, moderator, home, landing, spanish, publish_translation
):
    submit_for_translation(editor_client, home, spanish)
    translation = submit_for_translation(editor_client, landing, spanish)
    translate_through_po(editor_client, translation)
    reviewer = Client()
    reviewer.force_login(moderator)
    publish_translation(reviewer, translation)

    landing.refresh_from_db()
    response = Client().get(landing.url)

    assert landing.title == "Summer Spanish" and landing.locale.language_code == "en"
    assert "Learn from teachers who love their subject" in response.content.decode()
    assert Page.objects.filter(translation_key=landing.translation_key).count() == 2
