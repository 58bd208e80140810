from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cplatform.api_base import LimitOffset, errors, sort_enum, sort_field, sorted_by
from cplatform.api_http import location

from .api_auth import auth_for
from .choices import Role
from .schemas import (
    AdminUserIn,
    AdminUserOut,
    AdminUserPatch,
    GuardianInviteIn,
    GuardianLinkOut,
    MeOut,
    MePatch,
)
from .selectors import (
    guardian_link_get_for_user,
    guardian_link_list_for_user,
    user_get_for_admin,
    user_list_for_admin,
)
from .services import (
    avatar_remove,
    avatar_set,
    guardian_accept,
    guardian_consent,
    guardian_decline_or_remove,
    guardian_invite,
    profile_update,
    user_admin_update,
    user_create,
)

router = Router(tags=["me", "guardians"])
admin_router = Router(tags=["admin"], auth=auth_for(Role.ADMIN))

authenticated = auth_for()


def _link_out(link, user) -> dict:
    return {
        "id": link.pk,
        "status": link.status,
        "invited_email": link.invited_email,
        "invited_role": link.invited_role,
        "initiated_by_me": link.initiated_by_id == user.pk,
        "guardian": link.guardian,
        "child": link.child,
        "created_at": link.created_at,
        "responded_at": link.responded_at,
        "consent_given_at": link.consent_given_at,
        "consent_given_by": link.consent_given_by,
    }


@router.get("/me", response={200: MeOut, **errors(401)}, auth=authenticated, tags=["me"])
def retrieve_me(request):
    """The signed-in person: profile, roles, and what they must still give before booking."""
    return request.auth


@router.patch(
    "/me", response={200: MeOut, **errors(400, 401, 422)}, auth=authenticated, tags=["me"]
)
def update_me(request, payload: MePatch):
    """Change one's own profile fields (names, bio, time zone, language, phone); only the fields
    sent change. Roles, email and staff status are not here (422)."""
    return profile_update(user=request.auth, data=payload.changes())


@router.post(
    "/me/avatar", response={200: MeOut, **errors(400, 401, 422)}, auth=authenticated, tags=["me"]
)
def upload_avatar(request, avatar: File[UploadedFile]):
    """Upload a profile picture (multipart `avatar`: JPEG, PNG, WebP or GIF, at most 5 MB)."""
    return avatar_set(user=request.auth, upload=avatar)


@router.delete("/me/avatar", response={200: MeOut, **errors(401)}, auth=authenticated, tags=["me"])
def delete_avatar(request):
    """Remove one's profile picture."""
    return avatar_remove(user=request.auth)


GuardianLinkSort = sort_enum("GuardianLinkSort", {"created": ("created_at",)})
UserSort = sort_enum(
    "UserSort",
    {"email": ("email",), "name": ("first_name", "last_name"), "joined": ("date_joined",)},
)


class GuardianLinkFilters(Schema):
    sort: GuardianLinkSort = sort_field(GuardianLinkSort, "-created")


@router.get(
    "/guardians",
    response={200: list[GuardianLinkOut], **errors(401, 422)},
    auth=authenticated,
    tags=["guardians"],
)
@paginate(LimitOffset)
def list_guardian_links(request, filters: Query[GuardianLinkFilters]):
    """The caller's guardian links and invitations, as guardian or as child, in any status."""
    user = request.auth
    links = sorted_by(guardian_link_list_for_user(user=user), filters.sort)
    return [_link_out(link, user) for link in links]


@router.post(
    "/guardians",
    response={201: GuardianLinkOut, **errors(400, 401, 403, 409, 422)},
    auth=authenticated,
    tags=["guardians"],
)
@location("api:retrieve_guardian_link", link_id="id")
def invite_guardian_link(request, payload: GuardianInviteIn):
    """Invite a person by email: a parent invites their child (`invite_as=child`), a student
    invites a parent (`invite_as=guardian`). An open invitation or link with them answers 409."""
    link = guardian_invite(actor=request.auth, email=payload.email, as_role=payload.invite_as)
    return Status(201, _link_out(link, request.auth))


