"""Writes for teacher and student profiles. The web pages, the API, the Wagtail admin and the demo data
all come through here."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from authentication.roles import is_admin
from authentication.selectors import acts_for_student
from catalog.models import Level, Subject, TeachingLanguage
from cplatform.exceptions import NotFound, PermissionDenied, ValidationFailed, refused

from .models import TRANSLATABLE_FIELDS, StudentProfile, TeacherProfile
from .selectors import _listed, student_list_for_user

# What a teacher may change on their own profile. `is_approved`, `approved_*`, `user` and `slug` are not here:
# whatever a payload carries for them is ignored.
TEACHER_FIELDS = (
    "headline",
    "bio",
    "translations",
    "hourly_rate",
    "currency",
    "teaches_online",
    "teaches_in_person",
    "location",
    "teaching_preferences",
    "is_public",
)
TEACHER_TEXT_FIELDS = ("headline", "bio", "location", "teaching_preferences")
TEACHER_LOOKUPS = {
    "subjects": (Subject, "slug"),
    "levels": (Level, "code"),
    "languages": (TeachingLanguage, "code"),
}


def teacher_profile_ensure(*, user) -> TeacherProfile:
    profile, _created = TeacherProfile.objects.get_or_create(user=user)
    return profile


def student_profile_ensure(*, user) -> StudentProfile:
    profile, _created = StudentProfile.objects.get_or_create(user=user)
    return profile


def _nul_errors(data: dict) -> dict[str, list[str]]:
    """PostgreSQL refuses text with NUL characters; say so per field instead of failing on save."""

    def has_nul(value) -> bool:
        if isinstance(value, str):
            return "\x00" in value
        if isinstance(value, dict):
            return any(has_nul(k) or has_nul(v) for k, v in value.items())
        if isinstance(value, list | tuple):
            return any(has_nul(v) for v in value)
        return False

    return {
        field: [_("Null characters are not allowed.")]
        for field, value in data.items()
        if has_nul(value)
    }


def _lookup(model, field: str, values, error_field: str) -> list:
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise ValidationFailed(errors={error_field: [_("Give a list of codes.")]})
    found = list(model.objects.filter(**{f"{field}__in": values}))
    missing = set(values) - {getattr(obj, field) for obj in found}
    if missing:
        raise ValidationFailed(
            errors={error_field: [_("Unknown: %s") % ", ".join(sorted(missing))]}
        )
    return found


def _clean_translations(value) -> dict:
    """Drop empty texts and languages, so `{"es": {"headline": ""}}` means "no Spanish headline"."""
    if not isinstance(value, dict):
        return value
    cleaned = {}
    for lang, fields in value.items():
        if not isinstance(fields, dict):
            cleaned[lang] = fields
            continue
        kept = {}
        for key, text in fields.items():
            text = text.strip() if isinstance(text, str) else text
            if text not in (None, ""):
                kept[key] = text
        if kept:
            cleaned[lang] = kept
    return cleaned


def _raise_validation(exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        raise ValidationFailed(
            errors={f: [m for e in errs for m in e.messages] for f, errs in exc.error_dict.items()}
        )
    raise ValidationFailed(errors={"__all__": list(exc.messages)})


def teacher_profile_update(*, user, data: dict, actor, replace: bool = False) -> TeacherProfile:
    """Change a teacher's own profile. With `replace`, fields missing from `data` go back to their defaults
    (PUT); otherwise only the given ones change (PATCH). `subjects`, `levels`, `languages` are lists of codes.
    Approval is never taken from here (see `teacher_profile_approve`). `actor` (required, so no caller
    writes unchecked): the teacher themself, or an admin (the Wagtail admin's edit view)."""
    if not (actor.pk == user.pk or (actor.is_active and is_admin(actor))):
        raise refused(
            visible=_listed(TeacherProfile.objects.filter(user=user)).exists(),
            detail=_("Only the teacher or an admin can change a teacher profile."),
        )
    errors = _nul_errors(data)
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        profile = TeacherProfile.objects.select_for_update().get(
            pk=teacher_profile_ensure(user=user).pk
        )
        defaults = {
            f.name: f.get_default()
            for f in TeacherProfile._meta.concrete_fields
            if f.name in TEACHER_FIELDS
        }
        for field in TEACHER_FIELDS:
            if field in data:
                value = data[field]
            elif replace:
                value = defaults[field]
            else:
                continue
            if value is None and field in TEACHER_TEXT_FIELDS:
                value = ""
            if value is None and field == "translations":
                value = {}
            if value is None and field in (
                "teaches_online",
                "teaches_in_person",
                "is_public",
                "currency",
            ):
                continue  # "not given" in a PATCH; these have no empty value
            if field == "translations":
                value = _clean_translations(value)
            setattr(profile, field, value)
        try:
            profile.full_clean(exclude=["user", "slug", "subjects", "levels", "languages"])
        except ValidationError as exc:
            _raise_validation(exc)
        if not (profile.teaches_online or profile.teaches_in_person):
            errors["teaches_online"] = [
                _("Choose at least one lesson format: online or in person.")
            ]
        if profile.teaches_in_person and not profile.location.strip():
            errors["location"] = [_("Say where in-person lessons happen.")]
        if errors:
            raise ValidationFailed(errors=errors)
        related = {}
        for name, (model, code_field) in TEACHER_LOOKUPS.items():
            if name in data and data[name] is not None:
                related[name] = _lookup(model, code_field, data[name], name)
            elif replace:
                related[name] = []
        profile.save()
        for name, objects in related.items():
            getattr(profile, name).set(objects)
    return profile


def teacher_profile_approve(
    *, profile: TeacherProfile, approved: bool = True, actor=None
) -> TeacherProfile:
    """Approve a teacher profile (or withdraw approval). Only admins may; `actor=None` is the system itself
    (demo data, management commands), never a request."""
    if actor is not None and not (actor.is_active and is_admin(actor)):
        raise PermissionDenied(_("Only admins approve teacher profiles."))
    with transaction.atomic():
        profile = (
            TeacherProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
        )
        profile.is_approved = approved
        profile.approved_at = timezone.now() if approved else None
        profile.approved_by = actor
        profile.save(update_fields=["is_approved", "approved_at", "approved_by", "updated_at"])
    return profile


DATE_OF_BIRTH_LOCKED = "date_of_birth_locked"


def student_profile_update(*, user, data: dict) -> StudentProfile:
    """Change a student's own profile; only the given fields change. `level` is a level code or None.
    Once the date of birth puts the student under the consent age it is not theirs to change (nor to
    clear): a guardian or an admin does it (`student_date_of_birth_set`)."""
    errors = _nul_errors(data)
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        profile = StudentProfile.objects.select_for_update().get(
            pk=student_profile_ensure(user=user).pk
        )
        if "date_of_birth" in data:
            born = data["date_of_birth"] or None
            if born != profile.date_of_birth and profile.date_of_birth_locked:
                message = _(
                    "Your date of birth can only be changed by your guardian or an admin. Ask them "
                    "to correct it if it is wrong."
                )
                raise ValidationFailed(
                    message, errors={"date_of_birth": [message]}, code=DATE_OF_BIRTH_LOCKED
                )
            profile.date_of_birth = born
        if "learning_goals" in data:
            profile.learning_goals = data["learning_goals"] or ""
        if "level" in data:
            profile.level = (
                _lookup(Level, "code", [data["level"]], "level")[0] if data["level"] else None
            )
        try:
            profile.full_clean(exclude=["user"])
        except ValidationError as exc:
            _raise_validation(exc)
        profile.save()
    return profile


def student_date_of_birth_set(*, actor, student, date_of_birth) -> StudentProfile:
    """A linked guardian or an admin sets a student's date of birth: the only way to change it once
    it says under 16, and how a parent fills it in for a child. A date is required (clearing it would
    only hold the child back again)."""
    guardian = actor.pk != student.pk and acts_for_student(user=actor, student_id=student.pk)
    if not actor.is_active or not (is_admin(actor) or guardian):
        # The student themself or their teacher see the student: 403; anyone else: 404.
        visible = (
            actor.is_active and student_list_for_user(user=actor).filter(user=student).exists()
        )
        raise refused(
            visible=visible,
            detail=_("Only a linked guardian or an admin can change a student's date of birth."),
        )
    if date_of_birth is None:
        message = _("Enter the date of birth.")
        raise ValidationFailed(message, errors={"date_of_birth": [message]})
    with transaction.atomic():
        profile = StudentProfile.objects.select_for_update().filter(user=student).first()
        if profile is None:
            raise NotFound()
        profile.date_of_birth = date_of_birth
        try:
            profile.full_clean(exclude=["user"])
        except ValidationError as exc:
            _raise_validation(exc)
        profile.save(update_fields=["date_of_birth", "updated_at"])
    return profile


__all__ = [
    "TEACHER_FIELDS",
    "TRANSLATABLE_FIELDS",
    "student_date_of_birth_set",
    "student_profile_ensure",
    "student_profile_update",
    "teacher_profile_approve",
    "teacher_profile_ensure",
    "teacher_profile_update",
]
