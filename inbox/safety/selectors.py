"""Reads of the inbox's safety part: blocks, reports (the reporter's and the moderation queue),
who may report a message, why a student may not message yet, and a guardian's view of their
children's threads with teachers. Every fetch that depends on who asks checks it here (404 for a
forbidden object, like a missing one)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from postman.models import STATUS_ACCEPTED, Message

from authentication.choices import GuardianLinkStatus, Role
from authentication.models import GuardianLink
from authentication.roles import has_role, is_admin
from authentication.selectors import CONSENT_REQUIRED, guardian_consent_problem
from cplatform.exceptions import NotFound, ValidationFailed

from ..models import UserBlock
from ..rules import is_minor, message_partners_for, message_visibility, minors_in_care_of
from .models import MessageReport, MessagingSuspension, ReportStatus

User = get_user_model()


# --- blocks ----------------------------------------------------------------------------------------


def block_list_for_user(*, user) -> QuerySet[UserBlock]:
    """The people `user` blocked, newest first."""
    return (
        UserBlock.objects.filter(blocker=user)
        .select_related("blocked")
        .order_by("-created_at", "-pk")
    )


def block_get_for_user(*, user, block_id: int) -> UserBlock:
    block = block_list_for_user(user=user).filter(pk=block_id).first()
    if block is None:
        raise NotFound
    return block


def blockable_user_get(*, actor, user_id: int):
    """The person `actor` names to block: someone they may see in the inbox (a person they may write
    to, one they exchanged a message with, or one they already blocked). Anyone else is 404, like
    an unknown id, so nobody can probe who exists."""
    target = User.objects.filter(pk=user_id, is_active=True).exclude(pk=actor.pk).first()
    if target is None:
        raise NotFound
    exchanged = Message.objects.filter(
        Q(sender=actor, recipient=target) | Q(sender=target, recipient=actor)
    ).exists()
    if (
        exchanged
        or UserBlock.objects.filter(blocker=actor, blocked=target).exists()
        or message_partners_for(actor).filter(pk=target.pk).exists()
    ):
        return target
    raise NotFound


ADMIN_CANNOT_BLOCK = "admin_cannot_block"


def user_block_check(*, actor, target) -> None:
    """Why `actor` may not block `target`, raised (the block page asks it before offering to
    block): an admin does not block (they may write to anyone, and a block of theirs would stop
    nothing), and nobody blocks an admin."""
    if is_admin(actor):
        raise ValidationFailed(
            _(
                "Admins do not block people: you may write to anyone, and a report's actions "
                "(block for the reporter, suspend) are how you stop someone."
            ),
            errors={"user_id": [_("Admins do not block people.")]},
            code=ADMIN_CANNOT_BLOCK,
        )
    if is_admin(target):
        raise ValidationFailed(
            _("Admins cannot be blocked: they answer reports and keep everyone safe."),
            errors={"user_id": [_("Admins cannot be blocked.")]},
            code="admin_not_blockable",
        )


def user_is_blocked_by(*, user, blocker) -> bool:
    return UserBlock.objects.filter(blocker=blocker, blocked=user).exists()


# --- reports ---------------------------------------------------------------------------------------


def message_get_for_reporter(*, user, message_id: int) -> Message:
    """A message `user` may report: one they may read (received, or a guardian's view of a child's
    thread) and did not send. Others are 404."""
    if not user.is_authenticated:
        raise NotFound
    message = (
        Message.objects.filter(message_visibility(user), pk=message_id)
        .filter(moderation_status=STATUS_ACCEPTED)
        .exclude(sender=user)
        .select_related("sender", "recipient")
        .first()
    )
    if message is None:
        raise NotFound
    return message


def _reports() -> QuerySet[MessageReport]:
    return MessageReport.objects.select_related(
        "reporter", "handled_by", "message__sender", "message__recipient"
    )


def report_list_for_user(*, user, status: str | None = None) -> QuerySet[MessageReport]:
    """The caller's own reports; an admin's are every report (the moderation queue)."""
    reports = _reports() if is_admin(user) else _reports().filter(reporter=user)
    if status:
        reports = reports.filter(status=status)
    return reports.order_by("-created_at", "-pk")


def report_get_for_user(*, user, report_id: int) -> MessageReport:
    report = report_list_for_user(user=user).filter(pk=report_id).first()
    if report is None:
        raise NotFound
    return report


def report_get_for_admin(*, actor, report_id: int) -> MessageReport:
    if not is_admin(actor):
        raise NotFound
    return report_get_for_user(user=actor, report_id=report_id)


def report_queue_counts() -> dict[str, int]:
    """How many reports are in each status (one query)."""
    counts = dict.fromkeys(ReportStatus.values, 0)
    for row in MessageReport.objects.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def thread_messages(*, message: Message) -> QuerySet[Message]:
    """Every message of the thread `message` belongs to, oldest first (postman's `thread` is the
    first message of a thread; a message nobody answered has none)."""
    root = message.thread_id or message.pk
    return (
        Message.objects.filter(Q(pk=root) | Q(thread_id=root))
        .select_related("sender", "recipient")
        .order_by("sent_at", "pk")
    )


def messaging_suspended(*, user) -> bool:
    return MessagingSuspension.objects.current().filter(user=user).exists()


def suspension_list_for_admin(*, actor) -> QuerySet[MessagingSuspension]:
    """The current messaging suspensions, newest first, with who is suspended, who suspended them
    and the report behind it (one query); nothing for anyone but an admin."""
    if not is_admin(actor):
        return MessagingSuspension.objects.none()
    return (
        MessagingSuspension.objects.current()
        .select_related("user", "created_by", "report")
        .order_by("-created_at", "-pk")
    )


def suspension_get_for_admin(*, actor, suspension_id: int) -> MessagingSuspension:
    suspension = suspension_list_for_admin(actor=actor).filter(pk=suspension_id).first()
    if suspension is None:
        raise NotFound
    return suspension


# --- safeguarding minors ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MessagingHold:
    """Why `user` may not message yet, for the inbox's consent notice."""

    code: str  # CONSENT_REQUIRED or DATE_OF_BIRTH_REQUIRED (authentication.selectors)
    needs_consent: bool