@router.get(
    "/guardians/{link_id}",
    response={200: GuardianLinkOut, **errors(401, 404, 422)},
    auth=authenticated,
    tags=["guardians"],
)
def retrieve_guardian_link(request, link_id: int):
    """One link or invitation, for whoever sees it in `GET /guardians`: its two sides, and the
    invited person while it is pending. Others (admins included: they manage links in the admin)
    get 404."""
    link = guardian_link_get_for_user(user=request.auth, link_id=link_id)
    return _link_out(link, request.auth)


@router.post(
    "/guardians/{link_id}/accept",
    response={200: GuardianLinkOut, **errors(401, 403, 404, 409, 422)},
    auth=authenticated,
    tags=["guardians"],
)
def accept_guardian_link(request, link_id: int):
    """The invited person accepts a pending invitation sent to them (409 when it is not
    pending or is not theirs to accept)."""
    link = guardian_link_get_for_user(user=request.auth, link_id=link_id)
    return _link_out(guardian_accept(link=link, actor=request.auth), request.auth)


@router.delete(
    "/guardians/{link_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    auth=authenticated,
    tags=["guardians"],
)
def delete_guardian_link(request, link_id: int):
    """Decline a pending invitation, or end a link, from either side; a child under 16 may not end
    an active link (403 `guardian_removal_locked`: the guardian or an admin does)."""
    link = guardian_link_get_for_user(user=request.auth, link_id=link_id)
    guardian_decline_or_remove(link=link, actor=request.auth)
    return Status(204, None)


@router.post(
    "/guardians/{link_id}/consent",
    response={200: GuardianLinkOut, **errors(401, 403, 404, 422)},
    auth=authenticated,
    tags=["guardians"],
)
def give_guardian_consent(request, link_id: int):
    """A linked guardian consents for a student under 16 (who cannot book or pay without it)."""
    link = guardian_link_get_for_user(user=request.auth, link_id=link_id)
    return _link_out(guardian_consent(link=link, actor=request.auth), request.auth)


class AdminUserFilters(Schema):
    search: str | None = Field(None, max_length=100, description="In emails and names")
    role: Role | None = None
    sort: UserSort = sort_field(UserSort, "email")


@admin_router.get("/users", response={200: list[AdminUserOut], **errors(401, 403, 422)})
@paginate(LimitOffset)
def list_users(request, filters: Query[AdminUserFilters]):
    """Admins: every account, searched by name or email and filtered by role."""
    users = user_list_for_admin(actor=request.auth, search=filters.search, role=filters.role)
    return sorted_by(users, filters.sort)


@admin_router.post("/users", response={201: AdminUserOut, **errors(400, 401, 403, 409, 422)})
@location("api:retrieve_user", user_id="id")
def create_user(request, payload: AdminUserIn):
    """Admins create an account with roles (verified email; a password or none)."""
    if payload.password:
        try:
            validate_password(payload.password)
        except ValidationError as exc:  # the field it is about, for the answer's `errors`
            raise ValidationError({"password": exc.error_list}) from exc
    user = user_create(
        email=payload.email,
        password=payload.password,
        roles=list(payload.roles),
        actor=request.auth,
        first_name=payload.first_name,
        last_name=payload.last_name,
        email_verified=True,
    )
    return Status(201, user)


@admin_router.get("/users/{user_id}", response={200: AdminUserOut, **errors(401, 403, 404, 422)})
def retrieve_user(request, user_id: int):
    """Admins: one account."""
    return user_get_for_admin(actor=request.auth, user_id=user_id)


@admin_router.patch(
    "/users/{user_id}", response={200: AdminUserOut, **errors(400, 401, 403, 404, 422)}
)
def update_user(request, user_id: int, payload: AdminUserPatch):
    """Admins change an account's roles or deactivate it."""
    user = user_get_for_admin(actor=request.auth, user_id=user_id)
    user_admin_update(
        user=user, actor=request.auth, roles=payload.roles, is_active=payload.is_active
    )
    return user_get_for_admin(actor=request.auth, user_id=user_id)
