"""The SEO tab in a real browser: an Editor types an SEO title and a search description and sees the
character counters and the search / share preview follow; the page's hero picture stands in for a
share image. Axe checks the tab; screenshots at desktop and phone widths."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cplatform.editorial import EDITORS
from tests.e2e.conftest import ARTIFACTS, AXE_OPTIONS, BLOCKING_IMPACTS, PHONE, _axe
from tests.e2e.test_editor_journeys import admin_page, member_of
from tests.home.factories import HeroBlockFactory, ImageFactory, LandingPageFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESCRIPTION = (
    "Spanish this summer with reviewed teachers: small groups of four, online or near you, "
    "every weekday morning in July and August, with homework help and a certificate at the end."
)


def check_axe(page, selector: str) -> None:
    """Axe on what this part adds (the counters and the preview), not on Wagtail's own editor."""
    results = _axe.run(page, context=selector, options=AXE_OPTIONS)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    assert not blocking, [(v["id"], [n["target"] for n in v["nodes"]]) for v in blocking]


def test_an_editor_sees_counters_and_a_live_search_and_share_preview(browser, live_server):
    editor = member_of(EDITORS, email="ana.editor@example.com")
    hero_image = ImageFactory(title="Students at a table")
    page = LandingPageFactory(
        title="Summer Spanish",
        slug="summer-spanish",
        search_description="",
        body=[("hero", HeroBlockFactory(heading="Learn Spanish this summer", image=hero_image))],
    )
    admin = admin_page(browser, live_server, editor.email)
    admin.goto(f"{live_server.url}/admin/pages/{page.pk}/edit/")
    admin.get_by_role("tab", name=re.compile("Promote")).click()

    title = admin.locator("#id_seo_title")
    title_count = admin.locator("#id_seo_title-length")
    expect(title_count).to_have_text("0 characters · about 60 show in search results")
    preview = admin.locator(".cp-seo-preview")
    expect(preview.locator(".cp-serp__title")).to_have_text("Summer Spanish")
    expect(preview.locator(".cp-serp__description")).to_contain_text("Learn Spanish this summer.")
    expect(preview.locator(".cp-share-card__image")).to_have_attribute(
        "src", hero_image.get_rendition("fill-600x315").url
    )

    title.fill("Spanish in small groups this summer")
    expect(title_count).to_have_text("35 characters · about 60 show in search results")
    expect(preview.locator(".cp-serp__title")).to_have_text("Spanish in small groups this summer")
    expect(preview.locator(".cp-share-card__title")).to_have_text(
        "Spanish in small groups this summer"
    )

    admin.locator("#id_search_description").fill(DESCRIPTION)
    description_count = admin.locator("#id_search_description-length")
    expect(description_count).to_contain_text("longer than search results usually show")
    expect(description_count).to_have_class(re.compile("cp-length--over"))
    shown = preview.locator(".cp-serp__description").inner_text()
    assert shown.endswith("…") and len(shown) <= 155 and DESCRIPTION.startswith(shown[:-1])

    admin.locator("#id_slug").fill("spanish-summer")
    expect(preview.locator(".cp-serp__url")).to_have_text(
        re.compile(r"^http://[^/]+/spanish-summer/$")
    )

    check_axe(admin, ".cp-seo-preview")
    ARTIFACTS.mkdir(exist_ok=True)
    preview.scroll_into_view_if_needed()
    admin.screenshot(path=ARTIFACTS / "seo-tab-desktop.png", full_page=True)
    admin.set_viewport_size(PHONE)
    check_axe(admin, ".cp-seo-preview")
    overflow = admin.evaluate(
        "() => [...document.querySelectorAll('.cp-seo-preview, .cp-seo-preview *')]"
        ".filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1).length"
    )
    assert overflow == 0
    admin.screenshot(path=ARTIFACTS / "seo-tab-phone.png", full_page=True)
    admin.context.close()
