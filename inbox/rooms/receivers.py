"""Course rooms follow enrolment: the courses signals, in the enrolment's own transaction, so the
room's membership commits (or rolls back) with it."""

from django.dispatch import receiver

from courses.signals import course_teachers_changed, enrollment_activated, enrollment_ended

from . import services


@receiver(enrollment_activated, dispatch_uid="inbox.rooms.enrollment_activated")
def join_course_room(sender, enrollment, **kwargs):
    services.course_room_student_add(enrollment=enrollment)


@receiver(enrollment_ended, dispatch_uid="inbox.rooms.enrollment_ended")
def leave_course_room(sender, enrollment, **kwargs):
    services.course_room_student_remove(enrollment=enrollment)


@receiver(course_teachers_changed, dispatch_uid="inbox.rooms.course_teachers_changed")
def course_room_teachers(sender, course, **kwargs):
    """The course's teachers changed: its room (if it has one) gets them at once, and a teacher
    no longer teaching it leaves (their sockets close: the membership row goes)."""
    services.course_room_teachers_changed(course=course)
