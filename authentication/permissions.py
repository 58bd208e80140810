"""Who may manage whom in the two admin sites (Wagtail's at /admin/, Django's at /django-admin/).

- Only a superuser manages a superuser: opens their pages (edit, history, usage), copies, deletes,
  deactivates them or changes their groups. The API holds the same rule
  (`services._check_may_manage`).
- Editing a group is granting its permissions, so only superusers add, edit or delete groups.
- Anyone else who manages people (the Admin role) grants and takes away only the platform's roles
  (Student, Teacher, Parent, Admin). Any other group (Editors, Moderators, one a superuser made)
  only a superuser changes: an admin's form keeps a person's other groups as they were, so
  nobody gives themselves, or an account they made, rights they do not hold.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from wagtail.permission_policies import ModelPermissionPolicy

from .choices import Role


def _is_superuser(user) -> bool:
    return bool(user is not None and user.is_active and user.is_superuser)


def user_may_manage(actor, user) -> bool:
    """Whether `actor` may act on `user` at all (a superuser only by a superuser)."""
    return _is_superuser(actor) or not user.is_superuser


def groups_grantable_by(actor) -> QuerySet[Group]:
    """The groups `actor` may give or take away: every group for a superuser, else the roles."""
    if _is_superuser(actor):
        return Group.objects.all()
    return Group.objects.filter(name__in=Role.values)


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
    """The model permissions, and: a superuser is only managed by a superuser."""

    def user_has_permission_for_instance(self, user, action, instance):
        return user_may_manage(user, instance) and super().user_has_permission_for_instance(
            user, action, instance
        )

    def instances_user_has_any_permission_for(self, user, actions):
        users = super().instances_user_has_any_permission_for(user, actions)
        return users if _is_superuser(user) else users.filter(is_superuser=False)


class SuperusersOnlyPermissionPolicy(ModelPermissionPolicy):
    """For groups: whatever permissions a group holds, only superusers edit groups."""

    def user_has_permission(self, user, action):
        return _is_superuser(user)

    def users_with_any_permission(self, actions):
        return get_user_model()._default_manager.filter(is_active=True, is_superuser=True)
