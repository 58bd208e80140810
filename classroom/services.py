"""Writes for teacher and student profiles."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cplatform.exceptions import ValidationFailed

from .models import Level, StudentProfile, Subject, TeacherProfile, TeachingLanguage

TEACHER_FIELDS = (
    "headline", "bio", "translations", "hourly_rate", "currency", "teaches_online", "teaches_in_person",
    "location", "teaching_preferences", "is_public",
)
STUDENT_FIELDS = ("date_of_birth", "learning_goals")


def teacher_profile_ensure(*, user) -> TeacherProfile:
    profile, _created = TeacherProfile.objects.get_or_create(user=user)
    return profile


def student_profile_ensure(*, user) -> StudentProfile:
    profile, _created = StudentProfile.objects.get_or_create(user=user)
    return profile


def _lookup(model, field: str, values: list[str], error_field: str):
    found = list(model.objects.filter(**{f"{field}__in": values}))
    missing = set(values) - {getattr(obj, field) for obj in found}
    if missing:
        raise ValidationFailed(errors={error_field: [_("Unknown: %s") % ", ".join(sorted(missing))]})
    return found


def teacher_profile_update(*, user, data: dict, replace: bool = False) -> TeacherProfile:
    """Update a teacher's own profile. `is_approved` is never taken from here (admins only)."""
    errors: dict[str, list[str]] = {}
    translations = data.get("translations")
    if translations is not None:
        if not isinstance(translations, dict) or not all(
            isinstance(v, dict) and set(v) <= {"headline", "bio"} for v in translations.values()
        ):
            errors["translations"] = [_('Use {"es": {"headline": "…", "bio": "…"}}.')]
    if data.get("teaches_in_person") and not (data.get("location") or "").strip():
        existing = TeacherProfile.objects.filter(user=user).values_list("location", flat=True).first()
        if "location" in data or not existing:
            errors["location"] = [_("Say where in-person lessons happen.")]
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        profile = TeacherProfile.objects.select_for_update().get(pk=teacher_profile_ensure(user=user).pk)
        changed = []
        for field in TEACHER_FIELDS:
            if field in data and (data[field] is not None or replace):
                value = data[field]
                if value is None and field in ("headline", "bio", "location", "teaching_preferences"):
                    value = ""
                if value is None and field == "translations":
                    value = {}
                setattr(profile, field, value)
                changed.append(field)
        profile.full_clean(exclude=["user", "slug"])
        profile.save()
        if "subjects" in data and data["subjects"] is not None:
            profile.subjects.set(_lookup(Subject, "slug", data["subjects"], "subjects"))
        if "levels" in data and data["levels"] is not None:
            profile.levels.set(_lookup(Level, "code", data["levels"], "levels"))
        if "languages" in data and data["languages"] is not None:
            profile.languages.set(_lookup(TeachingLanguage, "code", data["languages"], "languages"))
    return profile


def teacher_profile_approve(*, profile: TeacherProfile, approved: bool = True) -> TeacherProfile:
    profile.is_approved = approved
    profile.approved_at = timezone.now() if approved else None
    profile.save(update_fields=["is_approved", "approved_at", "updated_at"])
    return profile


def student_profile_update(*, user, data: dict) -> StudentProfile:
    with transaction.atomic():
        profile = StudentProfile.objects.select_for_update().get(pk=student_profile_ensure(user=user).pk)
        for field in STUDENT_FIELDS:
            if field in data:
                setattr(profile, field, data[field] if data[field] is not None or field == "date_of_birth" else "")
        if "level" in data:
            profile.level = _lookup(Level, "code", [data["level"]], "level")[0] if data["level"] else None
        if profile.date_of_birth and profile.date_of_birth > timezone.localdate():
            raise ValidationFailed(errors={"date_of_birth": [_("The date of birth cannot be in the future.")]})
        profile.save()
    return profile
