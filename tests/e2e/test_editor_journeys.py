"""Editorial journeys in a real browser: an editor builds a landing page from blocks in the Wagtail
admin and submits it for review, a moderator approves it and has it translated, a visitor reads
it and switches to Spanish. Then axe-core on every kind of public page of the demo site.

The admin is Wagtail's own (its accessibility is Wagtail's business); every public page a visitor
reaches is checked with axe-core (0 serious or critical violations) by the `journey` fixture."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from cplatform.editorial import EDITORS, MODERATORS, WORKFLOW_NAME
from home.models import LandingPage
from tests.authentication.factories import PASSWORD, UserFactory
from tests.e2e.conftest import ARTIFACTS, DESKTOP, new_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ADMIN_TIMEOUT_MS = 30_000  # the admin's editor loads a lot of JavaScript

TITLE = "Autumn maths club"
HEADING = "Maths club every Thursday"
TEXT = "Small groups, one teacher, help with homework."
SIGN_UP_HEADING = "Join the club"
# The translator's work, as a PO file would bring it back.
SPANISH = {
    TITLE: "Club de matemáticas de otoño",
    "autumn-maths-club": "club-de-matematicas",
    HEADING: "Club de matemáticas todos los jueves",
    TEXT: "Grupos pequeños, un profesor, ayuda con los deberes.",
    SIGN_UP_HEADING: "Únete al club",
    "Create your account": "Crea tu cuenta",
}


def member_of(group: str, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=group))
    return user


def admin_page(browser, live_server, email: str):
    """A separate browser session logged into Wagtail's admin."""
    context = new_context(browser, viewport=DESKTOP, locale="en-US")
    context.set_default_timeout(ADMIN_TIMEOUT_MS)
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    expect(page).to_have_url(live_server.url + "/admin/")
    return page


def add_block(page, name: str) -> None:
    page.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name=re.compile(f"^{name}")).click()


def footer_action(page, label: str) -> None:
    page.get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        page.get_by_role("button", name=label).click()


def translate_strings(translation) -> None:
    """What the translator sends back: every string of the page in Spanish (PO import)."""
    po = translation.export_po()
    for entry in po:
        entry.msgstr = SPANISH[entry.msgid]
    translation.import_po(po, tool_name="PO File")


