import pytest

from classroom.progress import selectors, services
from courses.choices import EnrollmentStatus
from courses.models import ModuleCompletion, ProgressNote
from cplatform.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.authentication.factories import ParentFactory, StudentFactory, TeacherFactory
from tests.courses.factories import CourseFactory, EnrollmentFactory, ModuleFactory

from . import scenario
from .factories import (
    GroupSessionFactory,
    LessonFactory,
    LessonSeatFactory,
    ProgressNoteFactory,
    profile_of,
)

pytestmark = pytest.mark.django_db


# --- figures ------------------------------------------------------------------------------------------


def test_progress_counts_planned_and_attended_sessions_absences_modules_and_the_next_lesson(people):
    s = scenario.build(people)
    ModuleCompletion.objects.create(enrollment=s.enrollment, module=s.modules[0])
    e = selectors.progress_get_for_user(user=people.student_a, enrollment_id=s.enrollment.pk)
    # 4 non-cancelled 1:1 lessons of the course + 1 group session with a live seat.
    assert e.sessions_planned == 5
    assert e.sessions_attended == 2  # present, and late at the group session
    assert e.absences == 1
    assert e.excused == 0
    assert (e.modules_completed, e.modules_released) == (1, 3)
    assert e.next_lesson_id == s.next_lesson.pk
    assert e.next_lesson_start == s.next_lesson.start


def test_notes_come_newest_first(people):
    s = scenario.build(people)
    old = ProgressNoteFactory(
        enrollment=s.enrollment, created_at=scenario.hours_from_now(-10), body="old"
    )
    new = ProgressNoteFactory(enrollment=s.enrollment, body="new")
    e = selectors.progress_get_for_user(user=people.parent_of_a, enrollment_id=s.enrollment.pk)
    assert [n.pk for n in e.notes] == [new.pk, old.pk]


def test_progress_list_shows_each_person_what_they_may_see(people):
    s = scenario.build(people)
    other = EnrollmentFactory(student=people.student_b)
    ids = lambda user, **kw: {  # noqa: E731
        e.pk for e in selectors.progress_list_for_user(user=user, **kw)
    }
    assert ids(people.student_a) == {s.enrollment.pk}
    assert ids(people.parent_of_a) == {s.enrollment.pk}
    assert ids(people.teacher) == {s.enrollment.pk}
    assert ids(people.teacher, course_id=other.course_id) == set()
    assert ids(people.other_teacher) == set()
    assert ids(people.student_b) == {other.pk}
    assert ids(people.admin) == {s.enrollment.pk, other.pk}
    EnrollmentFactory(student=people.student_a, status=EnrollmentStatus.WITHDRAWN)
    assert len(ids(people.student_a)) == 1
    assert len(ids(people.student_a, include_ended=True)) == 2


def test_an_enrolment_someone_may_not_see_is_not_found(people):
    s = scenario.build(people)
    for user in (people.student_b, people.other_teacher):
        with pytest.raises(NotFound):
            selectors.progress_get_for_user(user=user, enrollment_id=s.enrollment.pk)
    with pytest.raises(NotFound):
        selectors.progress_get_for_user(user=people.student_a, enrollment_id="x")


# --- modules ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["student_a", "parent_of_a", "teacher", "admin"])
def test_the_student_a_parent_or_a_teacher_marks_a_module_done_once(people, who):
    s = scenario.build(people)
    actor = getattr(people, who)
    first = services.module_complete(actor=actor, enrollment=s.enrollment, module=s.modules[1])
    again = services.module_complete(actor=actor, enrollment=s.enrollment, module=s.modules[1])
    assert first.pk == again.pk and first.marked_by == actor
    assert ModuleCompletion.objects.filter(enrollment=s.enrollment).count() == 1
    services.module_uncomplete(actor=actor, enrollment=s.enrollment, module=s.modules[1])
    services.module_uncomplete(actor=actor, enrollment=s.enrollment, module=s.modules[1])
    assert not ModuleCompletion.objects.filter(enrollment=s.enrollment).exists()


@pytest.mark.parametrize("who", ["student_b", "other_teacher"])
def test_others_cannot_mark_a_module(people, who):
    s = scenario.build(people)
    with pytest.raises(NotFound):  # they may not see the enrolment
        services.module_complete(
            actor=getattr(people, who), enrollment=s.enrollment, module=s.modules[0]
        )
    assert not ModuleCompletion.objects.exists()


def test_another_parent_cannot_mark_a_module(people):
    s = scenario.build(people)
    with pytest.raises(NotFound):
        services.module_complete(
            actor=ParentFactory(), enrollment=s.enrollment, module=s.modules[0]
        )


