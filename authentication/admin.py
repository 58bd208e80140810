"""Django's admin (/django-admin/) for our user: email is the login, there is no username. The Wagtail
admin is where people are managed day to day; this one is the fallback for staff. Who may manage
whom, and which groups they may grant: `authentication.permissions`."""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from cplatform.admin_site import acts_as_superuser

from .models import GuardianLink, User
from .permissions import groups_after_change, groups_grantable_by, users_manageable_by


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict = {}


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "display_name", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "is_superuser", "groups")
    search_fields = ("email", "first_name", "last_name", "display_name")
    readonly_fields = ("last_login", "date_joined", "avatar")  # avatars only through avatar_set
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {
                "fields": (
                    "first_name",
                    "last_name",
                    "display_name",
                    "avatar",
                    "bio",
                    "timezone",
                    "language",
                    "phone",
                )
            },
        ),
        (
            _("Roles and permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_queryset(self, request):
        # Every view here (change, password, delete, history, the changelist's actions) finds its
        # people through this: only those the requester may manage (`authentication.permissions`).
        return users_manageable_by(request.user, within=super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not acts_as_superuser(request.user):
            fields = (*fields, "is_superuser", "user_permissions")
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["queryset"] = groups_grantable_by(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        if "groups" in form.cleaned_data:
            form.cleaned_data["groups"] = groups_after_change(
                actor=request.user, user=form.instance, chosen=form.cleaned_data["groups"]
            )
        super().save_related(request, form, formsets, change)


@admin.register(GuardianLink)
class GuardianLinkAdmin(admin.ModelAdmin):
    """Read-only here: links are managed in the Wagtail admin, through the services."""

    list_display = ("__str__", "status", "invited_email", "consent_given_at", "created_at")
    list_filter = ("status",)
    search_fields = ("invited_email", "guardian__email", "child__email")
    list_select_related = ("guardian", "child")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