def test_editor_builds_a_landing_page_moderator_approves_visitor_reads_it_in_both_languages(
    browser, live_server, journey
):
    from wagtail.models import WorkflowState
    from wagtail_localize.models import Translation

    from home.models import HomePage

    home = HomePage.objects.get(depth=2, locale__language_code="en")
    editor = member_of(EDITORS, email="eddie.editor@example.com", first_name="Eddie")
    moderator = member_of(MODERATORS, email="mona.moderator@example.com", first_name="Mona")

    # The editor builds the page from blocks and submits it to the review.
    desk = admin_page(browser, live_server, editor.email)
    desk.goto(live_server.url + f"/admin/pages/{home.pk}/")
    desk.get_by_role("link", name=re.compile("Add child page", re.I)).first.click()
    desk.get_by_role("link", name=re.compile("^Landing page")).click()
    expect(desk).to_have_url(re.compile("/admin/pages/add/home/landingpage/"))
    desk.locator("#id_title").fill(TITLE)
    add_block(desk, "Hero")
    desk.locator('[name="body-0-value-heading"]').fill(HEADING)
    desk.locator('[name="body-0-value-text"]').fill(TEXT)
    add_block(desk, "Sign up")
    desk.locator('[name="body-1-value-heading"]').fill(SIGN_UP_HEADING)
    desk.get_by_role("button", name="More actions").click()
    expect(desk.get_by_role("button", name="Publish")).to_have_count(0)  # editors cannot
    with desk.expect_navigation():
        desk.get_by_role("button", name=f"Submit to {WORKFLOW_NAME}").click()
    expect(desk.locator(".messages")).to_contain_text("submitted for moderation")
    ARTIFACTS.mkdir(exist_ok=True)
    desk.screenshot(path=ARTIFACTS / "editor-submitted-desktop.png")

    landing = LandingPage.objects.get(title=TITLE)
    assert not landing.live
    state = WorkflowState.objects.get(object_id=str(landing.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and state.requested_by == editor
    assert journey.page.request.get(live_server.url + "/autumn-maths-club/").status == 404

    # The moderator finds it on the dashboard and approves it.
    review = admin_page(browser, live_server, moderator.email)
    expect(review.locator("main")).to_contain_text("Awaiting your review")
    review.get_by_role("link", name=TITLE).first.click()
    review.wait_for_load_state()
    footer_action(review, "Approve and Publish")
    landing.refresh_from_db()
    assert landing.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED

    # ... and has it translated: submit to Spanish, the translator's strings come back, publish.
    review.goto(live_server.url + f"/admin/localize/submit/page/{landing.pk}/")
    review.get_by_label(re.compile("Spanish")).check()
    with review.expect_navigation():
        review.get_by_role("button", name=re.compile("Submit", re.I)).last.click()
    translation = Translation.objects.get(source__object_id=landing.translation_key)
    translate_strings(translation)
    review.reload()
    footer_action(review, "Publish")  # the translation editor's page action menu
    spanish = translation.get_target_instance()
    assert spanish.live and spanish.url == "/es/club-de-matematicas/"
    review.screenshot(path=ARTIFACTS / "moderator-published-spanish-desktop.png")

    # A visitor reads it, then switches to Spanish.
    visitor = journey.page
    journey.goto("/autumn-maths-club/")
    expect(visitor.locator("h1")).to_have_text(HEADING)
    expect(visitor.locator("main")).to_contain_text(SIGN_UP_HEADING)
    journey.screenshot("landing-journey-en")
    with visitor.expect_navigation():
        visitor.locator(".language-switcher").get_by_role("link", name="Español").click()
    journey.check_a11y()
    assert visitor.url == live_server.url + "/es/club-de-matematicas/"
    expect(visitor.locator("html")).to_have_attribute("lang", "es")
    expect(visitor.locator("h1")).to_have_text(SPANISH[HEADING])
    journey.screenshot("landing-journey-es")

    desk.context.close()
    review.context.close()


PUBLIC_PAGES = {
    "home": ("/", "/es/"),
    "landing": ("/summer-spanish/", "/es/espanol-en-verano/"),
    "blog-index": ("/blog/", "/es/blog/"),
    "blog-post": ("/blog/twenty-minutes-a-day/", "/es/blog/veinte-minutos-al-dia/"),
    "faq": ("/faq/", "/es/preguntas-frecuentes/"),
}


def test_every_kind_of_public_page_passes_axe_in_both_languages(journey):
    call_command("load_demo_data", stdout=io.StringIO())
    page = journey.page

    for name, (english, spanish) in PUBLIC_PAGES.items():
        journey.goto(english)  # axe runs on every page the journey opens
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("h1")).to_have_count(1)
        journey.screenshot(f"public-{name}-en")
        journey.goto(spanish)
        expect(page.locator("html")).to_have_attribute("lang", "es")
        journey.screenshot(f"public-{name}-es")


# --- the translation journey ------------------------------------------------------------------------

# axe findings in wagtail-localize's React translation editor (its styled-components, class names
# "sc-…"), not in our templates, tolerated on those elements only: its segment labels' grey text
# (color-contrast) and the unlabelled file input of its "Upload PO file" tab (label). Any other
# finding, or these rules on any other element, fails.
WAGTAIL_OWNED_AXE_FINDINGS = {
    "color-contrast": re.compile(r"\.sc-"),
    "label": re.compile(r"\.sc-.*\[type=\"file\"\]"),
}


def check_admin_a11y(page) -> None:
    """axe on an admin page: no serious or critical finding but the Wagtail-owned ones above."""
    from tests.e2e.conftest import AXE_OPTIONS, _axe

    page.wait_for_load_state("load")
    results = _axe.run(page, options=AXE_OPTIONS)
    blocking = [
        f"{v['id']}: {v['help']} ({node['target']})"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
        for node in v["nodes"]
        if not (
            v["id"] in WAGTAIL_OWNED_AXE_FINDINGS
            and WAGTAIL_OWNED_AXE_FINDINGS[v["id"]].search(" ".join(map(str, node["target"])))
        )
    ]
    assert not blocking, f"axe on {page.url}:\n" + "\n".join(blocking)


def admin_screenshots(page, name: str) -> None:
    """An admin page at 1366 px and 375 px (test-artifacts/<name>-desktop/phone.png)."""
    from tests.e2e.conftest import PHONE

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}-desktop.png")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)  # the admin's sidebar collapses
    page.screenshot(path=ARTIFACTS / f"{name}-phone.png")
    page.set_viewport_size(DESKTOP)


