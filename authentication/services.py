"""Writes for people: accounts, roles, profiles, avatars and guardian links."""

from __future__ import annotations

import io
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import UploadedFile
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from cplatform.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed

from .choices import SELF_SERVICE_ROLES, GuardianLinkStatus, Role
from .models import GuardianLink, User, validate_timezone
from .roles import forget_roles, has_role, is_admin
from .signals import role_granted

PROFILE_FIELDS = ("first_name", "last_name", "display_name", "bio", "timezone", "language", "phone")
AVATAR_MAX_BYTES = 5 * 1024 * 1024
AVATAR_MAX_PIXELS = 40_000_000  # decompression-bomb guard before decoding
AVATAR_MIN_SIDE = 32
AVATAR_OUTPUT_SIDE = 512
AVATAR_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_GUARDIANS_PER_CHILD = 2


# --- roles -----------------------------------------------------------------------------------


def role_group(role: Role | str) -> Group:
    group, _created = Group.objects.get_or_create(name=str(role))
    return group


def user_set_roles(*, user: User, roles: list[str], actor: User | None = None) -> User:
    """Replace a user's roles. Only admins may grant Admin; the actor is checked by the caller's auth."""
    wanted = {str(r) for r in roles}
    unknown = wanted - set(Role.values)
    if unknown:
        raise ValidationFailed(errors={"roles": [_("Unknown role: %s") % ", ".join(sorted(unknown))]})
    if actor is not None and not is_admin(actor):
        raise PermissionDenied(_("Only an admin can change roles."))
    with transaction.atomic():
        current = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        for name in current - wanted:
            user.groups.remove(role_group(name))
        for name in wanted - current:
            user.groups.add(role_group(name))
        user.is_staff = Role.ADMIN in wanted or user.is_superuser
        user.save(update_fields=["is_staff"])
    forget_roles(user)
    for name in wanted - current:
        role_granted.send(sender=User, user=user, role=name)
    return user


def user_add_role(*, user: User, role: Role | str) -> User:
    with transaction.atomic():
        user.groups.add(role_group(role))
        if str(role) == Role.ADMIN:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    forget_roles(user)
    role_granted.send(sender=User, user=user, role=str(role))
    return user


def signup_role_clean(role: str | None) -> str:
    """The role a person may pick at sign-up: Student, Teacher or Parent; Student when none."""
    if not role:
        return Role.STUDENT.value
    if role not in {r.value for r in SELF_SERVICE_ROLES}:
        raise ValidationFailed(errors={"role": [_("Choose Student, Teacher or Parent.")]})
    return role


# --- accounts and profiles -------------------------------------------------------------------


def user_create(
    *,
    email: str,
    password: str | None = None,
    roles: list[str] | None = None,
    actor: User | None = None,
    email_verified: bool = False,
    is_superuser: bool = False,
    **profile,
) -> User:
    """Create an account (admin tools, demo data). Sign-up goes through allauth, which calls
    `user_signup_complete`."""
    from allauth.account.models import EmailAddress

    email = User.objects.normalize_email(email or "").strip().lower()
    if not email:
        raise ValidationFailed(errors={"email": [_("This field is required.")]})
    roles = roles or [Role.STUDENT.value]
    if Role.ADMIN in roles and actor is not None and not is_admin(actor):
        raise PermissionDenied(_("Only an admin can create admins."))
    if is_superuser and actor is not None:
        raise PermissionDenied(_("Superusers are created from the command line only."))
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise Conflict(_("A user with this email already exists."), errors={"email": [_("Already in use.")]})
        user = User(email=email, is_superuser=is_superuser, is_staff=is_superuser,
                    **{k: v for k, v in profile.items() if k in PROFILE_FIELDS})
        _validate_profile(user)
        user.set_password(password) if password else user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=email_verified)
        for role in roles:
            user_add_role(user=user, role=role)
    return user


def user_signup_complete(*, user: User, role: str | None) -> User:
    """Called by the allauth adapter once the account row exists."""
    user_add_role(user=user, role=signup_role_clean(role))
    return user


def _validate_profile(user: User) -> None:
    errors: dict[str, list[str]] = {}
    if user.timezone:
        try:
            validate_timezone(user.timezone)
        except Exception as exc:  # noqa: BLE001 - Django's ValidationError, reported per field
            errors["timezone"] = [str(m) for m in getattr(exc, "messages", [str(exc)])]
    if user.language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose one of the site's languages.")]
    if user.phone and not _phone_ok(user.phone):
        errors["phone"] = [_("Enter a phone number with digits, spaces and an optional leading +.")]
    for field, limit in (("display_name", 80), ("first_name", 150), ("last_name", 150), ("bio", 2000)):
        if len(getattr(user, field) or "") > limit:
            errors[field] = [_("At most %d characters.") % limit]
    if errors:
        raise ValidationFailed(errors=errors)


