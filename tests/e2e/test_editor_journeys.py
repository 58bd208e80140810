"""Editorial journeys in a real browser: an editor builds a landing page from blocks in the Wagtail
admin (a picture, a link chosen not typed), previews it at phone width and submits it for review; a
moderator requests changes, the editor fixes and resubmits, the moderator approves, publishes and
has it translated; a visitor reads it and switches to Spanish. Then axe-core on every kind of public
page of the demo site.

Every public page a visitor reaches is checked with axe-core (0 serious or critical violations) by
the `journey` fixture; the admin pages the editor and moderator work on by `check_admin_a11y`."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from cplatform.editorial import EDITORS, MODERATORS, TASK_NAME, WORKFLOW_NAME
from home.models import LandingPage
from tests.authentication.factories import PASSWORD, UserFactory
from tests.e2e.conftest import (
    ARTIFACTS,
    AXE_OPTIONS,
    BLOCKING_IMPACTS,
    DESKTOP,
    _axe,
    new_context,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ADMIN_TIMEOUT_MS = 30_000  # the admin's editor loads a lot of JavaScript

TITLE = "Autumn maths club"
FIRST_HEADING = "Maths club every Thursay"  # the typo the moderator sends back
HEADING = "Maths club every Thursday"
TEXT = "Small groups, one teacher, help with homework."
SIGN_UP_HEADING = "Join the club"
IMAGE_TITLE = "IMG_2041.jpg"  # as uploaded: the alt text is written on the block
ALT_TEXT = "Two students working through a maths problem at a desk"
CHANGES_NOTE = "Typo in the headline: Thursday."
# The translator's work, as a PO file would bring it back.
SPANISH = {
    TITLE: "Club de matemáticas de otoño",
    "autumn-maths-club": "club-de-matematicas",
    HEADING: "Club de matemáticas todos los jueves",
    TEXT: "Grupos pequeños, un profesor, ayuda con los deberes.",
    SIGN_UP_HEADING: "Únete al club",
    "Create your account": "Crea tu cuenta",
    ALT_TEXT: "Dos alumnos resuelven un problema de matemáticas en un pupitre",
}
# axe findings in the markup Wagtail's admin and wagtail-localize ship (Wagtail 8.0.1,
# wagtail-localize 1.14.5), not in anything this project renders there: (rule id, a pattern of the
# elements axe names). The same rule on any other element, and any other finding, fails.
WAGTAIL_OWNED_AXE_FINDINGS: dict[str, re.Pattern] = {
    # wagtail-localize's React translation editor (styled-components, class names "sc-…"): its
    # segment labels' grey text.
    "color-contrast": re.compile(r"\.sc-"),
    # wagtail-localize's "Upload PO file" tab: an unlabelled file input.
    "label": re.compile(r"\.sc-.*\[type=\"file\"\]"),
}
# Wagtail's green "… updated / submitted" banner and the links and buttons in it: white on
# --w-color-positive-100 #258c6d, 4.15:1 (wagtailadmin/css/core.css `.messages .success`).
WAGTAIL_SUCCESS_BANNER = ".messages .success"


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


def _wagtail_owned(page, rule: str, node) -> bool:
    target = " ".join(map(str, node["target"]))
    if rule == "color-contrast" and page.evaluate(
        "([target, banner]) => !!document.querySelector(target)?.closest(banner)",
        [target, WAGTAIL_SUCCESS_BANNER],
    ):
        return True
    pattern = WAGTAIL_OWNED_AXE_FINDINGS.get(rule)
    return pattern is not None and bool(pattern.search(target))


def check_admin_a11y(page, name: str | None = None) -> None:
    """axe-core on an admin page: 0 serious or critical findings on any element but the
    Wagtail-owned ones listed above; with a `name`, a screenshot of it too
    (test-artifacts/admin-<name>-desktop.png)."""
    page.wait_for_load_state("load")
    results = _axe.run(page, options=AXE_OPTIONS)
    blocking = [
        f"[{v['impact']}] {v['id']}: {v['help']} — {node['target']}"
        for v in results.response["violations"]
        if v.get("impact") in BLOCKING_IMPACTS
        for node in v["nodes"]
        if not _wagtail_owned(page, v["id"], node)
    ]
    assert not blocking, f"axe on the admin's {name or page.url} page:\n" + "\n".join(blocking)
    if name:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"admin-{name}-desktop.png", full_page=True)


def add_block(page, name: str) -> None:
    page.get_by_role("button", name="Insert a block").last.click()
    # The block picker's options (a link's "Part of the site" select has options named alike).
    page.locator(".w-combobox__option").get_by_text(re.compile(f"^{name}")).first.click()


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


def open_for_review(page, live_server) -> None:
    """The moderator's dashboard lists the page awaiting review; its edit screen opens."""
    page.goto(live_server.url + "/admin/")
    expect(page.locator("main")).to_contain_text("Awaiting your review")
    page.get_by_role("link", name=TITLE).first.click()
    page.wait_for_load_state()


