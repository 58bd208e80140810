"""The notification pages: the feed (newest first, mark one or all read) and the settings."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from authentication.choices import Role
from authentication.roles import has_role, role_required
from cplatform.exceptions import ValidationFailed

from . import selectors, services
from .forms import NotificationSettingsForm

FEED_PAGE_SIZE = 20


@role_required()
@require_GET
def notification_feed(request):
    qs = selectors.notification_list_for_user(user=request.user)
    page = Paginator(qs, FEED_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(n, services.render_text(n)) for n in page.object_list]
    return render(
        request,
        "inbox/notifications/feed.html",
        {"page": page, "rows": rows, "unread": selectors.unread_count(user=request.user)},
    )


@role_required()
@require_GET
def notification_open(request, notification_id: int):
    """Opening a notification marks it read and goes where it points (the feed when nowhere)."""
    notification = selectors.notification_get_for_user(
        user=request.user, notification_id=notification_id
    )
    services.notification_open(notification=notification)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect("inbox:notifications")
    return redirect(services.localized_path(target, get_language()))


@role_required()
@require_POST
def notification_read(request, notification_id: int):
    notification = selectors.notification_get_for_user(
        user=request.user, notification_id=notification_id
    )
    services.notifications_mark_read(user=request.user, ids=[notification.pk])
    return redirect("inbox:notifications")


@role_required()
@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_read(user=request.user, every=True)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("inbox:notifications")


@role_required()
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    is_parent = has_role(request.user, Role.PARENT)
    found = selectors.notification_settings_for(user=request.user)
    form = NotificationSettingsForm(
        request.POST or None,
        is_parent=is_parent,
        initial=NotificationSettingsForm.initial_from(found),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.notification_settings_replace(
                user=request.user,
                channels=form.channels(),
                daily_digest=data["daily_digest"],
                quiet_start=data["quiet_start"],
                quiet_end=data["quiet_end"],
                children_lesson_changes=data.get(
                    "children_lesson_changes", found["children_lesson_changes"]
                ),
            )
        except ValidationFailed as exc:
            for field, errors in exc.errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("inbox:notification-settings")
    return render(
        request,
        "inbox/notifications/settings.html",
        {"form": form, "tz_name": request.user.timezone},
    )
