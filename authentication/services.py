"""Writes for people: accounts, roles, profiles, avatars and guardian links."""

from __future__ import annotations

import io

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from cplatform.api_http import absolute_url
from cplatform.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from cplatform.signals import announce

from .choices import SELF_SERVICE_ROLES, GuardianLinkStatus, Role
from .models import GuardianLink, User
from .permissions import NOT_MANAGEABLE, user_may_manage
from .roles import forget_roles, has_role, is_admin, user_roles
from .selectors import guardian_link_locked_for, guardian_link_visible_to, user_verified_emails
from .signals import (
    guardian_accepted,
    guardian_accepted_committed,
    guardian_consent_given,
    guardian_consent_given_committed,
    guardian_invited,
    guardian_invited_committed,
    role_granted,
)

PROFILE_FIELDS = ("first_name", "last_name", "display_name", "bio", "timezone", "language", "phone")
AVATAR_MAX_BYTES = 5 * 1024 * 1024
AVATAR_MAX_PIXELS = 40_000_000  # checked from the header, before any pixel is decoded
AVATAR_MIN_SIDE = 32
AVATAR_OUTPUT_SIDE = 512
AVATAR_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_GUARDIANS_PER_CHILD = 2
OPEN_LINK_STATUSES = (GuardianLinkStatus.PENDING, GuardianLinkStatus.ACTIVE)


# --- roles -----------------------------------------------------------------------------------


def role_group(role: Role | str) -> Group:
    group, _created = Group.objects.get_or_create(name=str(role))
    return group


def user_set_roles(*, user: User, roles: list[str], actor: User | None = None) -> User:
    """Replace a user's roles. `actor=None` is the system (demo data, migrations)."""
    wanted = {str(r) for r in roles}
    unknown = wanted - set(Role.values)
    if unknown:
        raise ValidationFailed(
            errors={"roles": [_("Unknown role: %s") % ", ".join(sorted(unknown))]}
        )
    if actor is not None and not is_admin(actor):
        raise PermissionDenied(_("Only an admin can change roles."))
    if actor is not None:
        _check_may_manage(actor=actor, user=user)
    with transaction.atomic():
        current = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        if current - wanted:
            user.groups.remove(*Group.objects.filter(name__in=current - wanted))
        if wanted - current:
            user.groups.add(*(role_group(name) for name in sorted(wanted - current)))
    return user


def user_add_role(*, user: User, role: Role | str) -> User:
    with transaction.atomic():
        user.groups.add(role_group(role))
    return user


def user_roles_changed(*, user: User, granted: set[str], revoked: set[str]) -> None:
    """What follows from a change of role groups, whichever way they changed (these services, the
    Wagtail or Django admin forms, Wagtail's bulk "assign role"): it runs from the `m2m_changed`
    receiver. The staff flag follows the Admin role; `role_granted` lets other apps add profiles."""
    forget_roles(user)
    if Role.ADMIN in granted | revoked:
        staff = Role.ADMIN in user_roles(user) or user.is_superuser
        if user.is_staff != staff:
            User.objects.filter(pk=user.pk).update(is_staff=staff)
            user.is_staff = staff
    for name in sorted(granted):
        role_granted.send(sender=User, user=user, role=name)


def signup_role_clean(role: str | None) -> str:
    """The role a person may pick at sign-up: Student, Teacher or Parent; Student when none."""
    if not role:
        return Role.STUDENT.value
    if role not in {r.value for r in SELF_SERVICE_ROLES}:
        raise ValidationFailed(errors={"role": [_("Choose Student, Teacher or Parent.")]})
    return role


# --- accounts and profiles -------------------------------------------------------------------


