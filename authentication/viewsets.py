"""The Wagtail admin's user views with our profile fields (Wagtail 8: a `UserViewSet` subclass,
installed through `authentication.apps.WagtailUsersConfig`), and its bulk actions. Who may act on
whom: `authentication.permissions`."""

from django.core.exceptions import PermissionDenied
from wagtail.admin.views.generic.usage import UsageView
from wagtail.users.views import users as wagtail_users
from wagtail.users.views.bulk_actions import AssignRoleBulkAction, SetActiveStateBulkAction

from .forms import WagtailUserCreationForm, WagtailUserEditForm
from .permissions import groups_grantable_by, user_may_manage


class _ForUserMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}


class _ManagedUserMixin:
    """Views of one user: only a superuser opens a superuser's (same rule as the API's
    `services._check_may_manage`)."""

    def get_object(self, *args, **kwargs):
        user = super().get_object(*args, **kwargs)
        if not user_may_manage(self.request.user, user):
            raise PermissionDenied
        return user


class UserIndexView(wagtail_users.IndexView):
    """Superusers are listed to everyone who manages people, linked only for superusers."""

    def get_edit_url(self, instance):
        if user_may_manage(self.request.user, instance):
            return super().get_edit_url(instance)
        return None


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
    """(De)activate only people the requester may manage: never a superuser, unless one asks."""

    def check_perm(self, obj):
        return super().check_perm(obj) and user_may_manage(self.request.user, obj)
