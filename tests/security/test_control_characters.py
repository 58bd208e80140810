"""Finding 8 of issue 8: a display name with CR/LF was accepted and made the owner's calendar feed
answer 500. Every text field of our models refuses control characters (one line for a CharField,
line breaks and tabs allowed in a TextField), so model forms, both admins and services' `full_clean`
refuse them; the services that check fields by hand use the same validators; and whatever is
already stored never breaks a one-line format (calendar feed, email subject, download header, blog
feed). The API's part is tests/security/test_control_characters_api.py."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from authentication.choices import Role
from authentication.models import User
from authentication.services import guardian_invite, profile_update
from classroom.calendar import services as feed_services
from classroom.models import Lesson
from classroom.progress.services import progress_note_add
from classroom.scheduling.services import lesson_cancel, time_off_add
from classroom.teaching.services import attendance_record, group_session_create, lesson_update
from courses.models import Course, Material
from courses.services import course_create
from cplatform.exceptions import ValidationFailed
from cplatform.validators import (
    SINGLE_LINE_MESSAGE,
    single_line,
    validate_multiline_text,
    validate_single_line,
)
from tests.authentication.factories import UserFactory
from tests.booking.factories import bookable_teacher, days_ahead
from tests.calendar.factories import group_session, private_lesson
from tests.courses.factories import CourseFactory, EnrollmentFactory, MaterialFactory

ROOT = Path(settings.BASE_DIR).resolve()
# Written by Django, never from what someone types.
NOT_TYPED = {("authentication", "User", "password")}
SINGLE_LINE_BAD = [
    "a\r\nb",
    "a\nb",
    "a\rb",
    "a\tb",
    "a\x00b",
    "a\x1bb",
    "a\x7fb",
    "a\x85b",
    "a\u2028b",
]
MULTILINE_BAD = ["a\x00b", "a\x07b", "a\x0bb", "a\x0cb", "a\x1bb", "a\x7fb", "a\x85b", "a\x9fb"]
MULTILINE_GOOD = "Line one\r\nline two\n\tindented\u2028and on"


def our_text_fields():
    """Every CharField (slugs, emails, URLs included) and TextField declared by a model of an app in
    this repository (not a package's): found, not listed, so a new one is covered."""
    found = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if not path.is_relative_to(ROOT) or ".venv" in path.parts:
            continue
        for model in config.get_models():
            for field in model._meta.get_fields():
                if not getattr(field, "concrete", False) or field.model is not model:
                    continue
                if not isinstance(field, models.CharField | models.TextField):
                    continue
                if (config.label, model.__name__, field.name) in NOT_TYPED:
                    continue
                found.append(field)
    assert len(found) > 60
    return found


def label(field) -> str:
    return f"{field.model._meta.label}.{field.name}"


def test_every_one_line_field_of_our_models_refuses_line_breaks_and_control_characters():
    missing = [
        label(f)
        for f in our_text_fields()
        if isinstance(f, models.CharField)
        and not f.choices  # a fixed set of codes
        and validate_single_line not in f.validators
    ]
    assert missing == []


def test_every_multiline_field_of_our_models_refuses_control_characters():
    missing = [
        label(f)
        for f in our_text_fields()
        if isinstance(f, models.TextField)
        and not any(v in (validate_multiline_text, validate_single_line) for v in f.validators)
    ]
    assert missing == []


@pytest.mark.parametrize("value", SINGLE_LINE_BAD)
def test_the_one_line_rule(value):
    with pytest.raises(ValidationError) as caught:
        validate_single_line(value)
    assert caught.value.code == "control_characters"
    validate_single_line("Sofía Ruiz-López, “Ana” & co. 🎹")


@pytest.mark.parametrize("value", MULTILINE_BAD)
def test_the_multiline_rule(value):
    with pytest.raises(ValidationError):
        validate_multiline_text(value)
    validate_multiline_text(MULTILINE_GOOD)


@pytest.mark.django_db
def test_model_validation_names_the_field():
    course = CourseFactory()
    course.title = "Algebra\r\nBcc: x"
    course.summary = MULTILINE_GOOD
    with pytest.raises(ValidationError) as caught:
        course.full_clean()
    assert caught.value.message_dict == {"title": [str(SINGLE_LINE_MESSAGE)]}


# Services: the one place every interface (pages, API, admin actions) writes through.


def refused(call, **kwargs) -> dict:
    with pytest.raises(ValidationFailed) as caught:
        call(**kwargs)
    return caught.value.errors


@pytest.mark.django_db
def test_profile_and_course_services_refuse_line_breaks():
    user = UserFactory(roles=[Role.TEACHER])
    assert "display_name" in refused(profile_update, user=user, data={"display_name": "Ana\nB"})
    user.refresh_from_db()
    assert "last_name" in refused(profile_update, user=user, data={"last_name": "Ruiz\rLópez"})
    user.refresh_from_db()
    profile_update(user=user, data={"bio": MULTILINE_GOOD})
    data = {"title": "Algebra\n1", "format": "self_paced", "subject": "mathematics"}
    assert "title" in refused(course_create, actor=user, data=data)
    assert not Course.objects.filter(owner=user).exists()


@pytest.mark.django_db
def test_scheduling_and_teaching_services_refuse_line_breaks_where_one_line_is_stored():
    teacher = bookable_teacher()
    learner = UserFactory(roles=[Role.STUDENT])
    lesson = private_lesson(teacher=teacher, student=learner, start=days_ahead(3))
    start, end = days_ahead(10), days_ahead(11)
    assert "reason" in refused(time_off_add, teacher=teacher, start=start, end=end, reason="Off\nX")
    assert "reason" in refused(lesson_cancel, lesson=lesson, actor=learner, reason="Ill\r\nX")
    lesson.refresh_from_db()
    assert lesson.status == "scheduled"

    errors = refused(
        lesson_update,
        actor=teacher.user,
        lesson=lesson,
        data={"title": "Week\n2", "notes": MULTILINE_GOOD, "homework": "p. 4\x07"},
    )
    assert set(errors) == {"title", "homework"}
    lesson_update(actor=teacher.user, lesson=lesson, data={"notes": MULTILINE_GOOD})

    course = CourseFactory(owner=teacher.user, format="group", capacity=5)
    errors = refused(
        group_session_create,
        actor=teacher.user,
        course=course,
        start=days_ahead(5),
        length=60,
        title="Session\r\n1",
    )
    assert set(errors) == {"title"}
    assert not Lesson.objects.filter(course=course).exists()

    started = private_lesson(
        teacher=teacher, student=learner, start=timezone.now() - timedelta(minutes=10)
    )
    errors = refused(
        attendance_record,
        actor=teacher.user,
        lesson=started,
        marks=[{"student_id": learner.pk, "status": "late", "note": "Bus\nlate"}],
    )
    assert errors == {"marks": [str(SINGLE_LINE_MESSAGE)]}
    assert not started.attendances.exists()


@pytest.mark.django_db
def test_a_progress_note_keeps_its_lines_but_not_control_characters():
    enrollment = EnrollmentFactory()
    teacher = enrollment.course.owner
    assert "body" in refused(progress_note_add, actor=teacher, enrollment=enrollment, body="ok\x1b")
    note = progress_note_add(actor=teacher, enrollment=enrollment, body=MULTILINE_GOOD)
    assert note.body == MULTILINE_GOOD.strip()


@pytest.mark.django_db
def test_the_sign_up_form_refuses_a_name_on_two_lines():
    response = Client().post(
        "/_allauth/app/v1/auth/signup",
        {
            "email": "new@example.com",
            "password": "a-long-pass-phrase-1",
            "first_name": "Ana\r\nX",
            "last_name": "Ruiz",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {e["param"] for e in response.json()["errors"]} == {"first_name"}
    assert not User.objects.filter(email="new@example.com").exists()


@pytest.mark.django_db
def test_the_profile_page_refuses_a_display_name_on_two_lines():
    user = UserFactory(roles=[Role.STUDENT], display_name="Sofía")
    client = Client()
    client.force_login(user)
    response = client.post(
        "/auth/profile/edit/",
        {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "display_name": "Sofía\r\nX",
            "timezone": user.timezone,
            "language": "en",
        },
    )
    assert response.status_code == 200  # the form again, with its error
    assert str(SINGLE_LINE_MESSAGE) in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Sofía"


# What is already stored (rows written before the validators, or with update()) never breaks a
# one-line format.

STORED = "Ana\r\nX-Evil: 1\x01\u2028end"


@pytest.mark.django_db
def test_the_calendar_feed_writes_stored_line_breaks_on_one_line():
    teacher = bookable_teacher()
    learner = UserFactory(roles=[Role.STUDENT])
    course = CourseFactory(owner=teacher.user, format="group", capacity=5)
    private_lesson(teacher=teacher, student=learner, start=days_ahead(2))
    session = group_session(teacher=teacher, course=course, start=days_ahead(3), seats=[learner])
    User.objects.filter(pk__in=[teacher.user.pk, learner.pk]).update(display_name=STORED)
    Course.objects.filter(pk=course.pk).update(title=STORED)
    Lesson.objects.filter(pk=session.pk).update(
        title=STORED, video_call_url="https://meet.example.org/a\r\nb"
    )
    for owner in (teacher.user, learner):
        feed = feed_services.calendar_feed_regenerate(user=owner)
        response = Client(raise_request_exception=False).get(f"/calendar/{feed.token}.ics")
        assert response.status_code == 200
        cal = Calendar.from_ical(response.content)
        assert str(cal["X-WR-CALNAME"]) == "Lessons of Ana X-Evil: 1 end"
        summaries = sorted(str(event["SUMMARY"]) for event in cal.walk("VEVENT"))
        # The 1:1 lesson names the other person; the group session keeps its (course's) title.
        assert summaries == sorted(["Lesson with Ana X-Evil: 1 end", "Ana X-Evil: 1 end"])
        for event in cal.walk("VEVENT"):
            for name in ("SUMMARY", "LOCATION", "URL"):
                if name in event:
                    assert not set(str(event[name])) & {"\r", "\n", "\x01", "\u2028"}


@pytest.mark.django_db(transaction=True)
def test_an_email_subject_made_of_a_stored_name_stays_one_line():
    parent = UserFactory(roles=[Role.PARENT])
    User.objects.filter(pk=parent.pk).update(display_name="Ana\r\nBcc: evil@example.com")
    parent.refresh_from_db()
    guardian_invite(actor=parent, email="kid@example.com", as_role="child")
    assert [m.subject for m in mail.outbox] == [
        "Ana Bcc: evil@example.com invited you to link your cplatform accounts"
    ]
    assert mail.outbox[0].bcc == []


@pytest.mark.django_db
def test_a_stored_file_name_with_a_line_break_still_downloads():
    material = MaterialFactory()
    Material.objects.filter(pk=material.pk).update(original_name="notes\r\nX-Evil: 1.pdf")
    client = Client(raise_request_exception=False)
    client.force_login(material.course.owner)
    response = client.get(f"/api/v1/materials/{material.pk}/download")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="notes X-Evil: 1.pdf"'


@pytest.mark.django_db
def test_the_blog_feed_leaves_out_control_characters_in_stored_titles():
    from blog.models import BlogPage
    from tests.blog.factories import BlogIndexPageFactory, BlogPageFactory, english_home

    index = BlogIndexPageFactory(parent=english_home(), title="Blog", slug="blog")
    post = BlogPageFactory(parent=index, title="Scales", intro="Daily\npractice")
    BlogPage.objects.filter(pk=post.pk).update(title="Scales\x01\r\nand arpeggios", intro="a\x0bb")
    for kind in ("rss", "atom"):
        response = Client(raise_request_exception=False).get(f"{index.url}feed/{kind}/")
        assert response.status_code == 200
        assert "Scales and arpeggios" in response.content.decode()


def test_single_line_joins_whatever_a_row_holds():
    assert single_line(" Ana\r\n\tRuiz\x00\u2029 ") == "Ana Ruiz"


def our_page_models():
    from wagtail.models import Page

    ours = {"home", "blog", "faq", "courses", "cplatform"}
    return [
        m
        for m in apps.get_models()
        if issubclass(m, Page) and m is not Page and m._meta.app_label in ours
    ]


def test_every_page_type_of_ours_applies_the_text_rule_to_wagtails_own_fields():
    from cplatform.pages import SeoPageMixin

    pages = our_page_models()
    assert len(pages) >= 7  # home, landing, blog index and post, FAQ, catalog, course
    assert [m.__name__ for m in pages if not issubclass(m, SeoPageMixin)] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "Summer\nSpanish"), ("seo_title", "Tab\there"), ("search_description", "a\x07b")],
)
def test_a_page_refuses_control_characters_in_its_title_and_descriptions(field, value):
    from home.models import LandingPage

    page = LandingPage(title="Summer Spanish", slug="summer-spanish-2")
    setattr(page, field, value)
    with pytest.raises(ValidationError) as caught:
        page.clean()
    assert list(caught.value.message_dict) == [field]


@pytest.mark.django_db
def test_a_page_description_keeps_its_line_breaks():
    from home.models import LandingPage

    LandingPage(title="Summer", slug="summer-3", search_description="One.\nTwo.").clean()
