"""Django's admin site (/django-admin/), installed in place of `django.contrib.admin` by `AdminConfig`.

Staff who are not superusers (the Admin role) use the registrations of `STAFF_APPS`: our own
ModelAdmins, which check model permissions and hide superusers. Every other registration comes
from a package (dj-stripe, allauth, django-q2, postman, taggit, Wagtail, Django's groups and
sites) and answers to superusers alone, whatever permissions a group holds: those packages' own
views do not all check model permissions (dj-stripe's actions, which cancel subscriptions and
sync with Stripe, and taggit's tag merge check only `is_staff`), and editing a group is granting
its rights.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.core.exceptions import PermissionDenied
from django.db.models.base import ModelBase
from django.urls import URLPattern

STAFF_APPS = frozenset({"authentication", "courses"})

# dj-stripe registers 41 tables, which buried everything else on the index and in the sidebar. There
# the app shows only the tables ops open first; its own page (/django-admin/djstripe/, the app's
# link) still lists every one, and every URL stays as it was.
FOLDED_APPS = {
    "djstripe": ("customer", "subscription", "invoice", "charge", "event", "webhookendpoint"),
}


def acts_as_superuser(user) -> bool:
    """Whether `user` holds a superuser's rights: an active superuser (a deactivated one holds none).
    The one test of it for both admin sites and the API (`authentication.permissions` asks it too)."""
    return bool(user is not None and user.is_active and user.is_superuser)


def _superusers_only(pattern):
    if not isinstance(pattern, URLPattern):
        return pattern
    view = pattern.callback

    @wraps(view)
    def superusers_only(request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and request.user.is_staff
            and not acts_as_superuser(request.user)
        ):
            raise PermissionDenied
        return view(request, *args, **kwargs)  # others: the site's own login redirect

    return URLPattern(pattern.pattern, superusers_only, pattern.default_args, pattern.name)


class SuperusersOnlyAdminMixin:
    """Every view of the ModelAdmin, its own included, answers to superusers only."""

    def has_module_permission(self, request):
        return acts_as_superuser(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return acts_as_superuser(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args, **kwargs):
        return acts_as_superuser(request.user) and super().has_add_permission(
            request, *args, **kwargs
        )

    def has_change_permission(self, request, obj=None):
        return acts_as_superuser(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return acts_as_superuser(request.user) and super().has_delete_permission(request, obj)

    def get_urls(self):
        return [_superusers_only(pattern) for pattern in super().get_urls()]


class AdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        models = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        )
        for model in models:
            model_admin = admin_class or admin.ModelAdmin
            if model._meta.app_label not in STAFF_APPS:
                model_admin = type(model_admin)(
                    model_admin.__name__,
                    (SuperusersOnlyAdminMixin, model_admin),
                    {"__module__": model_admin.__module__},
                )
            super().register(model, model_admin, **options)

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps  # an app's own page: all its tables
        for app in apps:
            shown = FOLDED_APPS.get(app["app_label"])
            if shown is None:
                continue
            folded = [m for m in app["models"] if m["object_name"].lower() in shown]
            app["folded_count"] = len(app["models"]) - len(folded)
            app["models"] = folded
        return apps


class AdminConfig(DjangoAdminConfig):
    default_site = "cplatform.admin_site.AdminSite"