def _email_clean(email: str | None) -> str:
    email = User.objects.normalize_email(email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationFailed(errors={"email": [_("Enter a valid email address.")]}) from exc
    return email


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
    `user_signup_complete`. `actor=None` is the system."""
    from allauth.account.models import EmailAddress

    email = _email_clean(email)
    roles = list(roles or [Role.STUDENT.value])
    if actor is not None and not is_admin(actor):
        raise PermissionDenied(_("Only an admin can create accounts."))
    if is_superuser and actor is not None:
        raise PermissionDenied(_("Superusers are created from the command line only."))
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationFailed(
            errors={"roles": [_("Unknown role: %s") % ", ".join(sorted(unknown))]}
        )
    user = User(
        email=email,
        is_superuser=is_superuser,
        is_staff=is_superuser,
        **{k: v for k, v in profile.items() if k in PROFILE_FIELDS},
    )
    _validate_profile(user)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    taken = Conflict(
        _("A user with this email already exists."),
        errors={"email": [_("Already in use.")]},
        code="email_taken",
    )
    if User.objects.filter(email__iexact=email).exists():
        raise taken
    try:
        with transaction.atomic():
            user.save()
            EmailAddress.objects.create(
                user=user, email=email, primary=True, verified=email_verified
            )
            user_set_roles(user=user, roles=roles)
    except IntegrityError as exc:  # the same email created at the same moment
        raise taken from exc
    return user


def user_signup_complete(*, user: User, role: str | None) -> User:
    """Called by the allauth sign-up form (page and headless) once the account row exists."""
    user_add_role(user=user, role=signup_role_clean(role))
    return user


def _validate_profile(user: User) -> None:
    """The model's field rules (lengths, IANA time zone, language choices, phone), as a domain error."""
    exclude = [f.name for f in User._meta.fields if f.name not in PROFILE_FIELDS]
    try:
        user.clean_fields(exclude=exclude)
    except ValidationError as exc:
        raise ValidationFailed(
            errors={
                field: [str(m) for m in messages] for field, messages in exc.message_dict.items()
            }
        ) from exc


def profile_update(*, user: User, data: dict) -> User:
    """Update the editable profile fields only; anything else in `data` (roles, staff flags, email,
    groups…) is ignored, never applied."""
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


def _invalid_avatar(message: str) -> ValidationFailed:
    return ValidationFailed(errors={"avatar": [message]})


def avatar_process(upload: UploadedFile) -> ContentFile:
    """Validate an uploaded image and re-encode it: type, ≤ 5 MB, pixel limits, EXIF stripped.

    The pixel count is read from the header before decoding, so a small file that would expand to
    gigabytes (a decompression bomb) is refused without being decoded.
    """
    if upload.size is None or upload.size > AVATAR_MAX_BYTES:
        raise _invalid_avatar(_("The image must be 5 MB or smaller."))
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in AVATAR_FORMATS:
                raise _invalid_avatar(_("Upload a JPEG, PNG, WebP or GIF image."))
            width, height = probe.size
            if width * height > AVATAR_MAX_PIXELS:
                raise _invalid_avatar(_("The image has too many pixels."))
            if min(width, height) < AVATAR_MIN_SIDE:
                raise _invalid_avatar(_("The image must be at least 32 × 32 pixels."))
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.seek(0)  # the first frame of an animation
            image = ImageOps.exif_transpose(image)
            if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                rgba = image.convert("RGBA")
                image = Image.new("RGB", rgba.size, (255, 255, 255))
                image.paste(rgba, mask=rgba.getchannel("A"))
            else:
                image = image.convert("RGB")
            image = ImageOps.fit(
                image, (AVATAR_OUTPUT_SIDE, AVATAR_OUTPUT_SIDE), Image.Resampling.LANCZOS
            )
            out = io.BytesIO()
            # A new image written without `exif=`: none of the original's metadata survives.
            image.save(out, format="JPEG", quality=85, optimize=True)
    except ValidationFailed:
        raise
    except Image.DecompressionBombError as exc:
        raise _invalid_avatar(_("The image has too many pixels.")) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise _invalid_avatar(_("This file is not a valid image.")) from exc
    return ContentFile(out.getvalue())


def avatar_set(*, user: User, upload: UploadedFile) -> User:
    content = avatar_process(upload)
    old_name = user.avatar.name if user.avatar else None
    with transaction.atomic():
        user.avatar.save(f"avatar-{timezone.now():%Y%m%d%H%M%S}.jpg", content, save=False)
        user.save(update_fields=["avatar"])
        if old_name and old_name != user.avatar.name:
            storage = user.avatar.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return user


def avatar_remove(*, user: User) -> User:
    if user.avatar:
        name, storage = user.avatar.name, user.avatar.storage
        with transaction.atomic():
            user.avatar = ""
            user.save(update_fields=["avatar"])
            transaction.on_commit(lambda: storage.delete(name))
    return user


def _check_may_manage(*, actor: User, user: User) -> None:
    if not is_admin(actor):
        raise PermissionDenied()
    # The admin sites' rule: an Admin who is not a superuser takes over nobody with rights beyond
    # the roles they grant (a superuser, an Editor, a Moderator, a custom group, own permissions).
    if not user_may_manage(actor, user):
        raise PermissionDenied(str(NOT_MANAGEABLE))


def user_admin_update(
    *, user: User, actor: User, roles: list[str] | None = None, is_active: bool | None = None
) -> User:
    _check_may_manage(actor=actor, user=user)
    with transaction.atomic():
        if roles is not None:
            if user.pk == actor.pk and Role.ADMIN not in roles:
                raise ValidationFailed(
                    errors={"roles": [_("You cannot remove your own admin role.")]}
                )
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
    errors = {}
    try:
        email = _email_clean(email)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    else:
        if email in {actor.email.lower(), *user_verified_emails(user=actor)}:
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
        # One invitation at a time per inviter: concurrent invites cannot both pass the checks.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        mine = GuardianLink.objects.filter(status__in=OPEN_LINK_STATUSES)
        mine = mine.filter(guardian=actor) if as_role == "child" else mine.filter(child=actor)
        other_side = "child__email__iexact" if as_role == "child" else "guardian__email__iexact"
        if (
            mine.filter(invited_email__iexact=email).exists()
            or mine.filter(**{other_side: email}).exists()
        ):
            raise Conflict(
                _("You already have an invitation or link with this person."),
                errors={"email": [_("Already invited or linked.")]},
                code="already_invited",
            )
        if as_role == "guardian" and mine.count() >= MAX_GUARDIANS_PER_CHILD:
            raise Conflict(
                _("A child can have at most two guardians."),
                errors={"email": [_("You already have two guardians or invitations.")]},
                code="guardian_limit_reached",
            )
        link = GuardianLink.objects.create(
            guardian=actor if as_role == "child" else None,
            child=actor if as_role == "guardian" else None,
            invited_email=email,
            initiated_by=actor,
        )
        transaction.on_commit(lambda: _guardian_invite_email(link_id=link.pk))
        announce(
            guardian_invited,
            guardian_invited_committed,
            sender=GuardianLink,
            link=link,
            actor=actor,
        )
    return link


def _guardian_invite_email(*, link_id: int) -> None:
    link = GuardianLink.objects.select_related("initiated_by").get(pk=link_id)
    context = {
        "link": link,
        "inviter": link.initiated_by,
        "guardians_url": absolute_url(reverse("guardians")),
    }
    subject = render_to_string("authentication/email/guardian_invite_subject.txt", context).strip()
    body = render_to_string("authentication/email/guardian_invite_message.txt", context)
    send_mail(subject, body, None, [link.invited_email])


def guardian_accept(*, link: GuardianLink, actor: User) -> GuardianLink:
    """The invited side confirms, if the invitation went to one of their verified emails.

    The child's row is locked, so two acceptances at once cannot give a child a third guardian.
    An invitation the actor may not see (not theirs, not to them) answers like a missing one.
    """
    if not guardian_link_visible_to(user=actor, link=link):
        raise NotFound()
    with transaction.atomic():
        link = GuardianLink.objects.select_for_update().get(pk=link.pk)
        if (
            link.status != GuardianLinkStatus.PENDING
            or link.initiated_by_id == actor.pk
            or link.invited_email.lower() not in user_verified_emails(user=actor)
        ):
            raise Conflict(
                _("This invitation cannot be accepted."), code="invitation_not_acceptable"
            )
        if link.invited_role == "child":
            if not has_role(actor, Role.STUDENT):
                raise PermissionDenied(_("Only a student account can accept as a child."))
            if link.guardian_id == actor.pk:
                raise Conflict(_("You cannot be your own guardian."), code="own_guardian")
            link.child = actor
        else:
            if link.child_id == actor.pk:
                raise Conflict(_("You cannot be your own guardian."), code="own_guardian")
            link.guardian = actor
        User.objects.select_for_update().filter(pk=link.child_id).first()
        active = GuardianLink.objects.filter(
            child_id=link.child_id, status=GuardianLinkStatus.ACTIVE
        )
        if active.filter(guardian_id=link.guardian_id).exists():
            raise Conflict(_("You are already linked."), code="already_linked")
        if active.count() >= MAX_GUARDIANS_PER_CHILD:
            raise Conflict(
                _("A child can have at most two guardians."), code="guardian_limit_reached"
            )
        if link.invited_role == "guardian" and not has_role(actor, Role.PARENT):
            user_add_role(user=actor, role=Role.PARENT)
        link.status = GuardianLinkStatus.ACTIVE
        link.responded_at = timezone.now()
        try:
            with transaction.atomic():
                link.save(update_fields=["guardian", "child", "status", "responded_at"])
        except IntegrityError as exc:
            raise Conflict(_("You are already linked."), code="already_linked") from exc
        announce(
            guardian_accepted,
            guardian_accepted_committed,
            sender=GuardianLink,
            link=link,
            actor=actor,
        )
    return link


def guardian_decline_or_remove(*, link: GuardianLink, actor: User) -> GuardianLink:
    """Either side ends a link (and with it any consent given through it); the invited side may
    decline a pending invitation. Nobody else: to them the link does not exist. A child under 16
    may not end an active link (403 `guardian_removal_locked`): the guardian or an admin does."""
    if not guardian_link_visible_to(user=actor, link=link):
        raise NotFound()
    with transaction.atomic():
        link = GuardianLink.objects.select_for_update().get(pk=link.pk)
        if link.status not in OPEN_LINK_STATUSES:
            raise NotFound()
        if guardian_link_locked_for(user=actor, link=link):
            raise PermissionDenied(
                _(
                    "Under 16, a link with a guardian is ended by the guardian or by an admin. "
                    "Ask them if it should end."
                ),
                code="guardian_removal_locked",
            )
        declined = link.status == GuardianLinkStatus.PENDING and link.initiated_by_id != actor.pk
        link.status = GuardianLinkStatus.DECLINED if declined else GuardianLinkStatus.REMOVED
        link.responded_at = timezone.now()
        link.save(update_fields=["status", "responded_at"])
    return link


def guardian_consent(*, link: GuardianLink, actor: User) -> GuardianLink:
    """A linked guardian consents to the child using messaging and payments (who and when). The
    child sees the link but may not consent (403); to anyone else it does not exist."""
    if not guardian_link_visible_to(user=actor, link=link):
        raise NotFound()
    with transaction.atomic():
        link = GuardianLink.objects.select_for_update().get(pk=link.pk)
        if link.status != GuardianLinkStatus.ACTIVE or link.guardian_id != actor.pk:
            raise PermissionDenied(_("Only a linked guardian can give consent."))
        if link.consent_given_at is None:
            link.consent_given_at = timezone.now()
            link.consent_given_by = actor
            link.save(update_fields=["consent_given_at", "consent_given_by"])
            announce(
                guardian_consent_given,
                guardian_consent_given_committed,
                sender=GuardianLink,
                link=link,
                actor=actor,
            )
    return link


def guardian_link_admin_create(*, actor: User, guardian: User, child: User) -> GuardianLink:
    """An admin links a guardian and a child directly (no invitation): the same limits hold."""
    if not is_admin(actor):
        raise PermissionDenied()
    if guardian.pk == child.pk:
        raise ValidationFailed(
            errors={"child": [_("A person cannot be their own guardian.")]}, code="own_guardian"
        )
    if not has_role(child, Role.STUDENT):
        raise ValidationFailed(errors={"child": [_("The child must have the Student role.")]})
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=child.pk).first()
        active = GuardianLink.objects.filter(child=child, status=GuardianLinkStatus.ACTIVE)
        if active.filter(guardian=guardian).exists():
            raise Conflict(
                _("They are already linked."),
                errors={"child": [_("Already linked.")]},
                code="already_linked",
            )
        if active.count() >= MAX_GUARDIANS_PER_CHILD:
            raise Conflict(
                _("A child can have at most two guardians."),
                errors={"child": [_("This child already has two guardians.")]},
                code="guardian_limit_reached",
            )
        if not has_role(guardian, Role.PARENT):
            user_add_role(user=guardian, role=Role.PARENT)
        now = timezone.now()
        try:
            with transaction.atomic():
                link = GuardianLink.objects.create(
                    guardian=guardian,
                    child=child,
                    invited_email=child.email,
                    initiated_by=actor,
                    status=GuardianLinkStatus.ACTIVE,
                    created_at=now,
                    responded_at=now,
                )
        except IntegrityError as exc:  # a pending invitation between the two is still open
            raise Conflict(
                _("An invitation between them is still pending."),
                errors={"child": [_("An invitation between them is still pending.")]},
                code="invitation_pending",
            ) from exc
    return link


def guardian_link_admin_end(*, actor: User, link: GuardianLink) -> GuardianLink:
    """An admin ends an open link or invitation (kept as history, with its consent)."""
    if not is_admin(actor):
        raise PermissionDenied()
    with transaction.atomic():
        link = GuardianLink.objects.select_for_update().get(pk=link.pk)
        if link.status not in OPEN_LINK_STATUSES:
            raise ValidationFailed(errors={"status": [_("This link has already ended.")]})
        link.status = GuardianLinkStatus.REMOVED
        link.responded_at = timezone.now()
        link.save(update_fields=["status", "responded_at"])
    return link
