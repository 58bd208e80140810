"""Reads for teachers and students, each checking who asks."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from authentication.choices import GuardianLinkStatus
from authentication.roles import has_role, is_admin
from authentication.choices import Role
from cplatform.exceptions import NotFound

from .models import Level, StudentProfile, Subject, TeacherProfile, TeachingLanguage


@dataclass(frozen=True)
class TeacherFilters:
    subject: str | None = None  # Subject.slug
    language: str | None = None  # TeachingLanguage.code
    level: str | None = None  # Level.code
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    q: str | None = None
    online: bool | None = None
    in_person: bool | None = None


def _teacher_base() -> QuerySet[TeacherProfile]:
    return TeacherProfile.objects.select_related("user").prefetch_related(
        Prefetch("subjects", queryset=Subject.objects.order_by("name")),
        Prefetch("levels", queryset=Level.objects.order_by("position")),
        Prefetch("languages", queryset=TeachingLanguage.objects.order_by("name")),
    )


def teacher_list_public(*, filters: TeacherFilters | None = None) -> QuerySet[TeacherProfile]:
    """Approved, public teachers of active accounts, filtered; a constant number of queries."""
    f = filters or TeacherFilters()
    qs = _teacher_base().filter(is_public=True, is_approved=True, user__is_active=True)
    if f.subject:
        qs = qs.filter(subjects__slug=f.subject)
    if f.language:
        qs = qs.filter(languages__code=f.language)
    if f.level:
        qs = qs.filter(levels__code=f.level)
    if f.min_price is not None:
        qs = qs.filter(hourly_rate__gte=f.min_price)
    if f.max_price is not None:
        qs = qs.filter(hourly_rate__lte=f.max_price)
    if f.online is not None:
        qs = qs.filter(teaches_online=f.online)
    if f.in_person is not None:
        qs = qs.filter(teaches_in_person=f.in_person)
    if f.q:
        for term in f.q.split()[:8]:
            qs = qs.filter(
                Q(user__first_name__icontains=term)
                | Q(user__last_name__icontains=term)
                | Q(user__display_name__icontains=term)
                | Q(headline__icontains=term)
                | Q(bio__icontains=term)
                | Q(subjects__name__icontains=term)
            )
    if f.subject or f.language or f.level or f.q:
        qs = qs.distinct()
    return qs.order_by("user__first_name", "user__last_name", "pk")


def teacher_get_public(*, slug: str | None = None, teacher_id: int | None = None) -> TeacherProfile:
    qs = teacher_list_public()
    try:
        return qs.get(slug=slug) if slug is not None else qs.get(pk=teacher_id)
    except (TeacherProfile.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc


def teacher_get_for_viewer(*, viewer, slug: str) -> TeacherProfile:
    """Public profile; the teacher and admins may also preview an unlisted one."""
    try:
        profile = _teacher_base().get(slug=slug)
    except TeacherProfile.DoesNotExist as exc:
        raise NotFound() from exc
    if profile.is_listed and profile.user.is_active:
        return profile
    if viewer.is_authenticated and (profile.user_id == viewer.pk or is_admin(viewer)):
        return profile
    raise NotFound()


def filter_options() -> dict:
    return {
        "subjects": list(Subject.objects.order_by("name")),
        "levels": list(Level.objects.order_by("position")),
        "languages": list(TeachingLanguage.objects.order_by("name")),
    }


def student_list_for_user(*, user) -> QuerySet[StudentProfile]:
    """Admins see every student; a teacher sees their own students (none until scheduling exists);
    a parent sees their linked children."""
    qs = StudentProfile.objects.select_related("user", "level").filter(
        user__groups__name=Role.STUDENT, user__is_active=True
    )
    if is_admin(user):
        return qs.order_by("user__email")
    visible = Q(pk__in=[])
    if has_role(user, Role.PARENT):
        visible |= Q(user__guardian_links__guardian=user, user__guardian_links__status=GuardianLinkStatus.ACTIVE)
    if has_role(user, Role.STUDENT):
        visible |= Q(user=user)
    return qs.filter(visible).distinct().order_by("user__email")


def student_get_for_user(*, user, student_id: int) -> StudentProfile:
    """`student_id` is the student's user id."""
    try:
        return student_list_for_user(user=user).get(user_id=student_id)
    except (StudentProfile.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc
