"""Wagtail admin for the classroom: teacher profiles (review and approval, also from the users list)
and the lookups teachers pick from (subjects, levels, teaching languages); read-only look-ups of
lessons, group sessions and availability (`admin_viewsets.py`). Admin-role users manage them;
approval and edits go through `classroom.services`."""

import django_filters
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, DateColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button, ListingButton
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from authentication.choices import Role
from authentication.forms import apply_domain_error
from authentication.roles import is_admin
from catalog.models import Level, Subject, TeachingLanguage
from cplatform.exceptions import DomainError
from cplatform.models import OutboundEmail

from .admin_viewsets import OutboundEmailViewSet, ScheduleViewSetGroup
from .models import AvailabilityException, AvailabilityRule, Lesson, TeacherProfile
from .services import (
    TEACHER_FIELDS,
    TEACHER_LOOKUPS,
    teacher_profile_approve,
    teacher_profile_update,
)

APPROVE_ACTION = "classroom.teacher_profile.approve"
WITHDRAW_ACTION = "classroom.teacher_profile.withdraw"


class AdminRolePermissionPolicy(ModelPermissionPolicy):
    """Model permissions as usual, plus everything (but `denied_actions`) for active Admin-role users:
    roles.py stays the one place that says who is an admin."""

    def __init__(self, model, denied_actions=()):
        super().__init__(model)
        self.denied_actions = frozenset(denied_actions)

    def user_has_permission(self, user, action):
        if action in self.denied_actions:
            return False
        if user.is_active and is_admin(user):
            return True
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        actions = [a for a in actions if a not in self.denied_actions]
        if not actions:
            return get_user_model().objects.none()
        admins = Q(is_active=True) & (Q(is_superuser=True) | Q(groups__name=Role.ADMIN))
        with_perm = Q(pk__in=super().users_with_any_permission(actions).values("pk"))
        return get_user_model().objects.filter(admins | with_perm).distinct()


# Teacher profiles come with the Teacher role and leave with the account: admins review and edit them,
# they do not add or delete them here.
register_permission_policy(
    TeacherProfile, AdminRolePermissionPolicy(TeacherProfile, denied_actions={"add", "delete"})
)
for _lookup_model in (Subject, Level, TeachingLanguage):
    register_permission_policy(_lookup_model, AdminRolePermissionPolicy(_lookup_model))
# Looked up, never written here: lessons change through the booking and teaching services.
for _record_model in (Lesson, AvailabilityRule, AvailabilityException):
    register_permission_policy(
        _record_model,
        AdminRolePermissionPolicy(_record_model, denied_actions={"add", "change", "delete"}),
    )


@hooks.register("register_admin_viewset")
def register_schedule_lookups():
    return ScheduleViewSetGroup()


# The email outbox (cplatform.mail): looked up, never written here.
register_permission_policy(
    OutboundEmail,
    AdminRolePermissionPolicy(OutboundEmail, denied_actions={"add", "change", "delete"}),
)


@hooks.register("register_admin_viewset")
def register_outbound_email_lookup():
    return OutboundEmailViewSet()


@hooks.register("register_log_actions")
def register_classroom_log_actions(actions):
    actions.register_action(
        APPROVE_ACTION,
        gettext_lazy("Approve teacher profile"),
        gettext_lazy("Teacher profile approved"),
    )
    actions.register_action(
        WITHDRAW_ACTION,
        gettext_lazy("Withdraw teacher approval"),
        gettext_lazy("Teacher profile approval withdrawn"),
    )


class TeacherProfileFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        empty_label=gettext_lazy("Any"),
        choices=[
            ("pending", gettext_lazy("Pending approval (public, not approved)")),
            ("listed", gettext_lazy("Listed (public and approved)")),
            ("not_approved", gettext_lazy("Not approved")),
            ("hidden", gettext_lazy("Not public")),
        ],
        method="filter_status",
    )

    class Meta:
        model = TeacherProfile
        fields = ["is_approved", "is_public", "subjects"]

    def filter_status(self, queryset, name, value):
        conditions = {
            "pending": Q(is_public=True, is_approved=False),
            "listed": Q(is_public=True, is_approved=True),
            "not_approved": Q(is_approved=False),
            "hidden": Q(is_public=False),
        }
        return queryset.filter(conditions[value]) if value in conditions else queryset


