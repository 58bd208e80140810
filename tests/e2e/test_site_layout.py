"""The site's frame in a real browser: allauth's pages inside it, errors beside fields, the phone menu."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, new_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_up_errors_are_shown_beside_their_fields_inside_the_sites_layout(journey):
    page = journey.page
    journey.goto("/auth/register/")
    form = page.locator("main form")
    form.get_by_label("Email").fill("not-an-email")
    form.get_by_label("Password", exact=True).fill("123")
    journey.submit("Sign up")

    expect(page.get_by_role("alert")).to_contain_text("Please correct the errors below.")
    email = form.get_by_label("Email")
    expect(email).to_have_attribute("aria-invalid", "true")
    # The error is read with the field: aria-describedby points at the message under its label.
    error_id = email.get_attribute("aria-describedby")
    assert error_id == "id_email_error"
    expect(page.locator(f"#{error_id}")).to_contain_text("Enter a valid email address.")
    expect(form.get_by_label("Password", exact=True)).to_have_attribute(
        "aria-describedby", re.compile("id_password1_error")
    )
    # allauth's page sits in the site's frame: header navigation, footer, one main landmark.
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Teachers")
    expect(page.get_by_role("contentinfo")).to_be_visible()
    expect(page.get_by_role("main")).to_have_count(1)

    journey.goto("/auth/password/reset/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Password Reset")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    journey.screenshot("password-reset")


def test_phone_menu_folds_behind_the_menu_button_and_stays_open_without_javascript(
    journey, browser, live_server
):
    page = journey.page
    page.set_viewport_size(PHONE)
    journey.goto("/")
    teachers = page.get_by_role("navigation", name="Main").get_by_role("link", name="Teachers")
    menu = page.get_by_role("button", name="Menu")
    expect(teachers).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(teachers).to_be_visible()
    journey.check_a11y()
    page.keyboard.press("Escape")
    expect(teachers).to_be_hidden()
    expect(menu).to_be_focused()

    context = new_context(browser, viewport=PHONE, java_script_enabled=False)
    try:
        no_js = context.new_page()
        no_js.goto(live_server.url + "/")
        expect(
            no_js.get_by_role("navigation", name="Main").get_by_role("link", name="Teachers")
        ).to_be_visible()
        expect(no_js.get_by_role("button", name="Menu")).to_be_hidden()
        expect(no_js.get_by_role("link", name=re.compile("Español"))).to_be_visible()
    finally:
        context.close()


def test_the_pages_clock_is_the_suites_clock(browser):
    """Chromium's pages run at the suite's instant (TEST_NOW), like the server: a countdown or a
    "today" computed in the page agrees with the one the server rendered."""
    context = new_context(browser)
    try:
        page = context.new_page()
        page.set_content("<p>clock</p>")
        in_page = page.evaluate("Date.now()") / 1000
        assert abs(in_page - time.time()) < 30  # time.time() is the suite's clock (time-machine)
    finally:
        context.close()
