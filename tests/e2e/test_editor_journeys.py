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
    with review.expect_navigation():
        review.get_by_role("button", name="Publish in Spanish").click()
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


# Wagtail's own admin markup, not ours (Wagtail 8.0.1): findings on its pages that this project
# cannot fix without overriding Wagtail's styles, each as (rule id, the elements axe names). Any
# other serious / critical finding fails, and so does this rule on any other element.
WAGTAIL_OWNED_AXE_FINDINGS: dict[str, frozenset[str]] = {
    # The green "… updated / submitted" banner and its "Edit" button: white on Wagtail's
    # --w-color-positive-100 #258c6d, 4.15:1 (wagtailadmin/css/core.css `.messages .success`).
    "color-contrast": frozenset({".success", ".buttons > .button-small.button-secondary.button"}),
}


def _wagtail_owned(violation) -> bool:
    owned = WAGTAIL_OWNED_AXE_FINDINGS.get(violation["id"], frozenset())
    return all(" ".join(node["target"]) in owned for node in violation["nodes"])


def check_admin_a11y(page, name: str) -> None:
    """axe-core on an admin page: no serious or critical finding except Wagtail's own (above)."""
    from tests.e2e.conftest import _axe

    page.wait_for_load_state("load")
    results = _axe.run(page, options={"resultTypes": ["violations"]})
    blocking = [
        f"{v['id']}: {v['help']} "
        + "; ".join(f"{n['target']}: {n.get('failureSummary', '')}" for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"} and not _wagtail_owned(v)
    ]
    assert not blocking, f"axe on the admin's {name}:\n" + "\n".join(blocking)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}-desktop.png", full_page=True)


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
