"""The inbox's safety pages: block (asks first), Blocked people (unblock asks first), report a
message (a form, then a summary to confirm), a guardian's "Children's messages" (read-only) — and
the includes the dm pages show: the consent notice and the guardian notice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from authentication.choices import Role
from authentication.roles import role_required
from cplatform.confirm import Confirmation, confirm_page
from cplatform.exceptions import DomainError

from .forms import ReportForm
from .models import ReportReason
from .selectors import (
    block_get_for_user,
    block_list_for_user,
    blockable_user_get,
    guardian_thread_get,
    guardian_thread_list,
    message_get_for_reporter,
    messaging_hold_for,
    user_block_check,
)
from .services import message_report, user_block, user_unblock


@login_required
@require_GET
def block_list(request):
    return render(
        request,
        "inbox/safety/blocks.html",
        {
            "blocks": block_list_for_user(user=request.user),
            "messaging_hold": messaging_hold_for(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def block_user(request, user_id: int):
    """GET asks (or says why not: an admin neither blocks nor is blocked), POST blocks."""
    target = blockable_user_get(actor=request.user, user_id=user_id)
    refusal = ""
    try:
        if request.method == "POST":
            user_block(actor=request.user, user_id=target.pk)
        else:
            user_block_check(actor=request.user, target=target)
    except DomainError as exc:
        refusal = str(exc.detail)
    else:
        if request.method == "POST":
            messages.success(request, _("%(name)s is blocked.") % {"name": target.name})
            return redirect("inbox-blocks")
    return confirm_page(
        request,
        Confirmation(
            refusal=refusal,
            title=_("Block %(name)s?") % {"name": target.name},
            consequences=[
                _("Neither of you can send the other a message."),
                _("%(name)s is not told.") % {"name": target.name},
                _("You can unblock them at any time from Blocked people."),
            ],
            confirm_label=_("Block"),
            cancel_url=reverse("inbox-blocks"),
            cancel_label=_("Don't block"),
        ),
        status=422 if refusal else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def unblock_user(request, block_id: int):
    block = block_get_for_user(user=request.user, block_id=block_id)
    name = block.blocked.name
    if request.method == "POST":
        user_unblock(actor=request.user, user_id=block.blocked_id)
        messages.success(request, _("%(name)s is unblocked.") % {"name": name})
        return redirect("inbox-blocks")
    return confirm_page(
        request,
        Confirmation(
            title=_("Unblock %(name)s?") % {"name": name},
            consequences=[
                _("You can message each other again, where the inbox's rules allow it."),
                _("%(name)s is not told.") % {"name": name},
            ],
            confirm_label=_("Unblock"),
            cancel_url=reverse("inbox-blocks"),
            cancel_label=_("Keep them blocked"),
            danger=False,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_message_view(request, message_id: int):
    """Step one: the form. Step two (POST without `confirmed`): a summary to confirm. Then the
    report is made (POST with `confirmed`)."""
    message = message_get_for_reporter(user=request.user, message_id=message_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirmed") == "yes":
            try:
                message_report(
                    actor=request.user,
                    message_id=message.pk,
                    reason=form.cleaned_data["reason"],
                    text=form.cleaned_data["text"],
                )
            except DomainError as exc:
                messages.error(request, exc.detail)
            else:
                messages.success(request, _("Thank you. The admins will look at the message soon."))
            return redirect("inbox-report-sent")
        return render(
            request,
            "inbox/safety/report_confirm.html",
            {
                "message": message,
                "form": form,
                "reason_label": ReportReason(form.cleaned_data["reason"]).label,
            },
        )
    return render(request, "inbox/safety/report.html", {"message": message, "form": form})


@login_required
@require_GET
def report_sent(request):
    return render(request, "inbox/safety/report_sent.html")


@role_required(Role.PARENT)
@require_GET
def children_messages(request):
    return render(
        request,
        "inbox/safety/children_messages.html",
        {"threads": guardian_thread_list(guardian=request.user)},
    )


@role_required(Role.PARENT)
@require_GET
def child_thread(request, thread_id: int):
    thread = guardian_thread_get(guardian=request.user, thread_id=thread_id)
    return render(request, "inbox/safety/child_thread.html", {"thread": thread})
