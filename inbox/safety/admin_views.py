"""The moderation queue in the Wagtail admin ("Reported messages", Admin role only): the open
reports newest first with counts per status, a report's page with the reported message in its
whole thread, and the admins' actions, each asking first (its GET is the question, its POST does
it) and recorded on the report (who, when, what and a note) through inbox/safety/services.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSet

from authentication.admin_menu import AdminsOnlyViewSet
from authentication.roles import is_admin
from cplatform.admin_confirm import AdminConfirmMixin, AdminObjectMixin

from .models import REPORT_NOTE_MAX_LENGTH, MessageReport, MessagingSuspension, ReportStatus
from .selectors import (
    report_get_for_admin,
    report_list_for_user,
    report_queue_counts,
    suspension_get_for_admin,
    suspension_list_for_admin,
    thread_messages,
)
from .services import (
    messaging_suspension_lift,
    report_block_sender,
    report_dismiss,
    report_remove_message,
    report_suspend_sender,
)

QUEUE_PAGE_SIZE = 100


class _AdminsOnly(PermissionCheckedMixin):
    """Admin-role users only: `AdminRolePermissionPolicy` (registered for MessageReport in
    wagtail_hooks.py) gives them "change"; no group permission grants it to anyone else."""

    model = MessageReport
    permission_required = "change"
    url_namespace = None
    is_queue = False

    def may_enter(self, user) -> bool:
        return is_admin(user)

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if not self.is_queue:
            items.append(
                {"url": reverse(f"{self.url_namespace}:index"), "label": _("Reported messages")}
            )
        label = self.get_page_title()
        return [*items, {"url": "", "label": label, "sublabel": self.get_page_subtitle()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs_items"] = self.get_breadcrumbs_items()
        return context


class ReportIndexView(_AdminsOnly, WagtailAdminTemplateMixin, TemplateView):
    template_name = "inbox/admin/report_index.html"
    page_title = gettext_lazy("Reported messages")
    is_queue = True
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", ReportStatus.OPEN)
        if status not in ReportStatus.values:
            status = ReportStatus.OPEN
        reports = report_list_for_user(user=self.request.user, status=status)[:QUEUE_PAGE_SIZE]
        context.update(
            {
                "reports": reports,
                "status": status,
                "statuses": ReportStatus.choices,
                "counts": report_queue_counts(),
                "suspension_count": suspension_list_for_admin(actor=self.request.user).count(),
                "url_namespace": self.url_namespace,
            }
        )
        return context


class _ReportView(AdminObjectMixin, _AdminsOnly, WagtailAdminTemplateMixin, TemplateView):
    """Permission first (`may_enter`'s 403), then the report: an admin gets 404 for a missing one."""

    header_icon = "warning"

    def get_object(self):
        return report_get_for_admin(actor=self.request.user, report_id=self.pk)

    def get_page_subtitle(self):
        return _("Report %(id)s") % {"id": self.object.pk}


class ReportDetailView(_ReportView):
    template_name = "inbox/admin/report_detail.html"
    page_title = gettext_lazy("Reported message")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        context.update(
            {
                "report": report,
                "thread": thread_messages(message=report.message),
                "actions": [
                    (name, action.label, reverse(f"{self.url_namespace}:{name}", args=[report.pk]))
                    for name, action in ACTIONS.items()
                ],
                "index_url": reverse(f"{self.url_namespace}:index"),
            }
        )
        return context


class _Action:
    def __init__(self, *, label, question, consequences, button, service, done):
        self.label, self.question, self.consequences = label, question, consequences
        self.button, self.service, self.done = button, service, done


ACTIONS: dict[str, _Action] = {
    "dismiss": _Action(
        label=gettext_lazy("Dismiss"),
        question=gettext_lazy("Dismiss this report?"),
        consequences=[
            gettext_lazy("The message stays as it is and nobody is blocked or suspended."),
            gettext_lazy("The report leaves the open queue; your note is kept with it."),
        ],
        button=gettext_lazy("Dismiss the report"),
        service=report_dismiss,
        done=gettext_lazy("Report dismissed."),
    ),
    "remove": _Action(
        label=gettext_lazy("Remove the message"),
        question=gettext_lazy("Remove this message?"),
        consequences=[
            gettext_lazy("The message disappears for its sender and its recipient."),
            gettext_lazy("Its text is kept with this report as a record."),
        ],
        button=gettext_lazy("Remove the message"),
        service=report_remove_message,
        done=gettext_lazy("Message removed."),
    ),
    "block": _Action(
        label=gettext_lazy("Block the sender for the reporter"),
        question=gettext_lazy("Block the sender from messaging the reporter?"),
        consequences=[
            gettext_lazy("Neither can message the other any more; the sender is not told."),
            gettext_lazy("The reporter can lift the block from their Blocked people page."),
        ],
        button=gettext_lazy("Block the sender"),
        service=report_block_sender,
        done=gettext_lazy("The sender can no longer message the reporter."),
    ),
    "suspend": _Action(
        label=gettext_lazy("Suspend the sender's messaging"),
        question=gettext_lazy("Suspend the sender's messaging?"),
        consequences=[
            gettext_lazy("The sender can write only to admins until an admin lifts it."),
            gettext_lazy("Messages already sent stay as they are."),
        ],
        button=gettext_lazy("Suspend messaging"),
        service=report_suspend_sender,
        done=gettext_lazy("The sender's messaging is suspended."),
    ),
}


class ReportActionView(AdminConfirmMixin, _ReportView):
    """GET: the question (what will happen) with a note field; POST: does it. A refusal (the sender
    is an admin, the message is gone…) is an error message on the report's page."""

    template_name = "inbox/admin/report_action.html"
    action_name = ""
    back_to_object = True

    @property
    def action(self) -> _Action:
        return ACTIONS[self.action_name]

    def get_page_title(self):
        return str(self.action.question)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "report": self.object,
                "action": self.action,
                "note_max_length": REPORT_NOTE_MAX_LENGTH,
            }
        )
        return context

    def act(self):
        note = self.request.POST.get("note", "")[:REPORT_NOTE_MAX_LENGTH]
        self.action.service(actor=self.request.user, report_id=self.object.pk, note=note)

    def get_success_message(self):
        return str(self.action.done)

    def refused(self, exc):
        messages.error(self.request, exc.detail)
        return redirect(self.get_back_url())


