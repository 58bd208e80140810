"""A course's teachers changing moves the course room's members at once: through the courses
service (`course_teachers_set`) and through Django's admin form, both announcing
`course_teachers_changed`, which inbox/rooms hears in the same transaction."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from courses.models import Course
from courses.services import course_teachers_set
from courses.signals import course_teachers_changed
from cplatform.exceptions import NotFound, ValidationFailed
from inbox.models import RoomMember, RoomRole
from tests.authentication.factories import AdminFactory, StudentFactory, TeacherFactory
from tests.inbox.factories import course_with_room

pytestmark = pytest.mark.django_db


def members(room) -> dict[int, str]:
    return dict(RoomMember.objects.filter(room=room).values_list("user_id", "role"))


def test_a_co_teacher_added_or_removed_joins_or_leaves_the_course_room_at_once():
    course, room, owner, (ana, _ben) = course_with_room(students=2)
    co = TeacherFactory()
    course_teachers_set(actor=owner, course=course, teacher_ids=[owner.pk, co.pk])
    assert members(room)[co.pk] == RoomRole.TEACHER
    course_teachers_set(actor=owner, course=course, teacher_ids=[owner.pk])
    assert co.pk not in members(room)
    assert members(room)[ana.pk] == RoomRole.STUDENT and members(room)[owner.pk] == RoomRole.TEACHER


def test_a_new_owner_joins_and_the_old_one_leaves_when_no_longer_a_teacher():
    course, room, owner, _students = course_with_room(students=1)
    successor = TeacherFactory()
    course_teachers_set(actor=AdminFactory(), course=course, teacher_ids=[], owner_id=successor.pk)
    course.refresh_from_db()
    assert course.owner_id == successor.pk
    assert set(course.teachers.values_list("pk", flat=True)) == {successor.pk}
    assert members(room).get(successor.pk) == RoomRole.TEACHER and owner.pk not in members(room)


def test_the_change_is_announced_once_and_not_at_all_when_nothing_changes():
    course, _room, owner, _students = course_with_room(students=1)
    heard = []

    def listen(sender, **kwargs):
        heard.append((kwargs["added"], kwargs["removed"]))

    course_teachers_changed.connect(listen)
    try:
        co = TeacherFactory()
        course_teachers_set(actor=owner, course=course, teacher_ids=[owner.pk, co.pk])
        course_teachers_set(actor=owner, course=course, teacher_ids=[owner.pk, co.pk])
    finally:
        course_teachers_changed.disconnect(listen)
    assert heard == [([co.pk], [])]


def test_only_teachers_become_teachers_and_only_its_teachers_or_admins_change_them():
    course, room, owner, (ana, _ben) = course_with_room(students=2)
    before = members(room)
    with pytest.raises(ValidationFailed) as refused:
        course_teachers_set(actor=owner, course=course, teacher_ids=[owner.pk, ana.pk])
    assert "teacher_ids" in refused.value.errors
    for outsider in (TeacherFactory(), StudentFactory(), ana):
        with pytest.raises(NotFound):
            course_teachers_set(actor=outsider, course=course, teacher_ids=[outsider.pk])
    assert members(room) == before


def test_django_admins_course_form_moves_the_room_members_too():
    course, room, owner, _students = course_with_room(students=1)
    co = TeacherFactory()
    admin = AdminFactory(is_superuser=True, is_staff=True)
    model_admin = site._registry[Course]
    request = RequestFactory().post("/")
    request.user = admin
    Form = model_admin.get_form(request, course, change=True)
    data = {
        field: value for field, value in Form(instance=course).initial.items() if value is not None
    }
    data["teachers"] = [owner.pk, co.pk]
    data["translations"] = "{}"
    form = Form(data, instance=course)
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    model_admin.save_related(request, form, formsets=[], change=True)
    assert members(room).get(co.pk) == RoomRole.TEACHER