def test_only_released_modules_of_the_course_can_be_marked(people):
    s = scenario.build(people)
    with pytest.raises(ValidationFailed) as exc:
        services.module_complete(
            actor=people.student_a, enrollment=s.enrollment, module=s.unreleased
        )
    assert "module" in exc.value.errors
    elsewhere = ModuleFactory()
    with pytest.raises(ValidationFailed):
        services.module_complete(actor=people.student_a, enrollment=s.enrollment, module=elsewhere)
    with pytest.raises(NotFound):
        selectors.module_get_for_enrollment(enrollment=s.enrollment, module_id=elsewhere.pk)
    assert not ModuleCompletion.objects.exists()


@pytest.mark.parametrize("status", ["withdrawn", "removed", "pending", "waitlisted"])
def test_only_an_active_enrolment_records_modules(people, status):
    s = scenario.build(people)
    s.enrollment.status = status
    s.enrollment.save()
    with pytest.raises(Conflict):
        services.module_complete(
            actor=people.student_a, enrollment=s.enrollment, module=s.modules[0]
        )


def test_a_completion_of_a_module_later_unreleased_is_not_counted(people):
    s = scenario.build(people)
    services.module_complete(actor=people.student_a, enrollment=s.enrollment, module=s.modules[0])
    s.modules[0].release_at = scenario.hours_from_now(24)
    s.modules[0].save()
    e = selectors.progress_get_for_user(user=people.student_a, enrollment_id=s.enrollment.pk)
    assert (e.modules_completed, e.modules_released) == (0, 2)


# --- notes --------------------------------------------------------------------------------------------


def test_a_teacher_of_the_course_writes_a_note_the_student_and_parent_read(people):
    s = scenario.build(people)
    note = services.progress_note_add(
        actor=people.teacher, enrollment=s.enrollment, body="  Solid on fractions.  "
    )
    assert note.body == "Solid on fractions." and note.author == people.teacher
    for reader in (people.student_a, people.parent_of_a):
        e = selectors.progress_get_for_user(user=reader, enrollment_id=s.enrollment.pk)
        assert [n.body for n in e.notes] == ["Solid on fractions."]


def test_a_co_teacher_and_an_admin_write_notes_but_students_and_parents_do_not(people):
    co = TeacherFactory()
    s = scenario.build(people)
    s.course.teachers.add(co)
    services.progress_note_add(actor=co, enrollment=s.enrollment, body="Co-teacher")
    services.progress_note_add(actor=people.admin, enrollment=s.enrollment, body="Admin")
    for actor in (people.student_a, people.parent_of_a):  # they read the notes, do not write them
        with pytest.raises(PermissionDenied):
            services.progress_note_add(actor=actor, enrollment=s.enrollment, body="Hi")
    with pytest.raises(NotFound):  # not their course: the enrolment does not exist for them
        services.progress_note_add(actor=people.other_teacher, enrollment=s.enrollment, body="Hi")
    assert ProgressNote.objects.count() == 2


@pytest.mark.parametrize("body", ["", "   ", "\x00", "x" * 5001])
def test_an_empty_or_too_long_note_is_refused(people, body):
    s = scenario.build(people)
    with pytest.raises(ValidationFailed) as exc:
        services.progress_note_add(actor=people.teacher, enrollment=s.enrollment, body=body)
    assert "body" in exc.value.errors
    assert not ProgressNote.objects.exists()


def test_a_note_of_5000_characters_is_fine(people):
    s = scenario.build(people)
    note = services.progress_note_add(
        actor=people.teacher, enrollment=s.enrollment, body="x" * 5000
    )
    assert len(note.body) == 5000


def test_its_author_or_an_admin_deletes_a_note(people):
    co = TeacherFactory()
    s = scenario.build(people)
    s.course.teachers.add(co)
    note = ProgressNoteFactory(enrollment=s.enrollment, author=people.teacher)
    with pytest.raises(PermissionDenied):
        services.progress_note_delete(actor=co, note=note)
    with pytest.raises(PermissionDenied):
        services.progress_note_delete(actor=people.student_a, note=note)
    services.progress_note_delete(actor=people.teacher, note=note)
    other = ProgressNoteFactory(enrollment=s.enrollment, author=co)
    services.progress_note_delete(actor=people.admin, note=other)
    assert not ProgressNote.objects.exists()


def test_a_note_on_an_enrolment_someone_may_not_see_is_not_found(people):
    s = scenario.build(people)
    note = ProgressNoteFactory(enrollment=s.enrollment)
    for user in (people.student_b, people.other_teacher, ParentFactory()):
        with pytest.raises(NotFound):
            selectors.note_get_for_user(user=user, note_id=note.pk)
    assert selectors.note_get_for_user(user=people.parent_of_a, note_id=note.pk) == note