def _approval_button(profile, url_namespace: str, next_url: str, button_class=Button):
    url = (
        reverse(f"{url_namespace}:approve", args=[profile.pk]) + "?" + urlencode({"next": next_url})
    )
    if profile.is_approved:
        return button_class(_("Withdraw approval"), url=url, icon_name="cross", priority=5)
    return button_class(_("Approve"), url=url, icon_name="check", priority=5)


# --- the users list: teachers waiting for approval, and their Approve button --------------------
# (hooks of authentication/viewsets.py; approving goes through the profile's approve view above)

WAITING_FOR_APPROVAL = Q(is_public=True, is_approved=False)


@hooks.register("construct_user_listing_queryset")
def annotate_teacher_approval(queryset, request):
    profiles = TeacherProfile.objects.filter(user=OuterRef("pk"))
    return queryset.annotate(
        teacher_profile_pk=Subquery(profiles.values("pk")[:1]),
        teacher_waiting=Subquery(
            profiles.annotate(waiting=WAITING_FOR_APPROVAL).values("waiting")[:1]
        ),
    )


class TeacherApprovalFilter(django_filters.ChoiceFilter):
    def __init__(self, **kwargs):
        super().__init__(
            label=gettext_lazy("Teachers"),
            empty_label=gettext_lazy("Any"),
            choices=[
                ("waiting", gettext_lazy("Waiting for approval")),
                ("approved", gettext_lazy("Approved")),
            ],
            method=self.filter_approval,
            **kwargs,
        )

    def filter_approval(self, queryset, name, value):
        condition = {"waiting": WAITING_FOR_APPROVAL, "approved": Q(is_approved=True)}.get(value)
        if condition is None:
            return queryset
        return queryset.filter(pk__in=TeacherProfile.objects.filter(condition).values("user_id"))


@hooks.register("register_user_listing_filters")
def add_teacher_approval_filter(filterset):
    filterset.filters["teacher_approval"] = TeacherApprovalFilter()
    filterset.filters.move_to_end("teacher_approval", last=False)


@hooks.register("register_user_listing_buttons")
def teacher_approve_button(user, request_user):
    if not getattr(user, "teacher_waiting", False):
        return []
    if not policy_registry.get_by_type(TeacherProfile).user_has_permission(request_user, "change"):
        return []
    profile = TeacherProfile(pk=user.teacher_profile_pk, is_approved=False)
    namespace = TeacherProfile.snippet_viewset.url_namespace  # set by register_snippet
    return [
        _approval_button(profile, namespace, reverse("wagtailusers_users:index"), ListingButton)
    ]


class TeacherProfileIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.user_has_permission("change"):
            namespace = self.index_url_name.rsplit(":", 1)[0]
            buttons.append(_approval_button(instance, namespace, self.request.get_full_path()))
        return buttons


class TeacherProfileEditView(EditView):
    """Saves through `teacher_profile_update`, so an admin's edit obeys the same rules as the teacher's."""

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        namespace = self.index_url_name.rsplit(":", 1)[0]
        buttons.append(_approval_button(self.object, namespace, self.request.path))
        return buttons

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as exc:
            apply_domain_error(form, exc)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)

    def save_instance(self):
        data = {
            name: self.form.cleaned_data[name]
            for name in TEACHER_FIELDS
            if name in self.form.cleaned_data
        }
        for name, (_model, code_field) in TEACHER_LOOKUPS.items():
            if name in self.form.cleaned_data:
                data[name] = [getattr(obj, code_field) for obj in self.form.cleaned_data[name]]
        profile = teacher_profile_update(user=self.object.user, data=data, actor=self.request.user)
        log(instance=profile, action="wagtail.edit", user=self.request.user)
        return profile


