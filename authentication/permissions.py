"""Who may manage whom in the two admin sites (Wagtail's at /admin/, Django's at /django-admin/) and
the API's admin operations (`services._check_may_manage`).

- **Managing a person** (editing them, their password or email, (de)activating, deleting them,
  changing their groups, bulk actions, their history and usage) is taking over what they may do.
  A superuser manages anyone. Anyone else (the Admin role) manages only people whose every right
  is one they could grant themselves: not a superuser, in no group beyond
  `groups_grantable_by(actor)` (an Editor, a Moderator or anyone in a group a superuser made is
  beyond), and holding no permission given to them directly. `users_manageable_by` is that rule
  as a queryset and `user_may_manage` as a predicate; every view, form, bulk action and service
  that acts on a person asks one of them.
- Admins still see everyone in the Wagtail users listing and the API (support work), with no edit
  or delete link for those they may not manage. Django's admin (the staff fallback) lists only
  those they may manage.
- Editing a group is granting its permissions, so only superusers add, edit or delete groups.
- Anyone else who manages people grants and takes away only the platform's roles (Student,
  Teacher, Parent, Admin): nobody gives themselves, or an account they made, rights they do not
  hold. (A person in any other group is not theirs to manage at all.)
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies import ModelPermissionPolicy

from cplatform.admin_site import acts_as_superuser

from .choices import Role

NOT_MANAGEABLE = _(
    "Only a superuser can change this account: it holds rights beyond the roles an admin grants."
)


def groups_grantable_by(actor) -> QuerySet[Group]:
    """The groups `actor` may give or take away: every group for a superuser, else the roles."""
    if acts_as_superuser(actor):
        return Group.objects.all()
    return Group.objects.filter(name__in=Role.values)


def users_manageable_by(actor, *, within: QuerySet | None = None) -> QuerySet:
    """The people `actor` may manage (of `within`, every user by default): everyone for a
    superuser; for anyone else, those who are no superuser, are in no group `actor` may not grant
    and hold no permission of their own."""
    users = within if within is not None else get_user_model()._default_manager.all()
    if acts_as_superuser(actor):
        return users
    model = users.model
    beyond_grants = model.groups.through.objects.filter(user=OuterRef("pk")).exclude(
        group__in=groups_grantable_by(actor)
    )
    own_permissions = model.user_permissions.through.objects.filter(user=OuterRef("pk"))
    return (
        users.filter(is_superuser=False)
        .exclude(Exists(beyond_grants))
        .exclude(Exists(own_permissions))
    )


def user_may_manage(actor, user) -> bool:
    """Whether `actor` may manage `user` (`users_manageable_by`, for one person as stored)."""
    if acts_as_superuser(actor):
        return True
    if user.pk is None:  # not saved yet: no group or permission of its own
        return not user.is_superuser
    return users_manageable_by(actor).filter(pk=user.pk).exists()


def groups_after_change(*, actor, user, chosen) -> list[Group]:
    """The groups `user` ends up in when `actor` submits `chosen`: the grantable ones as chosen,
    every other one as it was."""
    grantable = groups_grantable_by(actor)
    granted = [group for group in chosen if group in grantable]
    if user is None or user.pk is None:
        return granted
    kept = user.groups.exclude(pk__in=grantable.values("pk"))
    return [*granted, *kept]


class UserPermissionPolicy(ModelPermissionPolicy):
    """The model permissions, and: a person is managed only by those who may manage them."""

    def user_has_permission_for_instance(self, user, action, instance):
        return user_may_manage(user, instance) and super().user_has_permission_for_instance(
            user, action, instance
        )

    def instances_user_has_any_permission_for(self, user, actions):
        users = super().instances_user_has_any_permission_for(user, actions)
        return users_manageable_by(user, within=users)


class SuperusersOnlyPermissionPolicy(ModelPermissionPolicy):
    """For groups: whatever permissions a group holds, only superusers edit groups."""

    def user_has_permission(self, user, action):
        return acts_as_superuser(user)

    def users_with_any_permission(self, actions):
        return get_user_model()._default_manager.filter(is_active=True, is_superuser=True)