# --- history and students -----------------------------------------------------------------------------


def test_lesson_history_is_newest_first_with_attendance_notes_and_homework(people):
    s = scenario.build(people)
    a = people.student_a
    past = list(selectors.lesson_history_for_student(user=a, student=a, when="past"))
    starts = [lesson.start for lesson in past]
    assert starts == sorted(starts, reverse=True)
    # Own 1:1 lessons (cancelled included: it happened to them) and the group session with a live
    # seat; not the session whose seat was cancelled, nor student B's lesson.
    assert len(past) == 5
    by_note = {lesson.notes: lesson for lesson in past}
    fractions = by_note["Worked on fractions."]
    assert fractions.attendance_status == "present" and fractions.homework == "Exercises 1-5"
    late = [lesson for lesson in past if lesson.kind == "group"]
    assert [lesson.attendance_status for lesson in late] == ["late"]
    upcoming = list(selectors.lesson_history_for_student(user=a, student=a, when="upcoming"))
    assert [lesson.pk for lesson in upcoming][0] == s.next_lesson.pk
    assert len(upcoming) == 2


def test_a_teacher_sees_only_the_lessons_they_teach_in_a_students_history(people):
    scenario.build(people)
    a = people.student_a
    LessonFactory(student=a, start=scenario.hours_from_now(-300))  # with another teacher
    mine = selectors.lesson_history_for_student(user=people.teacher, student=a, when="past")
    assert {lesson.teacher.user_id for lesson in mine} == {people.teacher.pk}
    assert len(selectors.lesson_history_for_student(user=a, student=a, when="past")) == 6


def test_who_may_see_a_student(people):
    scenario.build(people)
    a = people.student_a
    for viewer in (a, people.parent_of_a, people.teacher, people.admin):
        assert selectors.student_get_for_viewer(user=viewer, student_id=a.pk) == a
    for viewer in (people.student_b, people.other_teacher, ParentFactory()):
        with pytest.raises(NotFound):
            selectors.student_get_for_viewer(user=viewer, student_id=a.pk)
    with pytest.raises(NotFound):
        selectors.student_get_for_viewer(user=people.admin, student_id=987654321)


def test_my_students_are_those_with_a_lesson_a_seat_or_an_enrolment(people):
    teacher = people.other_teacher
    by_lesson, by_seat, by_enrolment, stranger = (StudentFactory() for _ in range(4))
    LessonFactory(teacher=profile_of(teacher), student=by_lesson, start=scenario.hours_from_now(-5))
    LessonFactory(teacher=profile_of(teacher), student=by_lesson, start=scenario.hours_from_now(5))
    course = CourseFactory(owner=teacher)
    LessonSeatFactory(lesson=GroupSessionFactory(course=course), student=by_seat)
    EnrollmentFactory(course=course, student=by_enrolment, status=EnrollmentStatus.WITHDRAWN)
    LessonFactory(student=stranger)
    students = {u.pk: u for u in selectors.student_list_for_teacher(teacher=teacher)}
    assert set(students) == {by_lesson.pk, by_seat.pk, by_enrolment.pk}
    assert students[by_lesson.pk].lessons_taken == 1
    assert students[by_lesson.pk].next_lesson_start is not None
    assert students[by_enrolment.pk].enrollments_count == 1
    assert not selectors.student_list_for_teacher(teacher=people.student_a).exists()


def test_a_parents_children_each_get_their_next_lessons(people):
    a, b = people.student_a, StudentFactory()
    from authentication.services import guardian_accept, guardian_invite

    guardian_accept(
        link=guardian_invite(actor=people.parent_of_a, email=b.email, as_role="child"), actor=b
    )
    for h in range(8):
        LessonFactory(student=a, start=scenario.hours_from_now(10 + 2 * h))
    seat = LessonSeatFactory(student=b, lesson__start=scenario.hours_from_now(50))
    LessonFactory(student=b, start=scenario.hours_from_now(-5))  # past
    LessonFactory(student=b, start=scenario.hours_from_now(7), status="cancelled")
    result = selectors.upcoming_by_student(students=[a, b], per_student=5)
    assert len(result[a.pk]) == 5
    assert [lesson.pk for lesson in result[b.pk]] == [seat.lesson_id]


def test_the_students_api_lists_a_teachers_students_too(people):
    from classroom.selectors import student_list_for_user

    scenario.build(people)
    listed = {p.user_id for p in student_list_for_user(user=people.teacher)}
    assert listed == {people.student_a.pk, people.student_b.pk}
    assert not student_list_for_user(user=people.other_teacher).exists()
