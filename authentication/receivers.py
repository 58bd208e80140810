from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import m2m_changed, post_migrate
from django.dispatch import receiver

from .choices import Role
from .login_limits import login_attempt_failed
from .models import User
from .services import user_roles_changed


@receiver(user_login_failed)
def count_failed_login(sender, credentials, request=None, **kwargs):
    login_attempt_failed(request=request)


_CLEARED = "_cplatform_cleared"


@receiver(m2m_changed, sender=User.groups.through)
def role_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Roles are groups, and groups change from many places (services, both admin sites, Wagtail's
    bulk "assign role"): whichever it was, `user_roles_changed` keeps the consequences in step."""
    if action not in ("pre_clear", "post_clear", "post_add", "post_remove"):
        return
    if reverse:  # group.user_set.add(...): `instance` is a Group, `pk_set` holds user ids
        if instance.name not in Role.values:
            return
        if action == "pre_clear":
            setattr(instance, _CLEARED, set(instance.user_set.values_list("pk", flat=True)))
            return
        user_ids = getattr(instance, _CLEARED, set()) if action == "post_clear" else pk_set
        granted = {instance.name} if action == "post_add" else set()
        revoked = set() if action == "post_add" else {instance.name}
        for user in User.objects.filter(pk__in=user_ids or []):
            user_roles_changed(user=user, granted=granted, revoked=revoked)
        return
    if action == "pre_clear":
        names = set(instance.groups.filter(name__in=Role.values).values_list("name", flat=True))
        setattr(instance, _CLEARED, names)
        return
    if action == "post_clear":
        names = getattr(instance, _CLEARED, set())
    else:
        names = set(
            Group.objects.filter(pk__in=pk_set or [], name__in=Role.values).values_list(
                "name", flat=True
            )
        )
    if not names:
        return
    if action == "post_add":
        user_roles_changed(user=instance, granted=names, revoked=set())
    else:
        user_roles_changed(user=instance, granted=set(), revoked=names)


ADMIN_APPS = ("authentication", "classroom", "courses")


@receiver(post_migrate)
def grant_admin_role_permissions(sender, app_config=None, using="default", **kwargs):
    """The Admin role may enter the Wagtail admin and manage people; kept in step after each migrate.
    No permission on groups or permissions ("auth"): editing a group is granting its rights, which
    only superusers do (`authentication.permissions`); earlier databases gave them, so they go."""
    if app_config is None or app_config.label not in {*ADMIN_APPS, "auth", "wagtailadmin"}:
        return
    from django.contrib.auth.models import Permission

    group, _created = Group.objects.using(using).get_or_create(name=Role.ADMIN)
    perms = Permission.objects.using(using).filter(
        content_type__app_label__in=ADMIN_APPS
    ) | Permission.objects.using(using).filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    group.permissions.add(*perms)
    group.permissions.remove(
        *Permission.objects.using(using).filter(content_type__app_label="auth")
    )
