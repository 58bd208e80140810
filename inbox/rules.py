"""Who may write to whom, and who may read a thread: the one rule of the inbox's pages, its API and
postman's exchange filter (`POSTMAN_EXCHANGE_FILTER`).

- a student and their teachers (a lesson, a seat in a group session or an enrolment links them);
- a parent and their children's teachers;
- teachers among themselves;
- admins and anyone;
- nobody else. A student whom `user_can_use_messaging` holds back (under 16 without a guardian's
  consent) neither writes nor is written to, and a block (`UserBlock`, either way) stops messages
  between two people; admins are never blocked.
- a person whose messaging an admin suspended (`MessagingSuspension`) writes to admins only.

Threads between a teacher and a student under 16 are also readable by the student's guardians
(`message_visibility`); both sides are told so on the thread.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from authentication.choices import GuardianLinkStatus, Role
from authentication.roles import has_role, is_admin
from authentication.selectors import (
    CONSENT_AGE,
    children_of,
    students_held_by_consent,
    user_age,
    user_can_use_messaging,
)
from classroom.selectors import my_students, teachers_of

from .models import MessagingSuspension, Room, UserBlock

User = get_user_model()

# The code of a refused recipient: the same for one who does not exist, so nobody can probe who does.
RECIPIENT_NOT_ALLOWED = "recipient_not_allowed"


def _admin_ids() -> QuerySet:
    return User.objects.filter(Q(is_superuser=True) | Q(groups__name=Role.ADMIN)).values("pk")


def message_partners_for(user) -> QuerySet[User]:
    """Everyone `user` may write to, as a queryset of users (ordering left to the caller)."""
    if not user.is_authenticated or not user.is_active or not user_can_use_messaging(user=user):
        return User.objects.none()
    # Admins may write to anyone; everyone may write to the admins.
    allowed = Q(pk__isnull=False) if is_admin(user) else Q(pk__in=_admin_ids())
    if not is_admin(user) and MessagingSuspension.objects.current().filter(user=user).exists():
        # A suspended person may write to the admins only.
        return User.objects.filter(allowed, is_active=True).exclude(pk=user.pk)
    if has_role(user, Role.TEACHER):
        students = my_students(user).values("pk")
        allowed |= (
            Q(groups__name=Role.TEACHER) | Q(pk__in=students) | Q(pk__in=_guardian_ids_of(students))
        )
    if has_role(user, Role.STUDENT):
        allowed |= Q(pk__in=teachers_of([user.pk]).values("pk"))
    if has_role(user, Role.PARENT):
        allowed |= Q(pk__in=teachers_of(children_of(guardian=user).values("pk")).values("pk"))
    blocked = UserBlock.objects.filter(blocker=user).values("blocked")
    blocked_by = UserBlock.objects.filter(blocked=user).values("blocker")
    candidates = User.objects.filter(allowed, is_active=True).exclude(pk=user.pk)
    if not is_admin(user):
        # A block works both ways, between people of whom neither is an admin.
        candidates = candidates.exclude(
            Q(pk__in=blocked) | Q(pk__in=blocked_by), ~Q(pk__in=_admin_ids())
        )
    held = students_held_by_consent(student_ids=candidates.values("pk"))
    return User.objects.filter(pk__in=candidates.values("pk")).exclude(pk__in=held)


def _guardian_ids_of(student_ids) -> QuerySet:
    """Parents actively linked to one of the students (a subquery)."""
    return User.objects.filter(
        groups__name=Role.PARENT,
        child_links__child__in=student_ids,
        child_links__status=GuardianLinkStatus.ACTIVE,
    ).values("pk")


def may_write(sender, recipient) -> bool:
    """Whether `sender` may send a direct message to `recipient`."""
    if recipient is None or sender.pk == getattr(recipient, "pk", None):
        return False
    return message_partners_for(sender).filter(pk=recipient.pk).exists()


def exchange_filter(sender, recipient, recipients_list):
    """postman's POSTMAN_EXCHANGE_FILTER: None lets the message through; a string refuses it (postman
    shows it on its form). The same words for a refused and an unknown recipient."""
    from django.utils.translation import gettext as _

    if may_write(sender, recipient):
        return None
    return _("You cannot write to this person.")


def minors_in_care_of(guardian) -> list[int]:
    """Ids of the guardian's linked children under CONSENT_AGE (whose teacher threads they read)."""
    return [
        child.pk
        for child in children_of(guardian=guardian).select_related("student_profile")
        if (age := user_age(user=child)) is not None and age < CONSENT_AGE
    ]


def is_minor(user) -> bool:
    age = user_age(user=user)
    return age is not None and age < CONSENT_AGE


def message_visibility(user) -> Q:
    """A filter on postman `Message` rows `user` may read: their own (sent or received), and for a
    guardian the threads between their children under 16 and those children's teachers."""
    own = Q(sender=user) | Q(recipient=user)
    minors = minors_in_care_of(user) if has_role(user, Role.PARENT) else []
    if not minors:
        return own
    teachers = User.objects.filter(groups__name=Role.TEACHER).values("pk")
    return (
        own
        | Q(sender__in=minors, recipient__in=teachers)
        | Q(recipient__in=minors, sender__in=teachers)
    )


def rooms_readable_by(user) -> QuerySet[Room]:
    """The one rule of who reads a chat room (its pages, API, attachments and WebSocket consumers
    alike): its members; an active admin every room (they moderate rooms they are not in). Anyone
    else, and anonymous, none."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Room.objects.none()
    if is_admin(user):
        return Room.objects.all()
    # A join, not `pk__in`: the unread counts correlated with these rooms keep their index plan
    # (tests/inbox/test_rooms_unread_plan.py). One membership per person and room: no duplicates.
    return Room.objects.filter(memberships__user=user)