def _phone_ok(phone: str) -> bool:
    digits = phone.replace(" ", "").replace("-", "").replace("(", "").replace(")", "")
    if digits.startswith("+"):
        digits = digits[1:]
    return digits.isdigit() and 6 <= len(digits) <= 16


def profile_update(*, user: User, data: dict) -> User:
    """Update the editable profile fields only; anything else in `data` is ignored, never applied."""
    changed = []
    for field in PROFILE_FIELDS:
        if field in data and data[field] is not None:
            value = data[field].strip() if isinstance(data[field], str) else data[field]
            setattr(user, field, value)
            changed.append(field)
    _validate_profile(user)
    if changed:
        user.save(update_fields=changed)
    return user


def avatar_process(upload: UploadedFile) -> ContentFile:
    """Validate an uploaded image and re-encode it: type, ≤ 5 MB, pixel limits, EXIF stripped."""
    if upload.size is None or upload.size > AVATAR_MAX_BYTES:
        raise ValidationFailed(errors={"avatar": [_("The image must be 5 MB or smaller.")]})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in AVATAR_FORMATS:
                raise ValidationFailed(errors={"avatar": [_("Upload a JPEG, PNG, WebP or GIF image.")]})
            width, height = probe.size
            if width * height > AVATAR_MAX_PIXELS:
                raise ValidationFailed(errors={"avatar": [_("The image has too many pixels.")]})
            if min(width, height) < AVATAR_MIN_SIDE:
                raise ValidationFailed(errors={"avatar": [_("The image must be at least 32 × 32 pixels.")]})
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.seek(0)
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image = ImageOps.fit(image, (AVATAR_OUTPUT_SIDE, AVATAR_OUTPUT_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            # A fresh image carries no EXIF / metadata of the original.
            image.save(out, format="JPEG", quality=85, optimize=True)
    except ValidationFailed:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ValidationFailed(errors={"avatar": [_("This file is not a valid image.")]}) from exc
    return ContentFile(out.getvalue())


def avatar_set(*, user: User, upload: UploadedFile) -> User:
    content = avatar_process(upload)
    old_name = user.avatar.name if user.avatar else None
    user.avatar.save(f"avatar-{timezone.now():%Y%m%d%H%M%S}.jpg", content, save=True)
    if old_name and old_name != user.avatar.name:
        storage = user.avatar.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return user


def avatar_remove(*, user: User) -> User:
    if user.avatar:
        name, storage = user.avatar.name, user.avatar.storage
        user.avatar = ""
        user.save(update_fields=["avatar"])
        transaction.on_commit(lambda: storage.delete(name))
    return user


def user_admin_update(*, user: User, actor: User, roles: list[str] | None = None, is_active: bool | None = None) -> User:
    if not is_admin(actor):
        raise PermissionDenied()
    with transaction.atomic():
        if roles is not None:
            if user.pk == actor.pk and Role.ADMIN not in roles:
                raise ValidationFailed(errors={"roles": [_("You cannot remove your own admin role.")]})
            user_set_roles(user=user, roles=roles, actor=actor)
        if is_active is not None:
            if user.pk == actor.pk and not is_active:
                raise ValidationFailed(errors={"is_active": [_("You cannot deactivate yourself.")]})
            user.is_active = is_active
            user.save(update_fields=["is_active"])
    return user


# --- guardians -------------------------------------------------------------------------------


def guardian_invite(*, actor: User, email: str, as_role: str) -> GuardianLink:
    """A parent invites a child (`as_role="child"`) or a student invites a guardian (`"guardian"`).

    The invitation is stored against the email; the account is attached when its owner accepts, so
    the answer never reveals whether the email has an account.
    """
    email = User.objects.normalize_email(email or "").strip().lower()
    errors = {}
    if not email or "@" not in email:
        errors["email"] = [_("Enter a valid email address.")]
    elif email == actor.email.lower():
        errors["email"] = [_("You cannot invite yourself.")]
    if as_role not in ("child", "guardian"):
        errors["invite_as"] = [_("Choose 'child' or 'guardian'.")]
    if errors:
        raise ValidationFailed(errors=errors)
    if as_role == "child" and not has_role(actor, Role.PARENT):
        raise PermissionDenied(_("Only parents can invite a child."))
    if as_role == "guardian" and not has_role(actor, Role.STUDENT):
        raise PermissionDenied(_("Only students can invite a guardian."))

    with transaction.atomic():
        open_statuses = [GuardianLinkStatus.PENDING, GuardianLinkStatus.ACTIVE]
        mine = GuardianLink.objects.filter(status__in=open_statuses)
        mine = mine.filter(guardian=actor) if as_role == "child" else mine.filter(child=actor)
        other_side = "child__email__iexact" if as_role == "child" else "guardian__email__iexact"
        if mine.filter(invited_email__iexact=email).exists() or mine.filter(**{other_side: email}).exists():
            raise Conflict(_("You already have an invitation or link with this person."),
                           errors={"email": [_("Already invited or linked.")]})
        if as_role == "guardian":
            _check_guardian_capacity(child=actor)
        link = GuardianLink.objects.create(
            guardian=actor if as_role == "child" else None,
            child=actor if as_role == "guardian" else None,
            invited_email=email,
            initiated_by=actor,
        )
        transaction.on_commit(lambda: _guardian_invite_email(link_id=link.pk))
    return link


def _guardian_invite_email(*, link_id: int) -> None:
    link = GuardianLink.objects.select_related("initiated_by").get(pk=link_id)
    context = {"link": link, "inviter": link.initiated_by, "site_url": settings.SITE_URL}
    subject = render_to_string("authentication/email/guardian_invite_subject.txt", context).strip()
    body = render_to_string("authentication/email/guardian_invite_message.txt", context)
    send_mail(subject, body, None, [link.invited_email])


def _check_guardian_capacity(*, child: User) -> None:
    count = GuardianLink.objects.filter(
        child=child, status__in=[GuardianLinkStatus.PENDING, GuardianLinkStatus.ACTIVE]
    ).count()
    if count >= MAX_GUARDIANS_PER_CHILD:
        raise Conflict(_("A child can have at most two guardians."),
                       errors={"email": [_("This child already has two guardians.")]})


def guardian_accept(*, link: GuardianLink, actor: User) -> GuardianLink:
    """The invited side confirms. `link` comes from `guardian_link_get_for_user`."""
    with transaction.atomic():
        link = GuardianLink.objects.select_for_update().get(pk=link.pk)
        if link.status != GuardianLinkStatus.PENDING or link.initiated_by_id == actor.pk:
            raise Conflict(_("This invitation cannot be accepted."))
        if link.invited_role == "child":
            if not has_role(actor, Role.STUDENT):
                raise PermissionDenied(_("Only a student account can accept as a child."))
            # Lock the child's row so two acceptances cannot exceed two guardians.
            User.objects.select_for_update().get(pk=actor.pk)
            _check_guardian_capacity_excluding(child=actor, link=link)
            link.child = actor
        else:
            if not has_role(actor, Role.PARENT):
                user_add_role(user=actor, role=Role.PARENT)
            link.guardian = actor
        if GuardianLink.objects.filter(
            guardian_id=link.guardian_id, child_id=link.child_id, status=GuardianLinkStatus.ACTIVE
        ).exists():
            raise Conflict(_("You are already linked."))
        link.status = GuardianLinkStatus.ACTIVE
        link.responded_at = timezone.now()
        try:
            with transaction.atomic():
                link.save()
        except IntegrityError as exc:
            raise Conflict(_("You are already linked.")) from exc
    return link


def _check_guardian_capacity_excluding(*, child: User, link: GuardianLink) -> None:
    count = (
        GuardianLink.objects.filter(child=child, status=GuardianLinkStatus.ACTIVE).exclude(pk=link.pk).count()
    )
    if count >= MAX_GUARDIANS_PER_CHILD:
        raise Conflict(_("A child can have at most two guardians."))


def guardian_decline_or_remove(*, link: GuardianLink, actor: User) -> GuardianLink:
    """Either side ends a link; the invited side may decline a pending one."""
    with transaction.atomic():
        link = GuardianLink.objects.select_for_update().get(pk=link.pk)
        if link.status not in (GuardianLinkStatus.PENDING, GuardianLinkStatus.ACTIVE):
            raise NotFound()
        declined = link.status == GuardianLinkStatus.PENDING and link.initiated_by_id != actor.pk
        link.status = GuardianLinkStatus.DECLINED if declined else GuardianLinkStatus.REMOVED
        link.responded_at = timezone.now()
        link.save(update_fields=["status", "responded_at"])
    return link


def guardian_consent(*, link: GuardianLink, actor: User) -> GuardianLink:
    """A linked guardian consents to the child using messaging and payments."""
    with transaction.atomic():
        link = GuardianLink.objects.select_for_update().get(pk=link.pk)
        if link.status != GuardianLinkStatus.ACTIVE or link.guardian_id != actor.pk:
            raise PermissionDenied(_("Only a linked guardian can give consent."))
        if link.consent_given_at is None:
            link.consent_given_at = timezone.now()
            link.consent_given_by = actor
            link.save(update_fields=["consent_given_at", "consent_given_by"])
    return link