def translate_segment(page, source: str, spanish: str) -> None:
    """In the translation editor: Translate beside the English string, type, Enter (it saves)."""
    segment = page.locator("li").filter(has=page.get_by_text(source, exact=True)).last
    segment.get_by_role("button", name="Translate").click()
    segment.locator("textarea").fill(spanish)
    segment.locator("textarea").press("Enter")
    expect(segment).to_contain_text(spanish)
    expect(segment).not_to_contain_text("Saving")


def test_an_editor_translates_a_landing_page_a_moderator_approves_it_a_visitor_reads_it(
    browser, live_server, journey
):
    from wagtail.models import Locale, WorkflowState

    from tests.home.factories import HeroBlockFactory, LandingPageFactory

    landing = LandingPageFactory(title=TITLE, slug="autumn-maths-club")
    landing.body = [("hero", HeroBlockFactory(heading=HEADING, text=TEXT))]
    landing.save_revision().publish()
    editor = member_of(EDITORS, email="ana.editor@example.com", first_name="Ana")
    moderator = member_of(MODERATORS, email="mona.moderator@example.com", first_name="Mona")

    # Ana asks for the Spanish version: Spanish, the only other language, is ticked already.
    desk = admin_page(browser, live_server, editor.email)
    desk.goto(live_server.url + f"/admin/localize/submit/page/{landing.pk}/")
    expect(desk.get_by_label(re.compile("Spanish"))).to_be_checked()
    check_admin_a11y(desk)
    with desk.expect_navigation():
        desk.get_by_role("button", name=re.compile("Submit", re.I)).last.click()

    # The translation editor: fields named by what they are; she translates, saves, submits.
    second_button = LandingPage.body.field.stream_block.child_blocks["hero"].child_blocks[
        "secondary"
    ]
    expect(desk.get_by_text(re.compile(f"^{second_button.label} — ", re.I)).first).to_be_visible()
    translate_segment(desk, TITLE, SPANISH[TITLE])
    translate_segment(desk, HEADING, SPANISH[HEADING])
    actions = desk.locator("form.translation-editor-actions")
    expect(actions.get_by_role("button").first).to_have_text(re.compile("Save draft"))
    check_admin_a11y(desk)
    admin_screenshots(desk, "translation-editor")
    with desk.expect_navigation():
        actions.get_by_role("button", name="Save draft").click()
    expect(desk.locator(".messages")).to_contain_text("draft")
    actions.get_by_role("button", name="More actions").click()
    expect(actions.get_by_role("button", name=re.compile("^Publish"))).to_have_count(0)
    with desk.expect_navigation():
        actions.get_by_role("button", name=f"Submit to {WORKFLOW_NAME}").click()
    expect(desk.locator(".messages")).to_contain_text(f"submitted to {WORKFLOW_NAME}")
    admin_screenshots(desk, "translation-submitted")
    spanish = landing.get_translation(Locale.objects.get(language_code="es"))
    assert not spanish.live
    state = WorkflowState.objects.get(object_id=str(spanish.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and state.requested_by == editor

    # Mona sees it waiting, as a translation, and approves it.
    review = admin_page(browser, live_server, moderator.email)
    waiting = review.locator("#translations-waiting-section")
    expect(waiting).to_contain_text(SPANISH[TITLE])
    expect(waiting).to_contain_text("Translated from English into Spanish")
    check_admin_a11y(review)
    admin_screenshots(review, "translations-waiting")
    awaiting = review.locator("#awaiting-review-section")
    awaiting.get_by_role("button", name="Actions").first.click()
    with review.expect_navigation():
        awaiting.get_by_role("button", name="Approve", exact=True).first.click()
    spanish.refresh_from_db()
    assert spanish.live

    # A visitor reads it in Spanish.
    journey.goto(spanish.url)
    expect(journey.page.locator("h1")).to_have_text(SPANISH[HEADING])
    expect(journey.page.locator("html")).to_have_attribute("lang", "es")
    journey.screenshot("translation-journey-es")

    desk.context.close()
    review.context.close()