def messaging_hold_for(*, user) -> MessagingHold | None:
    """None when `user` may message (as far as consent goes); else why not. The dm pages show it
    with templates/inbox/includes/consent_notice.html (context variable `messaging_hold`)."""
    if not user.is_authenticated:
        return None
    problem = guardian_consent_problem(user=user)
    if problem is None:
        return None
    return MessagingHold(code=problem, needs_consent=problem == CONSENT_REQUIRED)


def _teachers() -> QuerySet:
    return User.objects.filter(groups__name=Role.TEACHER).values("pk")


def _children_teacher_messages(*, guardian) -> QuerySet[Message]:
    """The messages a guardian reads as guardian: between a child under 16 and a teacher."""
    minors = minors_in_care_of(guardian) if has_role(guardian, Role.PARENT) else []
    if not minors:
        return Message.objects.none()
    return Message.objects.filter(
        Q(sender__in=minors, recipient__in=_teachers())
        | Q(recipient__in=minors, sender__in=_teachers()),
        moderation_status=STATUS_ACCEPTED,
    ).filter(message_visibility(guardian))


@dataclass(frozen=True)
class ChildThread:
    thread_id: int
    child: object
    teacher: object
    subject: str
    last_sent_at: object
    count: int


def guardian_thread_list(*, guardian) -> list[ChildThread]:
    """The threads between the guardian's children under 16 and their teachers, latest first (two
    queries, whatever the number of threads)."""
    messages = _children_teacher_messages(guardian=guardian).annotate(
        root=Coalesce("thread_id", "pk")
    )
    per_thread = {
        row["root"]: row
        for row in messages.order_by().values("root").annotate(last=Max("sent_at"), n=Count("pk"))
    }
    if not per_thread:
        return []
    minors = set(minors_in_care_of(guardian))
    roots = Message.objects.filter(pk__in=per_thread).select_related("sender", "recipient")
    threads = []
    for root in roots:
        child, teacher = (
            (root.sender, root.recipient)
            if root.sender_id in minors
            else (root.recipient, root.sender)
        )
        row = per_thread[root.pk]
        threads.append(
            ChildThread(
                thread_id=root.pk,
                child=child,
                teacher=teacher,
                subject=root.subject,
                last_sent_at=row["last"],
                count=row["n"],
            )
        )
    return sorted(threads, key=lambda t: (t.last_sent_at, t.thread_id), reverse=True)


def guardian_thread_get(*, guardian, thread_id: int) -> list[Message]:
    """A thread of a child under 16 with a teacher, for their guardian (read-only); else 404."""
    root = (
        _children_teacher_messages(guardian=guardian)
        .filter(Q(thread__isnull=True) | Q(thread_id=F("pk")), pk=thread_id)
        .first()
    )
    if root is None:
        raise NotFound
    return list(
        _children_teacher_messages(guardian=guardian)
        .filter(Q(pk=root.pk) | Q(thread_id=root.pk))
        .select_related("sender", "recipient")
        .order_by("sent_at", "pk")
    )


def thread_has_guardian_readers(*, message: Message) -> bool:
    """Whether the thread of `message` is one a student's guardians read (a teacher and a student
    under 16): the teacher is told on the thread (templates/inbox/includes/guardian_notice.html)."""
    people = [message.sender, message.recipient]
    teachers = [p for p in people if p is not None and has_role(p, Role.TEACHER)]
    students = [p for p in people if p is not None and has_role(p, Role.STUDENT) and is_minor(p)]
    if not teachers or not students:
        return False
    return any(_has_active_guardian(s) for s in students)


def _has_active_guardian(student) -> bool:
    return GuardianLink.objects.filter(child=student, status=GuardianLinkStatus.ACTIVE).exists()
