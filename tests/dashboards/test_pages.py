"""The role homes at /dashboard/, as each person opens them after logging in."""

import re

import pytest
from django.contrib.auth.models import Group

from authentication.choices import Role
from authentication.services import user_add_role
from classroom.models import Attendance
from cplatform.editorial import EDITORS
from tests.authentication.factories import (
    PASSWORD,
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)
from tests.classroom.conftest import as_user
from tests.courses.factories import CourseFactory, EnrollmentFactory
from tests.dashboards.scenario import (
    at,
    link,
    minor,
    ready_teacher,
    student_week,
    submit_for_review,
    teacher_week,
)
from tests.progress.factories import (
    GroupSessionFactory,
    LessonFactory,
    LessonSeatFactory,
    profile_of,
)

pytestmark = pytest.mark.django_db


def home(client, user, path="/dashboard/"):
    response = as_user(client, user).get(path)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, role: str) -> str:
    """The part of the home for one role (`data-home="student"` …)."""
    match = re.search(rf'<section[^>]*data-home="{role}".*?</section>', html, re.S)
    assert match, f"no {role} section"
    return match.group(0)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- landing there -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "factory", [StudentFactory, ParentFactory, TeacherFactory, AdminFactory, UserFactory]
)
def test_every_role_lands_on_its_home_after_logging_in(client, factory):
    person = factory()
    response = client.post("/auth/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert client.get(response["Location"]).status_code == 200


def test_a_spanish_speaker_lands_on_the_spanish_home_and_reads_it_in_spanish(client):
    person = StudentFactory(language="es")
    response = client.post("/es/auth/login/", {"login": person.email, "password": PASSWORD})
    assert response["Location"] == "/es/dashboard/"
    html = client.get("/es/dashboard/").content.decode()
    assert "Tu aprendizaje" in html and "Tu próxima clase" in html
    assert "Your next lesson" not in html


def test_a_next_parameter_still_wins_over_the_home(client):
    person = TeacherFactory()
    response = client.post(
        "/auth/login/?next=/lessons/", {"login": person.email, "password": PASSWORD}
    )
    assert response["Location"] == "/lessons/"


def test_the_home_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/auth/login/")


# --- students -----------------------------------------------------------------------------------------


def test_a_student_sees_the_next_lesson_first_in_their_zone_with_its_join_link(client, at_now):
    student = StudentFactory(first_name="Ada", timezone="America/Mexico_City")
    teacher = ready_teacher()
    next_lesson, later, set_work = student_week(student, teacher)

    html = section(home(client, student), "student")

    card = re.search(r'<article class="card next-lesson".*?</article>', html, re.S).group(0)
    # 15:00 UTC is 09:00 in Mexico City, on Monday 7 December.
    assert "Lesson with Ana García" in card
    assert "Monday, 7 December" in card and "09:00–10:00" in card
    assert 'href="https://meet.example.com/abc"' in card
    assert re.search(r"Starts in 6 hours", text(card))  # on the day: a countdown (7 h, ticking)
    assert f'href="/lessons/{later.pk}/"' in html  # coming up
    assert "Exercises 1-5 on page 12" in html  # homework due
    assert "Algebra" in html  # a course with its progress
    assert 'id="modules-' in html
    assert "Exam prep" in html and 'data-todo="enrollment_pending"' in html
    assert "nothing is charged on this site" in html


def test_a_lesson_without_a_join_link_says_where_it_will_appear(client, at_now):
    student = StudentFactory()
    student_week(student, ready_teacher(), video="")
    html = section(home(client, student), "student")
    assert "The join link appears here once the teacher adds it." in html


def test_a_student_with_nothing_yet_is_told_what_to_do_next(client):
    student = StudentFactory()
    html = section(home(client, student), "student")
    assert "No lesson booked yet" in html and 'href="/teachers/"' in html
    assert "You are not enrolled in any course yet." in html and 'href="/courses/"' in html
    assert "No homework due." in html
    assert "data-todo" not in html


def test_a_student_under_16_is_told_to_get_a_guardians_consent(client):
    child = minor()
    html = section(home(client, child), "student")
    assert 'data-todo="guardian_consent"' in html
    assert 'href="/auth/guardians/"' in html


def test_a_student_without_a_date_of_birth_is_asked_for_it(client):
    student = StudentFactory()
    student.student_profile.date_of_birth = None
    student.student_profile.save()
    html = section(home(client, student), "student")
    assert 'data-todo="date_of_birth"' in html
    assert 'href="/students/me/edit/"' in html


def test_a_student_sees_a_family_link_invitation_waiting_for_their_answer(client):
    from authentication.services import guardian_invite

    parent, student = ParentFactory(first_name="Paula"), StudentFactory()
    guardian_invite(actor=parent, email=student.email, as_role="child")
    html = section(home(client, student), "student")
    assert 'data-todo="guardian_invitation"' in html and "Paula" in html


# --- parents ------------------------------------------------------------------------------------------


def test_a_parent_sees_a_card_per_child_with_their_lessons_and_shortcuts(client, at_now):
    parent = ParentFactory()
    ada, ben = StudentFactory(first_name="Ada"), StudentFactory(first_name="Ben")
    link(parent, ada)
    link(parent, ben)
    next_lesson, _later, _work = student_week(ada, ready_teacher())

    html = section(home(client, parent), "parent")

    cards = re.findall(r'<article class="card child-card".*?</article>', html, re.S)
    assert len(cards) == 2
    ada_card, ben_card = cards
    assert "Ada" in ada_card and "Ben" in ben_card
    assert f'href="/lessons/{next_lesson.pk}/"' in ada_card
    assert "Lesson with Ana García" in ada_card
    assert "Exercises 1-5" not in ada_card  # homework: its lesson, not the whole text
    assert "Homework due" in ada_card and "Algebra" in ada_card
    assert "Exam prep" in ada_card and "confirms your payment" in ada_card
    for child, card in ((ada, ada_card), (ben, ben_card)):
        assert f'href="/progress/#child-{child.pk}-heading"' in card
        assert f'href="/progress/history/?student={child.pk}"' in card
        assert 'href="/teachers/"' in card
    assert "No lesson booked." in ben_card
    # The Progress shortcut opens the parent's progress page at that child (not a teacher's page).
    progress = client.get("/progress/")
    assert progress.status_code == 200
    for child in (ada, ben):
        assert f'id="child-{child.pk}-heading"' in progress.content.decode()


def test_a_parent_books_again_with_each_childs_own_teachers_and_the_child_comes_chosen(
    client, at_now
):
    parent = ParentFactory()
    ada, ben = StudentFactory(first_name="Ada"), StudentFactory(first_name="Ben")
    link(parent, ada)
    link(parent, ben)
    ana = ready_teacher()
    student_week(ada, ana)
    bruno = ready_teacher(first_name="Bruno")  # Ben's group session only
    session = GroupSessionFactory(
        course=CourseFactory(owner=bruno, format="group", capacity=4), start=at(30), end=at(31)
    )
    LessonSeatFactory(lesson=session, student=ben)
    cancelled = ready_teacher(first_name="Carla")  # Ben's one lesson with her was cancelled
    LessonFactory(
        teacher=profile_of(cancelled), student=ben, start=at(50), end=at(51), status="cancelled"
    )
    unavailable = TeacherFactory(first_name="Dora")  # no availability: nothing to book
    LessonFactory(teacher=profile_of(unavailable), student=ben, start=at(-50), end=at(-49))

    html = section(home(client, parent), "parent")

    ada_card, ben_card = re.findall(r'<article class="card child-card".*?</article>', html, re.S)
    ana_book = f'href="/lessons/book/{profile_of(ana).pk}/?student_id={ada.pk}"'
    bruno_book = f'href="/lessons/book/{profile_of(bruno).pk}/?student_id={ben.pk}"'
    assert ana_book in ada_card and "Book with Ana García" in ada_card
    assert bruno_book in ben_card and "Book with Bruno García" in ben_card
    assert "Bruno" not in ada_card and "Ana García" not in text(ben_card)
    assert "Carla" not in ben_card and "Dora" not in ben_card
    assert "Find another teacher" in ada_card and 'href="/teachers/"' in ada_card

    # The link opens Ana's booking page with Ada already chosen.
    page = client.get(f"/lessons/book/{profile_of(ana).pk}/?student_id={ada.pk}")
    assert page.status_code == 200
    assert f'<option value="{ada.pk}" selected>Ada' in page.content.decode()


def test_a_child_without_a_teacher_yet_gets_find_a_teacher(client):
    parent = ParentFactory()
    link(parent, StudentFactory(first_name="Ada"))
    card = section(home(client, parent), "parent")
    assert "Find a teacher" in card and 'href="/teachers/"' in card
    assert "Book with" not in card


def test_a_parent_is_asked_for_consent_and_a_date_of_birth_where_a_child_needs_them(client):
    parent = ParentFactory()
    young, undated = minor(first_name="Young"), StudentFactory(first_name="Undated")
    undated.student_profile.date_of_birth = None
    undated.student_profile.save()
    link(parent, young)
    link(parent, undated)

    html = section(home(client, parent), "parent")

    undated_card, young_card = re.findall(  # by first name
        r'<article class="card child-card".*?</article>', html, re.S
    )
    assert "Young" in young_card and "Undated" in undated_card
    assert 'data-todo="guardian_consent"' in young_card and "/auth/guardians/" in young_card
    assert 'data-todo="date_of_birth"' in undated_card
    assert f"/students/{undated.pk}/date-of-birth/" in undated_card


def test_a_parent_without_linked_children_is_sent_to_family_links(client):
    html = section(home(client, ParentFactory()), "parent")
    assert "No child is linked to your account yet." in html
    assert 'href="/auth/guardians/"' in html


def test_a_parent_never_sees_another_familys_child(client, at_now):
    parent, other = ParentFactory(), ParentFactory()
    theirs = StudentFactory(first_name="Zed")
    link(other, theirs)
    student_week(theirs, ready_teacher())
    html = section(home(client, parent), "parent")
    assert "Zed" not in html and "child-card" not in html


# --- teachers -----------------------------------------------------------------------------------------


def test_a_new_teacher_gets_the_onboarding_checklist_and_learns_students_cannot_book_yet(client):
    teacher = TeacherFactory()
    profile = profile_of(teacher)
    profile.headline, profile.bio = "", ""
    profile.save()

    html = section(home(client, teacher), "teacher")

    assert "Get ready to teach" in html
    for url in ("/teachers/me/edit/", "/lessons/availability/", "/courses/teach/new/"):
        assert f'href="{url}"' in html
    assert "Students cannot book you yet" in html
    assert html.count("onboarding__step is-done") == 0
    assert "You have no courses yet." in html


def test_the_checklist_ticks_each_step_and_goes_once_all_are_done(client):
    teacher = ready_teacher()
    course_less = section(home(client, teacher), "teacher")
    assert course_less.count("onboarding__step is-done") == 2
    assert 'data-step="first_course"' in course_less

    CourseFactory(owner=teacher)
    html = section(home(client, teacher), "teacher")
    assert "Get ready to teach" not in html
    assert "Students cannot book you yet" not in html


def test_a_teacher_sees_today_the_week_attendance_to_mark_bookings_and_cancellations(
    client, at_now
):
    teacher = ready_teacher()
    ada, ben = StudentFactory(first_name="Ada"), StudentFactory(first_name="Ben")
    week = teacher_week(teacher, [ada, ben])

    html = section(home(client, teacher), "teacher")

    def block(title):
        return re.search(rf"<h3>{title}</h3>(.*?)(?=<h3>|</section>)", html, re.S).group(1)

    today = block("Today")
    assert f"Lesson with {ada.name}" in today
    assert "Conversation club" in today and "1 of 8 seats taken" in today
    assert f"Lesson with {ben.name}" not in today
    assert f"/lessons/{week['week'].pk}/" in block("This week")
    to_mark = block("Attendance to mark")
    assert f"/lessons/{week['unmarked'].pk}/" in to_mark
    assert f"/lessons/{week['marked'].pk}/" not in to_mark
    assert f"/lessons/{week['week'].pk}/" in block("New bookings")
    assert f"/lessons/{week['today'].pk}/" not in block("New bookings")
    assert f"Lesson with {ben.name}" in block("Cancellations")
    courses = block("Your courses")
    assert "Conversation club" in courses and "2 students enrolled" in courses

    Attendance.objects.create(lesson=week["unmarked"], student=ben, status="present")
    html = section(home(client, teacher), "teacher")
    assert "All attendance is marked." in html


def test_a_teacher_with_an_empty_week_is_told_so(client, at_now):
    html = section(home(client, ready_teacher()), "teacher")
    assert "No lessons today." in html and "Nothing booked for the coming days." in html
    assert "All attendance is marked." in html and "No new bookings this week." in html


def test_a_teacher_sees_new_enrolments_in_their_courses(client):
    teacher = ready_teacher()
    course = CourseFactory(owner=teacher, title="Physics", price=20)
    EnrollmentFactory(course=course, student=StudentFactory())
    EnrollmentFactory(course=course, student=StudentFactory(), status="pending")
    html = section(home(client, teacher), "teacher")
    assert "Physics" in html
    assert "1 student enrolled" in html and "1 awaiting payment" in html
    assert "2 new this week" in html


# --- admins -------------------------------------------------------------------------------------------


def test_an_admin_sees_teachers_and_pages_waiting_and_every_admin_area(client):
    admin = AdminFactory()
    waiting = TeacherFactory(first_name="Wanda")
    profile = profile_of(waiting)
    profile.is_public = True
    profile.save()
    editor = UserFactory(first_name="Edna")
    editor.groups.add(Group.objects.get(name=EDITORS))
    page = submit_for_review(editor)

    html = section(home(client, admin), "admin")

    assert "Wanda" in html
    assert f"/admin/snippets/classroom/teacherprofile/approve/{profile.pk}/" in html
    assert "/admin/snippets/classroom/teacherprofile/?status=pending" in html
    assert page.title in html and f"/admin/pages/{page.pk}/edit/" in html
    assert "Edna" in html
    for area in ("content", "review", "teachers", "users", "guardians", "courses", "lessons"):
        assert f'data-area="{area}"' in html
    assert 'data-area="django"' not in html  # Django's admin is for superusers
    # Every area tile opens for this admin (an admin who does not teach has no "Courses I teach").
    for href in re.findall(r'href="([^"]+)" data-area=', html):
        assert client.get(href, follow=True).status_code == 200, href


def test_an_admin_with_nothing_waiting_is_told_so(client):
    html = section(home(client, AdminFactory()), "admin")
    assert "No teacher is waiting for approval." in html
    assert "No page is waiting for review." in html


# --- several roles, none ------------------------------------------------------------------------------


def test_a_person_with_two_roles_sees_the_sections_of_both(client, at_now):
    person = ready_teacher()
    user_add_role(user=person, role=Role.PARENT)
    child = StudentFactory(first_name="Kid")
    link(person, child)
    html = home(client, person)
    assert 'data-home="teacher"' in html and 'data-home="parent"' in html
    assert 'data-home="student"' not in html and 'data-home="admin"' not in html
    assert "Kid" in section(html, "parent")


def test_someone_without_a_role_is_shown_where_to_start(client):
    html = home(client, UserFactory())
    assert "Where to start" in html
    assert 'href="/courses/"' in html and 'href="/teachers/"' in html
    assert "data-home=" not in html


def test_the_spanish_home_names_days_in_spanish(client, at_now):
    student = StudentFactory(language="es", timezone="Europe/Madrid")
    student_week(student, ready_teacher())
    html = home(client, student, "/es/dashboard/")
    assert "lunes, 7 de diciembre" in html
    assert "Clase con Ana García" in html
    assert "para el miércoles, 9 de diciembre" in html
