"""Wagtail admin for guardian links: admins see every link and invitation, link a guardian and a child
directly, and end links. Writes go through `authentication.services`; consent is the guardian's alone.
(The user views live in `viewsets.py`, installed by `apps.WagtailUsersConfig`; who may manage whom,
and who edits groups: `permissions.py`, whose policies are registered here.)"""

import django_filters
from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import DateColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from cplatform.admin_views import PrivateSnippetChooserViewSet
from cplatform.exceptions import DomainError

from .choices import GuardianLinkStatus
from .forms import apply_domain_error
from .models import GuardianLink, User
from .permissions import SuperusersOnlyPermissionPolicy, UserPermissionPolicy
from .services import guardian_link_admin_create, guardian_link_admin_end
from .viewsets import UserAssignRoleBulkAction, UserDeleteBulkAction, UserSetActiveStateBulkAction

register_permission_policy(User, UserPermissionPolicy(User))
register_permission_policy(Group, SuperusersOnlyPermissionPolicy(Group))

# Registered after Wagtail's own (a higher order): ours replace them for the users listing.
for _action in (UserAssignRoleBulkAction, UserDeleteBulkAction, UserSetActiveStateBulkAction):
    hooks.register("register_bulk_action", _action, order=1)


class GuardianLinkPermissionPolicy(ModelPermissionPolicy):
    """Links are ended, never deleted: the history (and who consented when) stays."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "delete"])


register_permission_policy(GuardianLink, GuardianLinkPermissionPolicy(GuardianLink))


class GuardianLinkAdminForm(WagtailAdminModelForm):
    """New link: pick the guardian and the child. Existing link: only `status` may change, to "removed"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["guardian"].required = True
            self.fields["child"].required = True
            self.fields.pop("status", None)
            return
        for name in ("guardian", "child"):
            if name in self.fields:
                self.fields[name].disabled = True
        if "status" in self.fields:
            current = self.instance.status
            choices = [(current, GuardianLinkStatus(current).label)]
            if current in (GuardianLinkStatus.PENDING, GuardianLinkStatus.ACTIVE):
                choices.append((GuardianLinkStatus.REMOVED, GuardianLinkStatus.REMOVED.label))
            self.fields["status"] = forms.ChoiceField(
                label=gettext_lazy("Status"), choices=choices, initial=current
            )


class _ServiceFormMixin:
    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as exc:
            apply_domain_error(form, exc)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class GuardianLinkCreateView(_ServiceFormMixin, CreateView):
    def save_instance(self):
        return guardian_link_admin_create(
            actor=self.request.user,
            guardian=self.form.cleaned_data["guardian"],
            child=self.form.cleaned_data["child"],
        )


class GuardianLinkEditView(_ServiceFormMixin, EditView):
    def save_instance(self):
        if "status" in self.form.changed_data and (
            self.form.cleaned_data["status"] == GuardianLinkStatus.REMOVED
        ):
            return guardian_link_admin_end(actor=self.request.user, link=self.object)
        return GuardianLink.objects.get(pk=self.object.pk)


class GuardianLinkFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        choices=GuardianLinkStatus.choices, empty_label=gettext_lazy("Any")
    )

    class Meta:
        model = GuardianLink
        fields = ["status"]


class GuardianLinkViewSet(SnippetViewSet):
    model = GuardianLink
    icon = "group"
    menu_label = gettext_lazy("Guardian links")
    menu_order = 610
    add_to_admin_menu = True
    add_view_class = GuardianLinkCreateView
    edit_view_class = GuardianLinkEditView
    copy_view_enabled = False
    inspect_view_enabled = True
    # Its rows are families' (emails of children and parents): no chooser for every admin user.
    chooser_viewset_class = PrivateSnippetChooserViewSet
    filterset_class = GuardianLinkFilterSet
    search_fields = ["invited_email", "guardian__email", "child__email"]
    search_backend_name = None
    list_display = [
        "__str__",
        "guardian",
        "child",
        "invited_email",
        "status",
        DateColumn("consent_given_at", label=gettext_lazy("Consent given")),
        DateColumn("created_at", label=gettext_lazy("Created")),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("guardian"),
            FieldPanel("child"),
            FieldPanel("status"),
            MultiFieldPanel(
                [
                    FieldPanel("invited_email", read_only=True),
                    FieldPanel("initiated_by", read_only=True),
                    FieldPanel("created_at", read_only=True),
                    FieldPanel("responded_at", read_only=True),
                    FieldPanel("consent_given_at", read_only=True),
                    FieldPanel("consent_given_by", read_only=True),
                ],
                heading=gettext_lazy("History"),
            ),
        ],
        base_form_class=GuardianLinkAdminForm,
    )

    def get_queryset(self, request):
        return GuardianLink.objects.select_related(
            "guardian", "child", "initiated_by", "consent_given_by"
        ).order_by("-created_at", "-pk")


register_snippet(GuardianLinkViewSet)