class TeacherProfileApproveView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Confirm, then approve a teacher profile or withdraw its approval (`teacher_profile_approve`)."""

    # `model` is what PermissionCheckedMixin checks "change" against: without it, it checks nothing.
    model = TeacherProfile
    permission_required = "change"
    template_name = "classroom/admin/teacher_profile_approve.html"
    page_title = gettext_lazy("Teacher approval")
    header_icon = "user"
    index_url_name = None
    edit_url_name = None

    def setup(self, request, *args, pk, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(TeacherProfile.objects.select_related("user"), pk=pk)

    def get_page_subtitle(self):
        return str(self.object)

    def get_next_url(self):
        return get_valid_next_url_from_request(self.request) or reverse(self.index_url_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "object": self.object,
                "next_url": self.get_next_url(),
                "edit_url": reverse(self.edit_url_name, args=[self.object.pk]),
                "public_url": self.object.get_absolute_url(),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        approve = request.POST.get("approved") == "true"
        try:
            profile = teacher_profile_approve(
                profile=self.object, approved=approve, actor=request.user
            )
        except DomainError as exc:
            messages.error(request, exc.detail)
            return redirect(self.get_next_url())
        log(
            instance=profile,
            action=APPROVE_ACTION if approve else WITHDRAW_ACTION,
            user=request.user,
        )
        if approve:
            messages.success(request, _("%(name)s is approved.") % {"name": profile})
        else:
            messages.success(request, _("Approval of %(name)s withdrawn.") % {"name": profile})
        return redirect(self.get_next_url())


class TeacherProfileViewSet(SnippetViewSet):
    model = TeacherProfile
    icon = "user"
    menu_label = gettext_lazy("Teacher profiles")
    menu_order = 100
    index_view_class = TeacherProfileIndexView
    edit_view_class = TeacherProfileEditView
    approve_view_class = TeacherProfileApproveView
    copy_view_enabled = False
    inspect_view_enabled = True
    filterset_class = TeacherProfileFilterSet
    search_fields = [
        "headline",
        "user__email",
        "user__first_name",
        "user__last_name",
        "user__display_name",
    ]
    search_backend_name = None
    list_display = [
        "__str__",
        "user__email",
        "headline",
        BooleanColumn("is_public", label=gettext_lazy("Public")),
        BooleanColumn("is_approved", label=gettext_lazy("Approved")),
        DateColumn("approved_at", label=gettext_lazy("Approved at")),
    ]
    panels = [
        FieldPanel("user", read_only=True),
        MultiFieldPanel(
            [FieldPanel("is_approved", read_only=True), FieldPanel("approved_at", read_only=True)],
            heading=gettext_lazy("Approval (use the Approve action)"),
        ),
        FieldPanel("headline"),
        FieldPanel("bio"),
        FieldPanel("translations"),
        FieldPanel("subjects"),
        FieldPanel("levels"),
        FieldPanel("languages"),
        MultiFieldPanel(
            [FieldPanel("hourly_rate"), FieldPanel("currency")], heading=gettext_lazy("Price")
        ),
        MultiFieldPanel(
            [FieldPanel("teaches_online"), FieldPanel("teaches_in_person"), FieldPanel("location")],
            heading=gettext_lazy("Lesson formats"),
        ),
        FieldPanel("teaching_preferences"),
        FieldPanel("is_public"),
    ]

    def get_queryset(self, request):
        return TeacherProfile.objects.select_related("user").order_by("is_approved", "-updated_at")

    @property
    def approve_view(self):
        return self.construct_view(
            self.approve_view_class,
            index_url_name=self.get_url_name("list"),
            edit_url_name=self.get_url_name("edit"),
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("approve/<int:pk>/", self.approve_view, name="approve"),
        ]


class SubjectViewSet(SnippetViewSet):
    model = Subject
    icon = "tag"
    menu_label = gettext_lazy("Subjects")
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    search_backend_name = None
    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("translations")]


class LevelViewSet(SnippetViewSet):
    model = Level
    icon = "order"
    menu_label = gettext_lazy("Levels")
    list_display = ["name", "code", "position"]
    search_fields = ["name", "code"]
    search_backend_name = None
    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("position"),
        FieldPanel("translations"),
    ]


class TeachingLanguageViewSet(SnippetViewSet):
    model = TeachingLanguage
    icon = "globe"
    menu_label = gettext_lazy("Teaching languages")
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    search_backend_name = None
    panels = [FieldPanel("name"), FieldPanel("code"), FieldPanel("translations")]


class ClassroomViewSetGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Classroom")
    menu_icon = "group"
    menu_order = 250
    items = (TeacherProfileViewSet, SubjectViewSet, LevelViewSet, TeachingLanguageViewSet)


register_snippet(ClassroomViewSetGroup)
