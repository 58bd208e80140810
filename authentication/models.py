import zoneinfo

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cplatform.validators import validate_multiline_text, validate_single_line

from .choices import GuardianLinkStatus
from .login_limits import password_check


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a known IANA time zone."), params={"value": value}
        )


def validate_phone(value: str) -> None:
    digits = value.strip()
    digits = digits.removeprefix("+")
    for separator in " -().":
        digits = digits.replace(separator, "")
    if not (digits.isdigit() and 6 <= len(digits) <= 16):
        raise ValidationError(
            _("Enter a phone number with digits, spaces and an optional leading +."),
            code="invalid_phone",
        )


def avatar_upload_to(instance, filename: str) -> str:
    return f"avatars/{instance.pk or 'new'}/{filename}"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Email is the login; the profile lives on the user itself (one row, no extra join)."""

    email = models.EmailField(_("email address"), unique=True, validators=[validate_single_line])
    first_name = models.CharField(
        _("first name"), max_length=150, blank=True, validators=[validate_single_line]
    )
    last_name = models.CharField(
        _("last name"), max_length=150, blank=True, validators=[validate_single_line]
    )
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("May log into the admin sites.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    # Profile
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("Shown to others instead of your full name."),
        validators=[validate_single_line],
    )
    avatar = models.ImageField(_("avatar"), upload_to=avatar_upload_to, blank=True)
    bio = models.TextField(
        _("bio"),
        blank=True,
        max_length=2000,
        validators=[MaxLengthValidator(2000), validate_multiline_text],
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_timezone, validate_single_line],
    )
    language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    phone = models.CharField(
        _("phone"), max_length=32, blank=True, validators=[validate_phone, validate_single_line]
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).strip().lower()

    def save(self, *args, **kwargs):
        # Every path (forms, admin sites, shell) stores the login in one case.
        if self.email:
            self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def check_password(self, raw_password) -> bool:
        # Every password check made for a request is under the login limits, including those made
        # outside authenticate() (the current password when changing it, in allauth, Wagtail's
        # account page and Django's admin).
        return password_check(
            user=self,
            raw_password=raw_password,
            check=lambda: super(User, self).check_password(raw_password),
        )

    async def acheck_password(self, raw_password) -> bool:
        return await sync_to_async(self.check_password)(raw_password)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def name(self) -> str:
        """What other people see."""
        return self.display_name or self.get_full_name() or self.email.split("@")[0]

    @property
    def role_names(self) -> set[str]:
        from .roles import user_roles

        return user_roles(self)


class GuardianLink(models.Model):
    """A parent (guardian) and a child, linked once the invited side confirms."""

    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="child_links",
    )
    child = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="guardian_links",
    )
    invited_email = models.EmailField(
        help_text=_("Who was invited; the account is attached when they confirm."),
        validators=[validate_single_line],
    )
    initiated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=GuardianLinkStatus.choices, default=GuardianLinkStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    consent_given_at = models.DateTimeField(null=True, blank=True)
    consent_given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["guardian", "child"],
                condition=models.Q(status__in=["pending", "active"]),
                name="guardian_link_open_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(guardian__isnull=False) | models.Q(child__isnull=False),
                name="guardian_link_has_a_side",
            ),
            models.CheckConstraint(
                condition=~models.Q(guardian=models.F("child")),
                name="guardian_link_not_self",
            ),
        ]
        indexes = [models.Index(Lower("invited_email"), name="guardian_link_email_idx")]

    def __str__(self):
        return f"{self.guardian_id or self.invited_email} → {self.child_id or self.invited_email} ({self.status})"

    @property
    def invited_role(self) -> str:
        """'child' when the guardian invited, 'guardian' when the child did."""
        return "child" if self.initiated_by_id == self.guardian_id else "guardian"
