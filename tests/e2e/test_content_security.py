"""The Content-Security-Policy in a real browser: every kind of page renders without one violation.

Public and member pages run under the strict policy (no inline script or style without the nonce,
frames only from the video players); Wagtail's admin under its own. The `journey` fixture fails on
any violation Chromium reports (tests/e2e/conftest.py: PolicyViolations), so every journey checks
the pages it visits; this module visits one page of each kind on purpose, and the admin. Markup
typed into JSON-LD fields (tests/seo/test_json_ld_escaping.py) must not blank the page."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from classroom.models import Lesson, TeacherProfile
from courses.pages import CoursePage
from tests.classroom.factories import listed_teacher
from tests.courses.factories import ModuleFactory
from tests.courses.page_helpers import live_course
from tests.e2e.conftest import DESKTOP, PolicyViolations, new_context
from tests.home.factories import LandingPageFactory, embed_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "cplatform-demo"
ADMIN_TIMEOUT_MS = 30_000  # the admin's editor loads a lot of JavaScript
PAYLOAD = "</script><!--<script> & >"


def offline_players(context) -> None:
    """The video players' frames stay offline: an empty page answers for YouTube."""
    context.route(
        re.compile(r"^https://(www\.)?youtube(-nocookie)?\.com/"),
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>video</p>"),
    )


def strict_policy(response) -> str:
    """The enforced policy of a public or member page; fails when it is missing or relaxed."""
    policy = response.header_value("content-security-policy") or ""
    assert "script-src 'self'" in policy, policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, policy
    return policy


def visit(journey, path: str) -> None:
    """Open `path`: it answers under the strict policy; axe and the policy check run on it."""
    response = journey.page.goto(journey.url(path))
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    strict_policy(response)
    journey.check_a11y()


def test_every_kind_of_page_renders_without_a_content_security_policy_violation(journey):
    call_command("load_demo_data", stdout=io.StringIO())
    # YouTube's own oEmbed markup: the player asks for features the Permissions-Policy denies.
    embed = embed_for()
    embed.html = (
        '<iframe width="960" height="540" src="https://www.youtube.com/embed/cplatform-demo'
        '?feature=oembed" frameborder="0" allow="accelerometer; autoplay; clipboard-write; '
        'encrypted-media; gyroscope; picture-in-picture; web-share" '
        'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen '
        'title="How cplatform works"></iframe>'
    )
    embed.save()
    video_page = LandingPageFactory(title="Video campaign", slug="video-campaign")
    offline_players(journey.page.context)
    teacher = TeacherProfile.objects.get(user__email="chloe.martin@example.com")
    course_page = CoursePage.objects.live().filter(locale__language_code="en").first()
    lesson = (
        Lesson.objects.filter(student__email="liam.johnson@example.com")
        .exclude(video_call_url="")
        .first()
        or Lesson.objects.filter(student__email="liam.johnson@example.com").first()
    )
    page = journey.page

    for path in (
        "/",
        "/es/",
        "/summer-spanish/",
        "/blog/",
        "/blog/twenty-minutes-a-day/",
        "/faq/",
        "/teachers/",
        f"/teachers/{teacher.slug}/",
        "/courses/",
        course_page.url,
        "/auth/login/",
        "/auth/register/",
    ):
        visit(journey, path)
        expect(page.locator("h1")).to_be_visible()
    visit(journey, video_page.url)
    player = page.frame_locator("iframe[src^='https://www.youtube.com/embed/']")
    expect(player.locator("p")).to_have_text("video")  # the frame loaded (frame-src)

    # The API docs: Swagger UI from the site's static files, working under the strict policy.
    docs = page.context.new_page()
    strict_policy(docs.goto(journey.url("/api/v1/docs")))
    # Swagger UI renders the whole schema: slow on a busy machine.
    expect(docs.get_by_role("heading", level=1)).to_contain_text(
        "cplatform API", timeout=ADMIN_TIMEOUT_MS
    )
    expect(docs.locator(".opblock").first).to_be_visible(timeout=ADMIN_TIMEOUT_MS)
    assert journey.violations.take() == []
    docs.close()

    journey.login("liam.johnson@example.com", DEMO_PASSWORD)
    visit(journey, "/lessons/")
    visit(journey, f"/lessons/{lesson.pk}/")
    visit(journey, "/progress/")
    # allauth's account pages in the site's frame (its own scripts and data blocks).
    for path in ("/auth/profile/", "/auth/email/", "/auth/password/change/", "/auth/2fa/"):
        visit(journey, path)
    journey.logout()

    journey.login("ben.carter@example.com", DEMO_PASSWORD)
    visit(journey, "/lessons/week/")
    # The week grid is placed by the nonce'd style element: items sit at their hour.
    page.set_viewport_size({"width": 1400, "height": 900})
    tops = page.locator(".week-item").evaluate_all(
        "items => items.map(item => getComputedStyle(item).top)"
    )
    assert len(set(tops)) > 1, f"the week's items are not placed by the hour: {tops}"
    page.set_viewport_size(DESKTOP)
    journey.logout()

    # An editor sees Wagtail's userbar on public pages, still under the strict policy.
    journey.login("admin@example.com", DEMO_PASSWORD)
    visit(journey, "/")
    expect(page.locator("wagtail-userbar")).to_have_count(1)
    visit(journey, course_page.url)


def test_the_wagtail_admin_and_djangos_admin_work_under_their_policies(browser, live_server):
    call_command("load_demo_data", stdout=io.StringIO())
    context = new_context(browser, viewport=DESKTOP, locale="en-US")
    context.set_default_timeout(ADMIN_TIMEOUT_MS)
    violations = PolicyViolations(context)
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("admin@example.com")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    expect(page).to_have_url(live_server.url + "/admin/")
    found = {"/admin/": violations.take()}
    course_page = CoursePage.objects.live().filter(locale__language_code="en").first()
    course = course_page.specific.course

    for path in (
        "/admin/pages/",
        f"/admin/pages/{course_page.pk}/edit/",
        "/django-admin/",
        "/django-admin/courses/course/",
        f"/django-admin/courses/course/{course.pk}/change/",
        "/django-admin/authentication/user/1/change/",
    ):
        response = page.goto(live_server.url + path)
        assert response.ok, (path, response.status)
        page.wait_for_load_state("load")
        policy = response.header_value("content-security-policy") or ""
        assert "default-src 'self'" in policy and "object-src 'none'" in policy, policy
        if path.startswith("/django-admin/"):
            strict_policy(response)
        found[path] = violations.take()
    context.close()

    report = "\n".join(f"{path}:\n  " + "\n  ".join(seen) for path, seen in found.items() if seen)
    assert not report, "policy violations:\n" + report


def test_a_course_page_with_markup_in_its_json_ld_fields_still_shows_its_heading(journey):
    teacher = listed_teacher(display_name=f"Teacher {PAYLOAD}")
    course = live_course(
        title=f"Course {PAYLOAD}",
        summary=f"Summary {PAYLOAD}",
        owner=teacher.user,
        starts_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    ModuleFactory(course=course, title=f"Module {PAYLOAD}")

    journey.goto(course.page.url)

    expect(journey.page.get_by_role("heading", level=1)).to_have_text(f"Course {PAYLOAD}")
    expect(journey.page.locator("main")).to_contain_text(f"Module {PAYLOAD}")
    expect(journey.page.get_by_role("contentinfo")).to_be_visible()
