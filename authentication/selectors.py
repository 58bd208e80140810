"""Reads for people, each checking who asks. A forbidden object answers like a missing one."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cplatform.exceptions import NotFound, PermissionDenied

from .choices import GuardianLinkStatus, Role
from .models import GuardianLink, User
from .roles import has_role, is_admin

CONSENT_AGE = 16
# The codes of the consent gate's refusals (DomainError.code; the API's `code`).
CONSENT_REQUIRED = "guardian_consent_required"
DATE_OF_BIRTH_REQUIRED = "date_of_birth_required"


def user_verified_emails(*, user: User) -> list[str]:
    from allauth.account.models import EmailAddress

    return [
        e.lower()
        for e in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    ]


def guardian_link_list_for_user(*, user: User) -> QuerySet[GuardianLink]:
    """Links where the user is a side, plus pending invitations to one of their verified emails."""
    emails = user_verified_emails(user=user)
    visible = Q(guardian=user) | Q(child=user)
    if emails:
        invited = (
            Q(status=GuardianLinkStatus.PENDING)
            & Q(invited_email__in=emails)
            & ~Q(initiated_by=user)
        )
        visible |= invited
    return (
        GuardianLink.objects.filter(visible)
        .filter(status__in=[GuardianLinkStatus.PENDING, GuardianLinkStatus.ACTIVE])
        .select_related("guardian", "child", "initiated_by", "consent_given_by")
        .order_by("-created_at", "-pk")
    )


def guardian_link_get_for_user(*, user: User, link_id: int) -> GuardianLink:
    try:
        return guardian_link_list_for_user(user=user).get(pk=link_id)
    except (GuardianLink.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc


def guardian_link_visible_to(*, user: User, link: GuardianLink) -> bool:
    """Whether `guardian_link_get_for_user` finds the link for the user (its two sides, and the
    invited person while it is pending): the services that act on a link refuse everyone else as
    if it did not exist."""
    return guardian_link_list_for_user(user=user).filter(pk=link.pk).exists()


def child_ids_of(*, guardian: User) -> QuerySet:
    """The ids of the guardian's actively linked children, as a subquery (`student__in=…`); none
    unless they hold the Parent role (checked inside the same query, as `acts_for_student` does)."""
    return GuardianLink.objects.filter(
        guardian=guardian, status=GuardianLinkStatus.ACTIVE, guardian__groups__name=Role.PARENT
    ).values("child_id")


def children_of(*, guardian: User) -> QuerySet[User]:
    return User.objects.filter(pk__in=child_ids_of(guardian=guardian))


def guardians_of(*, child: User) -> QuerySet[User]:
    return User.objects.filter(
        child_links__child=child, child_links__status=GuardianLinkStatus.ACTIVE
    ).distinct()


def is_guardian_of(*, guardian: User, child_id: int) -> bool:
    return GuardianLink.objects.filter(
        guardian=guardian, child_id=child_id, status=GuardianLinkStatus.ACTIVE
    ).exists()


def acts_for_student(*, user: User, student_id: int | None) -> bool:
    """The student themself, or a parent with an active guardian link to them: who acts on a
    student's own things (their enrolments, their lessons, their progress)."""
    if student_id is None:
        return False
    if user.pk == student_id:
        return True
    return has_role(user, Role.PARENT) and is_guardian_of(guardian=user, child_id=student_id)


def age_on(*, born, today) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def user_age(*, user: User) -> int | None:
    """Age from the student profile's date of birth (classroom owns the profile; read by relation)."""
    profile = getattr(user, "student_profile", None)
    born = getattr(profile, "date_of_birth", None)
    if born is None:
        return None
    return age_on(born=born, today=timezone.localdate())


def guardian_link_locked_for(*, user: User, link: GuardianLink) -> bool:
    """Whether `user` is the child of an active link whose date of birth says under 16: such a
    child may not end the link (the guardian or an admin may), as they may not change that date."""
    if link.status != GuardianLinkStatus.ACTIVE or link.child_id != user.pk:
        return False
    age = user_age(user=user)
    return age is not None and age < CONSENT_AGE


def _consents() -> QuerySet[GuardianLink]:
    """Guardian links that carry a guardian's consent: active, with consent given."""
    return GuardianLink.objects.filter(
        status=GuardianLinkStatus.ACTIVE, consent_given_at__isnull=False
    )


def _has_consent(*, user: User) -> bool:
    return _consents().filter(child=user).exists()


def user_needs_guardian_consent(*, user: User) -> bool:
    """A student whose date of birth says under 16 and who has no linked guardian's consent."""
    return guardian_consent_problem(user=user) == CONSENT_REQUIRED


def user_needs_date_of_birth(*, user: User) -> bool:
    """A student who has not given a date of birth (and has no guardian's consent that would make it
    moot): they give it before their first booking or payment."""
    return guardian_consent_problem(user=user) == DATE_OF_BIRTH_REQUIRED


def guardian_links_asking_consent(*, links, guardian: User) -> bool:
    """Whether any of `links` is an active link of `guardian`'s still waiting for their consent."""
    return any(
        link.status == GuardianLinkStatus.ACTIVE
        and link.guardian_id == guardian.pk
        and not link.consent_given_at
        for link in links
    )


def _consent_problem(*, born, consented: Callable[[], bool]) -> str | None:
    """The gate's rule for a student born on `born` (None: not given); `consented` says whether a
    linked guardian has consented (asked only when the age does not settle it)."""
    age = None if born is None else age_on(born=born, today=timezone.localdate())
    if age is not None and age >= CONSENT_AGE:
        return None
    if consented():
        return None
    return DATE_OF_BIRTH_REQUIRED if age is None else CONSENT_REQUIRED


