"""Time zones taken from the browser, and a confirmation read on a Spanish phone.

A browser in Mexico City (Playwright's `timezone_id`) signs up and is saved in Mexico City, so a
Madrid teacher's free times are shown at once on Mexico City's clock; a person saved in UTC is
offered their device's zone on the profile and takes it in one click; a parent on a 375 px phone in
Spanish ends a guardian link after reading, in Spanish, what that means."""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from authentication.choices import GuardianLinkStatus
from authentication.models import GuardianLink, User
from authentication.services import guardian_accept, guardian_invite
from tests.authentication.factories import PASSWORD, ParentFactory, StudentFactory
from tests.booking.factories import bookable_teacher
from tests.e2e.conftest import DESKTOP, PHONE, TIMEOUT_MS, Journey, new_context
from tests.e2e.test_account_journeys import NEW_PASSWORD, _link_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MEXICO_CITY = "America/Mexico_City"
MADRID = "Europe/Madrid"
# The teacher's weekly rule, in Madrid: every day 16:00-19:00, hour-long lessons.
WINDOW = (time(16, 0), time(19, 0))
LENGTH = 60


def _journey(browser, live_server, **context_kwargs):
    context = new_context(browser, **{"viewport": DESKTOP, "locale": "en-US", **context_kwargs})
    context.set_default_timeout(TIMEOUT_MS)
    return Journey(context.new_page(), live_server.url)


@pytest.fixture
def open_journeys():
    """Journeys made by the test with their own browser context; closed and checked at the end."""
    made: list[Journey] = []
    yield made
    for run in made:
        run.page.context.close()
        assert not run.unchecked_pages(), (
            f"pages visited without an axe check: {run.unchecked_pages()}"
        )


@pytest.fixture
def mexico_city(browser, live_server, open_journeys):
    """A browser whose clock is in Mexico City, in English at desktop width."""
    run = _journey(browser, live_server, timezone_id=MEXICO_CITY)
    open_journeys.append(run)
    return run


def _expected_slots(first_day, last_day) -> dict[datetime, str]:
    """The teacher's slots starting on Madrid dates first_day..last_day (the rule's hours stepped by
    the lesson length), each with its label on a Mexico City clock: what the page must offer."""
    madrid, mexico = zoneinfo.ZoneInfo(MADRID), zoneinfo.ZoneInfo(MEXICO_CITY)
    slots = {}
    day = first_day
    while day <= last_day:
        start = datetime.combine(day, WINDOW[0], tzinfo=madrid)
        window_end = datetime.combine(day, WINDOW[1], tzinfo=madrid)
        while start + timedelta(minutes=LENGTH) <= window_end:
            slots[start.astimezone(UTC)] = start.astimezone(mexico).strftime("%H:%M")
            start += timedelta(minutes=LENGTH)
        day += timedelta(days=1)
    return slots


def test_a_browser_in_mexico_city_signs_up_in_its_zone_and_sees_a_madrid_teachers_times_there(
    mexico_city,
):
    journey, page = mexico_city, mexico_city.page
    teacher = bookable_teacher(
        tz=MADRID,
        rules=[(day, *WINDOW) for day in range(7)],
        lesson_lengths=(LENGTH,),
        first_name="Ana",
        last_name="García",
    )
    email = "sofia.ramirez@example.com"

    # Sign-up: nobody picks a zone, the browser's goes with the form.
    journey.goto("/auth/register/")
    form = page.locator("main form")
    expect(form.locator("input[name=timezone]")).to_have_value(MEXICO_CITY)
    form.get_by_label("Email").fill(email)
    form.get_by_label("First name").fill("Sofía")
    form.get_by_label("Last name").fill("Ramírez")
    form.get_by_role("radio", name=re.compile("^Student")).check()
    form.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    form.get_by_label(re.compile(r"^Password \(again\)")).fill(NEW_PASSWORD)
    journey.submit("Sign up")
    expect(page.locator("h1")).to_have_text(re.compile("Verify your email", re.I))
    assert User.objects.get(email=email).timezone == MEXICO_CITY

    [confirmation] = [m for m in mail.outbox if email in m.to]
    page.context.clear_cookies()
    journey.goto(_link_in(confirmation, "/auth/confirm-email/"))
    journey.submit("Confirm")
    journey.login(email, NEW_PASSWORD)

    journey.goto("/auth/profile/")
    expect(page.get_by_test_id("profile-timezone")).to_have_text(MEXICO_CITY)
    expect(page.get_by_test_id("timezone-offer")).to_be_hidden()  # already the device's zone

    # The Madrid teacher's free times, on Mexico City's clock.
    journey.goto(reverse("lesson-book", args=[teacher.pk]))
    expect(page.locator("main")).to_contain_text(MEXICO_CITY)
    buttons = page.locator("main button[name=start]")
    expect(buttons.first).to_be_visible()
    shown = {
        # The clock time the button shows (it may also name the day for screen readers).
        datetime.fromisoformat(value).astimezone(UTC): re.search(r"\d{2}:\d{2}", label)[0]
        for value, label in zip(
            buttons.evaluate_all("(els) => els.map((el) => el.value)"),
            buttons.all_inner_texts(),
            strict=True,
        )
    }
    # The week starts now: the days inside it (not its partial first and last days) in full.
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(MADRID)).date()
    expected = _expected_slots(today + timedelta(days=1), today + timedelta(days=5))
    inside = {start: label for start, label in shown.items() if start in expected}
    assert inside == expected
    mexico = zoneinfo.ZoneInfo(MEXICO_CITY)
    assert all(
        label == start.astimezone(mexico).strftime("%H:%M") for start, label in shown.items()
    ), shown
    assert set(expected.values()).isdisjoint({"16:00", "17:00", "18:00"})  # not Madrid's clock
    journey.screenshot("signup-timezone")


