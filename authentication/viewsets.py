"""The Wagtail admin's user views with our profile fields (Wagtail 8: a `UserViewSet` subclass,
installed through `authentication.apps.WagtailUsersConfig`), and its bulk actions. Who may act on
whom: `authentication.permissions`.

The listing shows each person's roles. Apps above this one add to it without being imported here,
through two hooks of ours (classroom adds "teachers waiting for approval" and an Approve button):
`construct_user_listing_queryset(queryset, request)` returns the listing's queryset with what its
filters and buttons read (annotations, so no query per row), and
`register_user_listing_filters(filterset)` adds filters (`filterset.filters[name] = Filter`).
Wagtail's own `register_user_listing_buttons` adds the buttons."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.usage import UsageView
from wagtail.users.views import users as wagtail_users
from wagtail.users.views.bulk_actions import (
    AssignRoleBulkAction,
    DeleteBulkAction,
    SetActiveStateBulkAction,
)

from .choices import Role
from .forms import WagtailUserCreationForm, WagtailUserEditForm
from .permissions import groups_grantable_by, user_may_manage, users_manageable_by


class _ForUserMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}


class _ManagedUserMixin:
    """Views of one user (edit, delete, history, usage): only for those who may manage them
    (`permissions.user_may_manage`, as the API's `services._check_may_manage`)."""

    def get_object(self, *args, **kwargs):
        user = super().get_object(*args, **kwargs)
        if not user_may_manage(self.request.user, user):
            raise PermissionDenied
        return user


class UserFilterSet(wagtail_users.UserFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for extend in hooks.get_hooks("register_user_listing_filters"):
            extend(self)
        for filter_ in self.filters.values():
            filter_.parent = self


def _roles(user) -> str:
    labels = dict(Role.choices)
    return ", ".join(str(labels[g.name]) for g in user.role_groups)


class UserIndexView(wagtail_users.IndexView):
    """Everyone is listed to those who manage people (support work); the edit and delete links
    only for the people the requester may manage, read in the listing's own query. A column shows
    each person's roles."""

    def get_base_queryset(self):
        manageable = users_manageable_by(self.request.user).filter(pk=OuterRef("pk"))
        queryset = (
            super()
            .get_base_queryset()
            .annotate(manageable=Exists(manageable))
            .prefetch_related(
                Prefetch(
                    "groups",
                    queryset=Group.objects.filter(name__in=Role.values).order_by("name"),
                    to_attr="role_groups",
                )
            )
        )
        for construct in hooks.get_hooks("construct_user_listing_queryset"):
            queryset = construct(queryset, self.request)
        return queryset

    @cached_property
    def columns(self):
        columns = list(super().columns)
        roles = Column("roles", label=gettext_lazy("Roles"), accessor=_roles, width="15%")
        columns.insert(2, roles)  # after the checkbox and the name
        return columns

    def _may_manage(self, instance) -> bool:
        manageable = getattr(instance, "manageable", None)
        if manageable is None:
            return user_may_manage(self.request.user, instance)
        return manageable

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if self._may_manage(instance) else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if self._may_manage(instance) else None


class UserCreateView(_ForUserMixin, wagtail_users.CreateView):
    pass


class UserEditView(_ManagedUserMixin, _ForUserMixin, wagtail_users.EditView):
    pass


class UserDeleteView(_ManagedUserMixin, wagtail_users.DeleteView):
    pass


class UserHistoryView(_ManagedUserMixin, wagtail_users.HistoryView):
    pass


class UserUsageView(_ManagedUserMixin, UsageView):
    pass


class UserViewSet(wagtail_users.UserViewSet):
    index_view_class = UserIndexView
    filterset_class = UserFilterSet
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView
    history_view_class = UserHistoryView
    usage_view_class = UserUsageView
    # Wagtail's generic copy view saves onto the copied user: copying the superuser overwrote
    # their email and password (issue 8). A person is not a template to copy.
    copy_view_enabled = False
    create_template_name = "authentication/admin/user_create.html"
    edit_template_name = "authentication/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return WagtailUserEditForm if for_update else WagtailUserCreationForm


# --- bulk actions on the users listing (registered in wagtail_hooks.py, after Wagtail's own) ---


class UserAssignRoleBulkAction(AssignRoleBulkAction):
    """Assign a group the requester may grant, to people they may manage."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["role"].queryset = groups_grantable_by(self.request.user)
        return form

    def check_perm(self, obj):
        return super().check_perm(obj) and user_may_manage(self.request.user, obj)


class UserSetActiveStateBulkAction(SetActiveStateBulkAction):
    """(De)activate only people the requester may manage."""

    def check_perm(self, obj):
        return super().check_perm(obj) and user_may_manage(self.request.user, obj)


class UserDeleteBulkAction(DeleteBulkAction):
    """Delete only people the requester may manage (Wagtail's own spares only superusers)."""

    def check_perm(self, obj):
        return super().check_perm(obj) and user_may_manage(self.request.user, obj)