def test_editor_builds_a_landing_page_moderator_approves_visitor_reads_it_in_both_languages(
    browser, live_server, journey
):
    from wagtail.models import WorkflowState
    from wagtail_localize.models import Translation

    from home.models import HomePage
    from tests.home.factories import ImageFactory

    home = HomePage.objects.get(depth=2, locale__language_code="en")
    editor = member_of(EDITORS, email="eddie.editor@example.com", first_name="Eddie")
    moderator = member_of(MODERATORS, email="mona.moderator@example.com", first_name="Mona")
    ImageFactory(title=IMAGE_TITLE)

    # The editor builds the page from blocks: a hero with a picture and a button to a part of the
    # site chosen from the list (nothing typed), and a sign-up block.
    desk = admin_page(browser, live_server, editor.email)
    desk.goto(live_server.url + f"/admin/pages/{home.pk}/")
    desk.get_by_role("link", name=re.compile("Add child page", re.I)).first.click()
    desk.get_by_role("link", name=re.compile("^Landing page")).click()
    expect(desk).to_have_url(re.compile("/admin/pages/add/home/landingpage/"))
    desk.locator("#id_title").fill(TITLE)
    add_block(desk, "Hero")
    desk.locator('[name="body-0-value-heading"]').fill(FIRST_HEADING)
    desk.locator('[name="body-0-value-text"]').fill(TEXT)
    desk.locator("[data-contentpath='image']").get_by_role("button", name="Choose an image").click()
    desk.locator(".modal").get_by_title(IMAGE_TITLE).click()
    expect(desk.locator("[data-contentpath='image']")).to_contain_text(IMAGE_TITLE)
    desk.locator('[name="body-0-value-alt"]').fill(ALT_TEXT)
    primary = desk.locator('[name="body-0-value-primary-section"]')
    expect(primary.locator("option")).to_contain_text(["Teacher directory", "Course catalog"])
    primary.select_option(label="Teacher directory")
    add_block(desk, "Sign up")
    desk.locator('[name="body-1-value-heading"]').fill(SIGN_UP_HEADING)
    check_admin_a11y(desk, "landing-page-new")

    # ... previews it at phone width ...
    desk.get_by_role("button", name="Toggle preview").click()
    desk.get_by_label("Preview in mobile size").check()
    preview = desk.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_have_text(FIRST_HEADING)
    expect(preview.get_by_role("link", name="Teacher directory")).to_have_attribute(
        "href", "/teachers/"
    )
    assert desk.locator("#w-preview-iframe").bounding_box()["width"] <= 380
    desk.screenshot(path=ARTIFACTS / "editor-preview-phone-desktop.png")
    desk.get_by_role("button", name="Toggle preview").click()

    # ... and submits it to the review (editors cannot publish).
    desk.get_by_role("button", name="More actions").click()
    expect(desk.get_by_role("button", name="Publish")).to_have_count(0)
    with desk.expect_navigation():
        desk.get_by_role("button", name=f"Submit to {WORKFLOW_NAME}").click()
    expect(desk.locator(".messages")).to_contain_text("submitted for moderation")
    landing = LandingPage.objects.get(title=TITLE)
    assert not landing.live
    state = WorkflowState.objects.get(object_id=str(landing.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and state.requested_by == editor
    assert journey.page.request.get(live_server.url + "/autumn-maths-club/").status == 404
    check_admin_a11y(desk, "landing-page-submitted")

    # The moderator finds it on the dashboard and requests changes, with a note.
    review = admin_page(browser, live_server, moderator.email)
    check_admin_a11y(review, "moderator-dashboard")
    open_for_review(review, live_server)
    review.get_by_role("button", name="More actions").click()
    review.get_by_role("button", name="Request changes", exact=True).click()
    dialog = review.get_by_role("dialog")
    dialog.get_by_label(re.compile("Comment", re.I)).fill(CHANGES_NOTE)
    with review.expect_navigation():
        dialog.get_by_role("button", name=re.compile("Request changes", re.I)).click()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == CHANGES_NOTE

    # The editor fixes the headline and resubmits.
    desk.goto(live_server.url + f"/admin/pages/{landing.pk}/edit/")
    desk.locator('[name="body-0-value-heading"]').fill(HEADING)
    footer_action(desk, f"Resubmit to {TASK_NAME}")
    expect(desk.locator(".messages")).to_contain_text("submitted for moderation")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    # The moderator approves and publishes.
    open_for_review(review, live_server)
    check_admin_a11y(review, "landing-page-review")
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

    # A visitor reads it, then switches to Spanish: the chosen link follows the language.
    visitor = journey.page
    journey.goto("/autumn-maths-club/")
    expect(visitor.locator("h1")).to_have_text(HEADING)
    expect(visitor.locator("main")).to_contain_text(SIGN_UP_HEADING)
    expect(visitor.locator("main img").first).to_have_attribute("alt", ALT_TEXT)
    expect(visitor.get_by_role("link", name="Teacher directory")).to_have_attribute(
        "href", "/teachers/"
    )
    journey.screenshot("landing-journey-en")
    with visitor.expect_navigation():
        visitor.locator(".language-switcher").get_by_role("link", name="Español").click()
    journey.check_a11y()
    assert visitor.url == live_server.url + "/es/club-de-matematicas/"
    expect(visitor.locator("html")).to_have_attribute("lang", "es")
    expect(visitor.locator("h1")).to_have_text(SPANISH[HEADING])
    expect(visitor.locator("main img").first).to_have_attribute("alt", SPANISH[ALT_TEXT])
    expect(visitor.get_by_role("link", name="Directorio de profesores")).to_have_attribute(
        "href", "/es/teachers/"
    )
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


def test_an_editors_menu_change_waits_for_review_then_shows_in_the_header(
    browser, live_server, journey
):
    """An Editor renames a header link, saves a draft, previews it and submits it; visitors keep
    seeing the old link until a Moderator approves, then they see the new one."""
    from home.models import Menu
    from tests.home.factories import MenuFactory, MenuItemFactory

    menu = MenuFactory(slot=Menu.Slot.MAIN)
    MenuItemFactory(menu=menu, link_url="/teachers/", link_text="Teachers", sort_order=0)
    MenuItemFactory(menu=menu, link_url="/courses/", link_text="Courses", sort_order=1)
    editor = member_of(EDITORS, email="ana.editor@example.com", first_name="Ana")
    moderator = member_of(MODERATORS, email="mo.moderator@example.com", first_name="Mo")
    site_menu = journey.page.locator("header .site-nav")
    journey.goto("/")
    expect(site_menu).to_contain_text("Teachers")

    # The editor renames the link, saves a draft and previews it.
    desk = admin_page(browser, live_server, editor.email)
    edit_url = live_server.url + f"/admin/snippets/home/menu/edit/{menu.pk}/"
    desk.goto(edit_url)
    check_admin_a11y(desk, "menu-edit")
    expect(desk.locator("[data-inline-panel-child]").first).to_contain_text("Teachers")
    desk.locator('[name="items-0-link_text"]').fill("Find a teacher")
    with desk.expect_navigation():
        desk.get_by_role("button", name="Save draft").click()
    expect(desk.locator(".messages")).to_contain_text("updated")
    desk.get_by_role("button", name="Toggle preview").click()
    # Wagtail loads the preview in a second iframe, then swaps it in: the last one is current.
    preview = desk.frame_locator("iframe.w-preview__iframe").last
    expect(preview.locator("header .site-nav:not(.site-nav--product)")).to_contain_text(
        "Find a teacher"
    )
    check_admin_a11y(desk, "menu-preview")
    desk.get_by_role("button", name="Toggle preview").click()  # closed: it stops refreshing

    # ... and submits it to the review: the public header has not changed.
    desk.get_by_role("button", name="More actions").click()
    expect(desk.get_by_role("button", name="Publish")).to_have_count(0)  # editors cannot
    with desk.expect_navigation():
        desk.get_by_role("button", name=f"Submit to {WORKFLOW_NAME}").click()
    check_admin_a11y(desk, "menu-submitted")
    journey.goto("/")
    expect(site_menu).to_contain_text("Teachers")
    expect(site_menu).not_to_contain_text("Find a teacher")

    # The moderator approves (publishes it): now visitors see the new words.
    review = admin_page(browser, live_server, moderator.email)
    review.goto(edit_url)
    footer_action(review, "Approve and Publish")
    check_admin_a11y(review, "menu-approved")
    journey.goto("/")
    expect(site_menu).to_contain_text("Find a teacher")
    expect(site_menu).not_to_contain_text("Teachers")
    journey.screenshot("menu-journey-published")

    desk.context.close()
    review.context.close()