def test_a_person_saved_in_utc_takes_their_devices_zone_from_the_profile(mexico_city):
    journey, page = mexico_city, mexico_city.page
    student = StudentFactory(email="leo.utc@example.com", timezone="UTC")

    journey.login(student.email)
    journey.goto("/auth/profile/")
    expect(page.get_by_test_id("profile-timezone")).to_have_text("UTC")
    offer = page.get_by_test_id("timezone-offer")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("America/Mexico City")
    journey.submit("Use my device's time zone", within=offer)
    expect(page.get_by_role("status")).to_contain_text(f"Times are now shown in {MEXICO_CITY}.")
    expect(page.get_by_test_id("profile-timezone")).to_have_text(MEXICO_CITY)
    expect(page.get_by_test_id("timezone-offer")).to_be_hidden()
    student.refresh_from_db()
    assert student.timezone == MEXICO_CITY


def test_a_parent_on_a_spanish_phone_reads_what_ending_a_link_means_and_ends_it(
    browser, live_server, open_journeys
):
    journey = _journey(browser, live_server, viewport=PHONE, locale="es-ES")
    open_journeys.append(journey)
    page = journey.page
    parent = ParentFactory(email="elena.madre@example.com", first_name="Elena", last_name="Moreno")
    child = StudentFactory(email="pablo.hijo@example.com", first_name="Pablo", last_name="Moreno")
    link = guardian_accept(
        link=guardian_invite(actor=parent, email=child.email, as_role="child"), actor=child
    )

    journey.goto("/es/auth/login/")
    form = page.locator("main form")
    form.get_by_label(re.compile("^Correo electrónico", re.I)).fill(parent.email)
    form.get_by_label(re.compile("^Contraseña", re.I)).fill(PASSWORD)
    journey.submit(re.compile("^Iniciar sesión$", re.I))

    journey.goto("/es/auth/guardians/")
    expect(page.locator("main h1")).to_have_text("Vínculos familiares")
    row = page.get_by_test_id("guardian-link")
    expect(row).to_contain_text("Pablo Moreno")
    with page.expect_navigation():
        row.get_by_role("link", name="Terminar vínculo").click()
    journey.check_a11y()
    assert page.url.endswith(f"/es/auth/guardians/{link.pk}/remove/")

    confirm = page.get_by_test_id("confirm")
    expect(confirm.locator("h1")).to_have_text("¿Terminar el vínculo con Pablo Moreno?")
    expect(confirm).to_contain_text("Qué pasará")
    consequences = page.get_by_test_id("confirm-consequence")
    expect(consequences).to_contain_text("Dejarás de ver las clases, el progreso y las notas")
    expect(consequences).to_contain_text("Las clases ya reservadas siguen reservadas.")
    expect(confirm.get_by_role("link", name=re.compile("volver", re.I))).to_be_visible()
    page.set_viewport_size(DESKTOP)  # the screenshot takes both widths, then back to the phone
    journey.screenshot("confirm-es-phone")
    page.set_viewport_size(PHONE)
    # Asking changed nothing.
    assert GuardianLink.objects.get(pk=link.pk).status == GuardianLinkStatus.ACTIVE

    journey.submit("Terminar el vínculo", within=confirm)
    assert page.url.endswith("/es/auth/guardians/")
    expect(page.get_by_role("status")).to_contain_text(
        "El vínculo con Pablo Moreno ha terminado: ya no ves sus clases ni su progreso."
    )
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert GuardianLink.objects.get(pk=link.pk).status != GuardianLinkStatus.ACTIVE
