"""Reads for people, each checking who asks. A forbidden object answers like a missing one."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from cplatform.exceptions import NotFound

from .choices import GuardianLinkStatus, Role
from .models import GuardianLink, User
from .roles import has_role, is_admin

CONSENT_AGE = 16


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


def children_of(*, guardian: User) -> QuerySet[User]:
    return User.objects.filter(
        guardian_links__guardian=guardian, guardian_links__status=GuardianLinkStatus.ACTIVE
    ).distinct()


def guardians_of(*, child: User) -> QuerySet[User]:
    return User.objects.filter(
        child_links__child=child, child_links__status=GuardianLinkStatus.ACTIVE
    ).distinct()


def is_guardian_of(*, guardian: User, child_id: int) -> bool:
    return GuardianLink.objects.filter(
        guardian=guardian, child_id=child_id, status=GuardianLinkStatus.ACTIVE
    ).exists()


def user_age(*, user: User) -> int | None:
    """Age from the student profile's date of birth (classroom owns the profile; read by relation)."""
    profile = getattr(user, "student_profile", None)
    born = getattr(profile, "date_of_birth", None)
    if born is None:
        return None
    today = timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def user_needs_guardian_consent(*, user: User) -> bool:
    """A student under 16 needs a linked guardian's consent before messaging or payments."""
    if not has_role(user, Role.STUDENT):
        return False
    age = user_age(user=user)
    if age is None or age >= CONSENT_AGE:
        return False
    return not GuardianLink.objects.filter(
        child=user, status=GuardianLinkStatus.ACTIVE, consent_given_at__isnull=False
    ).exists()


def user_can_use_messaging(*, user: User) -> bool:
    return user.is_authenticated and not user_needs_guardian_consent(user=user)


def user_can_use_payments(*, user: User) -> bool:
    return user.is_authenticated and not user_needs_guardian_consent(user=user)


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