def guardian_consent_problem(*, user: User) -> str | None:
    """Why `user` may not yet begin contact with teachers (lessons, group sessions, messages) or pay:
    `CONSENT_REQUIRED` (a student under 16 without a linked guardian's consent), `DATE_OF_BIRTH_REQUIRED`
    (a student who gave no date of birth: an empty date is no way around the gate), or None.
    A guardian's consent clears both. People who are not students are never held back."""
    if not has_role(user, Role.STUDENT):
        return None
    profile = getattr(user, "student_profile", None)
    return _consent_problem(
        born=getattr(profile, "date_of_birth", None),
        consented=lambda: _has_consent(user=user),
    )


def students_held_by_consent(*, student_ids: Iterable[int] | QuerySet) -> set[int]:
    """Which of the users (ids, or a queryset of ids) `guardian_consent_problem` holds back: the same
    rule in one query, for services that act on many students at once (seating a course's enrolled
    students in a new session, promoting a waitlist)."""
    rows = (
        User.objects.filter(pk__in=student_ids, groups__name=Role.STUDENT)
        .annotate(consented=Exists(_consents().filter(child=OuterRef("pk"))))
        .values_list("pk", "student_profile__date_of_birth", "consented")
    )
    return {
        pk
        for pk, born, consented in rows
        if _consent_problem(born=born, consented=lambda c=consented: c) is not None
    }


def _acts_as_guardian(*, actor: User, student: User) -> bool:
    """Whether the refusal speaks to `actor` as the student's parent. Callers have checked that a
    parent acts for this child; only someone who is also an admin is asked about the link."""
    if not has_role(actor, Role.PARENT):
        return False
    return not is_admin(actor) or is_guardian_of(guardian=actor, child_id=student.pk)


def guardian_consent_require(*, student: User, actor: User | None) -> None:
    """Raise PermissionDenied (403, with `code`) unless `student` may begin contact or a payment.
    Every service where that begins calls this for the student concerned: booking a lesson or a series,
    taking a group-session seat, enrolling in a course with a teacher or a price, activating a pending
    enrolment (and the inbox, for sender and recipients, once it exists). The message tells whoever
    acts what to do next: the child gives a date of birth or invites a guardian; a parent gives consent
    (one click on Family links); anyone else (an admin, or the system: `actor` None) learns what the
    student is waiting for."""
    problem = guardian_consent_problem(user=student)
    if problem is None:
        return
    if actor is None or actor.pk != student.pk:
        # No name here: whether the actor may act for this student is the caller's check.
        if actor is not None and _acts_as_guardian(actor=actor, student=student):
            message = _(
                "Your child needs your consent before lessons can be booked or paid for. Give it on "
                "your Family links page (one click), then try again."
            )
            raise PermissionDenied(
                message, errors={"guardian_consent": [message]}, code=CONSENT_REQUIRED
            )
        if problem == DATE_OF_BIRTH_REQUIRED:
            message = _(
                "This student has not given a date of birth yet: lessons cannot be booked or paid "
                "for until they add it to their learning profile (or a guardian gives consent)."
            )
            raise PermissionDenied(
                message, errors={"date_of_birth": [message]}, code=DATE_OF_BIRTH_REQUIRED
            )
        message = _(
            "This student is under 16: lessons cannot be booked or paid for until a linked guardian "
            "gives consent on their Family links page."
        )
        raise PermissionDenied(
            message, errors={"guardian_consent": [message]}, code=CONSENT_REQUIRED
        )
    if problem == DATE_OF_BIRTH_REQUIRED:
        message = _(
            "Add your date of birth to your learning profile before you book lessons or pay for a "
            "course."
        )
        raise PermissionDenied(
            message, errors={"date_of_birth": [message]}, code=DATE_OF_BIRTH_REQUIRED
        )
    if GuardianLink.objects.filter(child=student, status=GuardianLinkStatus.ACTIVE).exists():
        message = _(
            "Students under 16 need a guardian's consent to book lessons or pay for a course. Ask "
            "your guardian to give it on their Family links page."
        )
    else:
        message = _(
            "Students under 16 need a guardian's consent to book lessons or pay for a course. "
            "Invite a parent or guardian on your Family links page; they give consent there."
        )
    raise PermissionDenied(message, errors={"guardian_consent": [message]}, code=CONSENT_REQUIRED)


def user_can_use_messaging(*, user: User) -> bool:
    """The inbox asks this for the sender and for every recipient of a direct message or chat room:
    a student held back by `guardian_consent_problem` neither writes to nor is written to by teachers
    or other members until a guardian consents (or, 16 or over, gives their date of birth)."""
    return user.is_authenticated and guardian_consent_problem(user=user) is None


def user_can_use_payments(*, user: User) -> bool:
    """Billing asks this before a checkout for `user` (the student paid for, not the parent paying)."""
    return user.is_authenticated and guardian_consent_problem(user=user) is None


def user_list_for_admin(
    *, actor: User, search: str | None = None, role: str | None = None
) -> QuerySet[User]:
    if not is_admin(actor):
        raise NotFound()
    qs = User.objects.all().prefetch_related("groups").order_by("email")
    if search:
        qs = qs.filter(
            Q(email__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(display_name__icontains=search)
        )
    if role:
        qs = qs.filter(groups__name=role)
    return qs


def user_get_for_admin(*, actor: User, user_id: int) -> User:
    try:
        return user_list_for_admin(actor=actor).get(pk=user_id)
    except (User.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc


def email_address_get_for_user(*, user, email: str):
    """One of `user`'s own email addresses (allauth's EmailAddress), or NotFound: another
    person's address answers like a missing one."""
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(user=user, email__iexact=(email or "")[:254]).first()
    if address is None:
        raise NotFound("No such email address.")
    return address
