"""People and messages for the inbox safety tests: a teacher with an adult student (enrolled in
their course), a minor with consent and their parent, an admin, and direct messages between them
made with postman's own `pm_write` (the dm part's services are not this part's)."""

from __future__ import annotations

from dataclasses import dataclass

from postman.api import pm_write
from postman.models import Message

from tests.authentication.consent import child
from tests.authentication.factories import AdminFactory, StudentFactory, TeacherFactory
from tests.courses.factories import CourseFactory, EnrollmentFactory


def write(sender, recipient, body="Hello", *, subject="Homework", reply_to: Message | None = None):
    """A direct message, accepted at once (as POSTMAN_AUTO_MODERATE_AS does); a reply joins the
    thread of `reply_to`."""
    message = Message.objects.create(
        sender=sender,
        recipient=recipient,
        subject=subject,
        body=body,
        moderation_status="a",
        parent=reply_to,
        thread=(reply_to.thread or reply_to) if reply_to else None,
    )
    if reply_to is not None and reply_to.thread_id is None:
        Message.objects.filter(pk=reply_to.pk).update(thread=reply_to)
    return message


def write_with_postman(sender, recipient, body="Hello", subject="Homework"):
    pm_write(sender=sender, recipient=recipient, subject=subject, body=body)
    return Message.objects.filter(sender=sender, recipient=recipient).latest("pk")


@dataclass
class People:
    teacher: object
    other_teacher: object
    student: object  # an adult, enrolled in the teacher's course
    minor: object  # 12, enrolled in the teacher's course, with a parent's consent
    parent: object  # the minor's guardian
    stranger: object  # a student of another teacher
    admin: object


def people() -> People:
    teacher = TeacherFactory(email="teacher@example.com", first_name="Tess", last_name="Teach")
    other_teacher = TeacherFactory(email="other.teacher@example.com")
    student = StudentFactory(email="student@example.com", first_name="Sam", last_name="Study")
    minor, parent = child(age=12, consent=True, email="minor@example.com", first_name="Mia")
    stranger = StudentFactory(email="stranger@example.com")
    course = CourseFactory(owner=teacher)
    EnrollmentFactory(course=course, student=student)
    EnrollmentFactory(course=course, student=minor)
    EnrollmentFactory(course=CourseFactory(owner=other_teacher), student=stranger)
    return People(
        teacher=teacher,
        other_teacher=other_teacher,
        student=student,
        minor=minor,
        parent=parent,
        stranger=stranger,
        admin=AdminFactory(email="admin@example.com", first_name="Ada", last_name="Min"),
    )
