"""Course rooms follow enrolment: the courses signals, in the enrolment's own transaction, so the
room's membership commits (or rolls back) with it."""

from django.dispatch import receiver

from courses.signals import enrollment_activated, enrollment_ended

from . import services


@receiver(enrollment_activated, dispatch_uid="inbox.rooms.enrollment_activated")
def join_course_room(sender, enrollment, **kwargs):
    services.course_room_student_add(enrollment=enrollment)


@receiver(enrollment_ended, dispatch_uid="inbox.rooms.enrollment_ended")
def leave_course_room(sender, enrollment, **kwargs):
    services.course_room_student_remove(enrollment=enrollment)
