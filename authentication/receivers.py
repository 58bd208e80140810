from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from .middleware import login_failure_record


@receiver(user_login_failed)
def count_failed_login(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    identifier = credentials.get("email") or credentials.get("username") or credentials.get("login") or ""
    login_failure_record(request=request, identifier=str(identifier))


ADMIN_APPS = ("authentication", "classroom", "courses", "auth")


@receiver(post_migrate)
def grant_admin_role_permissions(sender, app_config=None, using="default", **kwargs):
    """The Admin role may enter the Wagtail admin and manage people; kept in step after each migrate."""
    if app_config is None or app_config.label not in {*ADMIN_APPS, "wagtailadmin"}:
        return
    from django.contrib.auth.models import Group, Permission

    from .choices import Role

    group, _created = Group.objects.using(using).get_or_create(name=Role.ADMIN)
    perms = Permission.objects.using(using).filter(
        content_type__app_label__in=ADMIN_APPS
    ) | Permission.objects.using(using).filter(content_type__app_label="wagtailadmin", codename="access_admin")
    group.permissions.add(*perms)
