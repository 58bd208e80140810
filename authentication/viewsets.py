"""The Wagtail admin's user views with our profile fields (Wagtail 8: a `UserViewSet` subclass,
installed through `authentication.apps.WagtailUsersConfig`)."""

from django.core.exceptions import PermissionDenied
from wagtail.users.views import users as wagtail_users

from .forms import WagtailUserCreationForm, WagtailUserEditForm


class _ForUserMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}


class UserCreateView(_ForUserMixin, wagtail_users.CreateView):
    pass


class UserEditView(_ForUserMixin, wagtail_users.EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Same rule as the API (services._check_may_manage): only a superuser edits a superuser.
        if self.object.is_superuser and not request.user.is_superuser:
            raise PermissionDenied


class UserViewSet(wagtail_users.UserViewSet):
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    create_template_name = "authentication/admin/user_create.html"
    edit_template_name = "authentication/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return WagtailUserEditForm if for_update else WagtailUserCreationForm