# --- messaging suspensions ---------------------------------------------------------------------


QUEUE_NAMESPACE = "reported_messages"


class SuspensionIndexView(_AdminsOnly, WagtailAdminTemplateMixin, TemplateView):
    """The current messaging suspensions (who, since when, by whom, the report behind it), each with
    "Lift suspension"; reached from the moderation queue."""

    model = MessagingSuspension
    template_name = "inbox/admin/suspension_index.html"
    page_title = gettext_lazy("Messaging suspensions")
    header_icon = "warning"
    is_queue = True  # its own index: no "Reported messages" crumb pointing at itself

    def dispatch(self, request, *args, **kwargs):
        if not is_admin(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["suspensions"] = suspension_list_for_admin(actor=self.request.user)[
            :QUEUE_PAGE_SIZE
        ]
        context["url_namespace"] = self.url_namespace
        context["queue_namespace"] = QUEUE_NAMESPACE
        return context


class SuspensionLiftView(AdminConfirmMixin, AdminObjectMixin, SuspensionIndexView):
    """GET asks (what will happen), POST lifts, recording who and when."""

    template_name = "inbox/admin/suspension_lift.html"
    page_title = gettext_lazy("Lift this suspension?")
    # The service's one refusal (not an admin) is `may_enter`'s 403 already; a lift with nothing
    # left to lift changes nothing.
    refusals = ()

    def get_object(self):
        return suspension_get_for_admin(actor=self.request.user, suspension_id=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["suspension"] = self.object
        return context

    def act(self):
        messaging_suspension_lift(actor=self.request.user, user_id=self.object.user_id)

    def get_success_message(self):
        return _("%(name)s may write to others again.") % {"name": self.object.user.name}


class ReportViewSet(AdminsOnlyViewSet):
    model = MessageReport
    name = "reported_messages"
    icon = "warning"
    menu_label = gettext_lazy("Reported messages")
    menu_order = 250
    add_to_admin_menu = True

    def get_urlpatterns(self):
        common = {"url_namespace": self.url_namespace}
        patterns = [
            path("", ReportIndexView.as_view(**common), name="index"),
            path("<int:pk>/", ReportDetailView.as_view(**common), name="detail"),
        ]
        for name in ACTIONS:
            view = type(f"Report{name.title()}View", (ReportActionView,), {"action_name": name})
            patterns.append(path(f"<int:pk>/{name}/", view.as_view(**common), name=name))
        return patterns


class SuspensionViewSet(ViewSet):
    """Messaging suspensions (admins only), linked from the moderation queue; no menu item."""

    model = MessagingSuspension
    name = "messaging_suspensions"
    icon = "warning"
    add_to_admin_menu = False

    def get_urlpatterns(self):
        common = {"url_namespace": self.url_namespace}
        return [
            path("", SuspensionIndexView.as_view(**common), name="index"),
            path("<int:pk>/lift/", SuspensionLiftView.as_view(**common), name="lift"),
        ]
