"""Account journeys in a real browser: sign-up to log-out, and a parent linking a child."""

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from authentication.choices import GuardianLinkStatus, Role
from authentication.models import GuardianLink, User
from classroom.services import student_profile_update
from tests.authentication.factories import ParentFactory, StudentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Tortoise-Lantern-93"


def _link_in(message, path_prefix: str) -> str:
    """The path of the first link in an email whose path starts with `path_prefix`."""
    for url in re.findall(r"https?://\S+", message.body):
        path = urlsplit(url).path
        if path.startswith(path_prefix):
            return path
    raise AssertionError(f"no {path_prefix} link in:\n{message.body}")


def test_student_signs_up_confirms_email_logs_in_edits_profile_switches_to_spanish_and_logs_out(
    journey,
):
    page = journey.page
    email = "lucia.fernandez@example.com"

    journey.goto("/auth/register/")
    form = page.locator("main form")
    form.get_by_label("Email").fill(email)
    form.get_by_label("First name").fill("Lucía")
    form.get_by_label("Last name").fill("Fernández")
    form.get_by_role("radio", name=re.compile("^Student")).check()
    form.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    form.get_by_label(re.compile(r"^Password \(again\)")).fill(NEW_PASSWORD)
    journey.submit("Sign up")
    expect(page.locator("h1")).to_have_text(re.compile("Verify your email", re.I))

    user = User.objects.get(email=email)
    assert set(user.groups.values_list("name", flat=True)) == {Role.STUDENT}
    assert not user.emailaddress_set.get().verified

    # The mail task ran inline in the live server's thread: the message is in this process's outbox.
    [confirmation] = [m for m in mail.outbox if email in m.to]
    confirm_path = _link_in(confirmation, "/auth/confirm-email/")

    # The link is opened later, from the mail program: a fresh browser session.
    page.context.clear_cookies()
    journey.goto(confirm_path)
    expect(page.locator("main")).to_contain_text(email)
    journey.submit("Confirm")
    assert user.emailaddress_set.get().verified

    journey.login(email, NEW_PASSWORD)
    expect(page.get_by_role("navigation", name="Your areas")).to_contain_text("Lessons")  # by role

    journey.goto("/auth/profile/edit/")
    form = page.locator("main form")
    form.get_by_label("Display name").fill("Lucía F.")
    form.get_by_label("Time zone").select_option("America/Bogota")
    journey.submit("Save")
    assert page.url.endswith("/auth/profile/")
    expect(page.get_by_role("status")).to_contain_text("Your profile has been saved.")
    expect(page.locator("main")).to_contain_text("Lucía F.")
    expect(page.get_by_test_id("profile-timezone")).to_have_text("America/Bogota")
    user.refresh_from_db()
    assert (user.display_name, user.timezone) == ("Lucía F.", "America/Bogota")

    switcher = page.locator("header .language-switcher")
    with page.expect_navigation():  # a plain link to the same page in Spanish
        switcher.get_by_role("link", name=re.compile("Español")).click()
    journey.check_a11y()
    assert page.url.endswith("/es/auth/profile/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    # allauth ships its Spanish strings: its pages now speak Spanish.
    journey.goto("/es/auth/email/")
    expect(page.locator("main h1")).to_have_text("Direcciones de correo electrónico")

    journey.logout()
    expect(page.get_by_role("status")).to_contain_text("Ha cerrado sesión.")
    expect(page.locator("header")).not_to_contain_text(re.compile("Log out|Cerrar sesión"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    journey.screenshot("student-journey")


def test_parent_invites_a_child_who_accepts_and_the_parent_gives_consent(journey):
    page = journey.page
    parent = ParentFactory(email="elena.parent@example.com", first_name="Elena", last_name="Moreno")
    child = StudentFactory(email="pablo.child@example.com", first_name="Pablo", last_name="Moreno")
    today = date.today()
    student_profile_update(user=child, data={"date_of_birth": date(today.year - 12, 1, 1)})

    journey.login(parent.email)
    expect(page.get_by_role("navigation", name="Your areas")).to_contain_text("Children")
    journey.goto("/auth/guardians/")
    form = page.locator("main form").filter(has=page.get_by_label("Their email address"))
    form.get_by_label("Their email address").fill(child.email)
    journey.submit("Send invitation")
    expect(page.get_by_role("status")).to_contain_text("Invitation sent.")
    expect(page.get_by_test_id("guardian-link")).to_contain_text(child.email)
    expect(page.get_by_test_id("guardian-link")).to_contain_text("Pending")
    [invitation] = [m for m in mail.outbox if child.email in m.to]
    family_path = _link_in(invitation, "/auth/guardians/")
    journey.logout()

    journey.login(child.email)
    expect(page.locator("main")).to_be_visible()
    journey.goto(family_path)
    link_row = page.get_by_test_id("guardian-link")
    expect(link_row).to_contain_text("Elena Moreno")
    journey.submit("Accept", within=link_row)
    expect(page.get_by_role("status")).to_contain_text("You are now linked.")
    expect(page.get_by_test_id("guardian-link")).to_contain_text("Active")
    # Under 16 and no consent yet: the profile says so.
    journey.goto("/auth/profile/")
    expect(page.locator("main")).to_contain_text("once a linked guardian gives consent")
    journey.logout()

    journey.login(parent.email)
    journey.goto("/auth/guardians/")
    link_row = page.get_by_test_id("guardian-link")
    expect(link_row).to_contain_text("Pablo Moreno")
    expect(link_row).to_contain_text("Active")
    # Consent asks first, saying what is consented to, then records it.
    with page.expect_navigation():
        link_row.get_by_role("link", name="Give consent").click()
    journey.check_a11y()
    expect(page.get_by_test_id("confirm-consequence")).to_be_visible()
    journey.submit("I give my consent")
    expect(page.get_by_role("status")).to_contain_text("Consent recorded")
    expect(page.get_by_test_id("guardian-link")).to_contain_text("Consent given")

    link = GuardianLink.objects.get(guardian=parent, child=child)
    assert link.status == GuardianLinkStatus.ACTIVE
    assert link.consent_given_by == parent
    assert link.consent_given_at is not None
    journey.screenshot("guardian-journey")
