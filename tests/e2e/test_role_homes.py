"""Each role logs in and lands on its home (English and Spanish, desktop and phone); axe, the 375 px
layout and the Spanish-links rule are checked on every page; screenshots `home-<role>`."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from authentication.services import guardian_accept, guardian_invite
from cplatform.editorial import EDITORS
from tests.authentication.factories import (
    PASSWORD,
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)
from tests.dashboards.conftest import at_now  # noqa: F401 - the fixture
from tests.dashboards.scenario import ready_teacher, student_week, submit_for_review, teacher_week
from tests.e2e.conftest import DESKTOP, PHONE
from tests.progress.factories import profile_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def spanish_login(journey, email: str) -> None:
    journey.goto("/es/auth/login/")
    form = journey.page.locator("main form")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    journey.submit(re.compile(r"^Iniciar sesión$|^Entrar$", re.I))


def test_each_role_logs_in_and_lands_on_its_home(at_now, journey):  # noqa: F811
    teacher = ready_teacher(email="ana@example.com")
    student = StudentFactory(email="ada@example.com", first_name="Ada", timezone="Europe/Madrid")
    student_week(student, teacher)
    teacher_week(teacher, [StudentFactory(first_name="Ben"), StudentFactory(first_name="Cleo")])
    parent = ParentFactory(email="paula@example.com", language="es")
    guardian_accept(
        link=guardian_invite(actor=parent, email=student.email, as_role="child"), actor=student
    )
    newcomer = TeacherFactory(email="new.teacher@example.com", first_name="Nora")
    profile = profile_of(newcomer)
    profile.is_public = True
    profile.save()
    admin = AdminFactory(email="admin@example.com", language="es")
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name=EDITORS))
    submit_for_review(editor)
    page = journey.page
    main = page.locator("main")

    # A student, in English on a desktop: the next lesson comes first.
    journey.login(student.email)
    assert page.url.endswith("/dashboard/")
    card = main.locator(".next-lesson")
    expect(card).to_contain_text("Lesson with Ana García")
    expect(card.get_by_role("link", name=re.compile("^Join the lesson"))).to_have_attribute(
        "href", "https://meet.example.com/abc"
    )
    expect(card).to_contain_text(re.compile(r"in 7 hours|Starts in 7", re.I))
    expect(main).to_contain_text("Exercises 1-5 on page 12")
    journey.screenshot("home-student")
    journey.logout()

    # A parent, in Spanish: a card for the child with shortcuts.
    spanish_login(journey, parent.email)
    assert page.url.endswith("/es/dashboard/")
    child = main.locator(".child-card")
    expect(child).to_contain_text("Ada")
    expect(child).to_contain_text("Clase con Ana García")
    expect(child.get_by_role("link", name="Progreso")).to_be_visible()
    journey.screenshot("home-parent")
    journey.logout()

    # The teacher's week, in English.
    journey.login(teacher.email)
    expect(main.locator("[data-home=teacher]")).to_contain_text("Attendance to mark")
    expect(main).to_contain_text("Conversation club")
    journey.screenshot("home-teacher")
    journey.logout()

    # A new teacher's checklist: students cannot book them yet.
    journey.login(newcomer.email)
    expect(main).to_contain_text("Get ready to teach")
    expect(main).to_contain_text("Students cannot book you yet")
    main.get_by_role("link", name="Set your weekly availability").click()
    journey.check_a11y()
    assert page.url.endswith("/lessons/availability/")
    journey.logout()

    # An admin, in Spanish on a phone: approvals and reviews waiting.
    page.set_viewport_size(PHONE)
    spanish_login(journey, admin.email)
    assert page.url.endswith("/es/dashboard/")
    admin_part = main.locator("[data-home=admin]")
    expect(admin_part).to_contain_text("Nora")
    expect(admin_part).to_contain_text("Páginas pendientes de revisión")
    page.set_viewport_size(DESKTOP)
    journey.screenshot("home-admin")
