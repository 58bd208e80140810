from datetime import datetime

from ninja import Field, Schema
from pydantic import EmailStr

from cplatform.api_base import (
    ClearableMultilineText,
    ClearableText,
    InputSchema,
    PatchSchema,
)
from cplatform.api_http import AbsoluteURL
from cplatform.api_types import SiteLanguage, TimeZoneName, TimeZoneNameOut

from .choices import GuardianInviteRole, GuardianLinkStatus, Role


class PersonBrief(Schema):
    """A person named in another resource in no particular role (a guardian, who booked or
    cancelled a lesson, who wrote a note). A teacher in their role is a `TeacherBrief`
    (`teacher_id`), a student a `StudentBrief` (`student_id`)."""

    user_id: int = Field(
        ...,
        description="The person's account id: `GET /me` shows your own, `GET /admin/users/{user_id}` "
        "any to admins. A student's `student_id` is the same number.",
    )
    name: str
    avatar_url: AbsoluteURL | None

    @staticmethod
    def resolve_user_id(obj):
        return obj.pk

    @staticmethod
    def resolve_avatar_url(obj):
        return obj.avatar.url if obj.avatar else None


class MeOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    display_name: str
    name: str
    avatar_url: AbsoluteURL | None
    bio: str
    timezone: TimeZoneNameOut
    language: SiteLanguage
    phone: str
    roles: list[Role]
    is_staff: bool
    date_joined: datetime
    needs_guardian_consent: bool
    needs_date_of_birth: bool = Field(
        ...,
        description="A student who must give a date of birth (PATCH /me/student-profile) before "
        "booking or paying; `needs_guardian_consent`: under 16, a linked guardian must consent.",
    )

    @staticmethod
    def resolve_avatar_url(obj):
        return obj.avatar.url if obj.avatar else None

    @staticmethod
    def resolve_roles(obj):
        return sorted(obj.role_names)

    @staticmethod
    def resolve_needs_guardian_consent(obj):
        from .selectors import user_needs_guardian_consent

        return user_needs_guardian_consent(user=obj)

    @staticmethod
    def resolve_needs_date_of_birth(obj):
        from .selectors import user_needs_date_of_birth

        return user_needs_date_of_birth(user=obj)


class MePatch(PatchSchema):
    """Only profile fields; anything else (roles, is_staff, email…) is refused with 422."""

    first_name: ClearableText = Field(None, max_length=150)
    last_name: ClearableText = Field(None, max_length=150)
    display_name: ClearableText = Field(None, max_length=80)
    bio: ClearableMultilineText = Field(None, max_length=2000)
    timezone: TimeZoneName = None
    language: SiteLanguage = None
    phone: ClearableText = Field(None, max_length=32)


class GuardianInviteIn(InputSchema):
    email: EmailStr
    invite_as: GuardianInviteRole = Field(
        ...,
        description="`child`: a parent invites their child; `guardian`: a student invites a parent.",
    )


class GuardianLinkOut(Schema):
    id: int
    status: GuardianLinkStatus
    invited_email: str
    invited_role: GuardianInviteRole
    initiated_by_me: bool
    guardian: PersonBrief | None
    child: PersonBrief | None
    created_at: datetime
    responded_at: datetime | None
    consent_given_at: datetime | None
    consent_given_by: PersonBrief | None


class AdminUserOut(Schema):
    id: int
    email: str
    name: str
    first_name: str
    last_name: str
    roles: list[Role]
    is_active: bool
    is_staff: bool
    date_joined: datetime
    last_login: datetime | None

    @staticmethod
    def resolve_roles(obj):
        names = {g.name for g in obj.groups.all()} & set(Role.values)
        if obj.is_superuser:
            names.add(Role.ADMIN.value)
        return sorted(names)


class AdminUserIn(InputSchema):
    email: EmailStr
    password: str | None = Field(None, min_length=8, max_length=128)
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    roles: list[Role] = Field(default_factory=lambda: [Role.STUDENT], max_length=4)


class AdminUserPatch(PatchSchema):
    roles: list[Role] = Field(None, max_length=4)
    is_active: bool = None
