"""The inbox's pages: the folders, a thread with its reply form, a new message, and archive /
delete (asked first) / restore. Thin views over the same selectors and services as the API; postman's
own views are not mounted, so its pages offer no way around the rule."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from authentication.forms import apply_domain_error
from authentication.roles import role_required
from cplatform.confirm import Confirmation, confirm_page
from cplatform.exceptions import DomainError

from ..safety.selectors import messaging_hold_for
from . import selectors, services
from .choices import MessageFolder
from .forms import MessageForm, ReplyForm

PAGE_SIZE = 25
FOLDER_ROUTES = {
    MessageFolder.INBOX: "messages-inbox",
    MessageFolder.SENT: "messages-sent",
    MessageFolder.ARCHIVE: "messages-archive",
    MessageFolder.TRASH: "messages-trash",
}


def _folders(current: str) -> list[dict]:
    return [
        {"label": folder.label, "url": reverse(route), "current": folder == current}
        for folder, route in FOLDER_ROUTES.items()
    ]


def _folder_page(request, folder: MessageFolder):
    user = request.user
    page = Paginator(selectors.message_list_for(user=user, folder=folder), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "folder": folder,
        "folders": _folders(folder),
        "page": page,
        "unread": selectors.unread_count_for(user=user),
        "messaging_hold": messaging_hold_for(user=user),
    }
    if folder == MessageFolder.INBOX:
        context["children_threads"] = list(selectors.guardian_thread_list_for(user=user)[:20])
    return render(request, "inbox/message_list.html", context)


@role_required()
def inbox(request):
    return _folder_page(request, MessageFolder.INBOX)


@role_required()
def sent(request):
    return _folder_page(request, MessageFolder.SENT)


@role_required()
def archive(request):
    return _folder_page(request, MessageFolder.ARCHIVE)


@role_required()
def trash(request):
    return _folder_page(request, MessageFolder.TRASH)


@require_http_methods(["GET", "POST"])
@role_required()
def message_new(request):
    """Write to one of the people `message_partners_for` offers (`?to=<user id>` preselects)."""
    partners = list(selectors.message_partners_for(user=request.user))
    if request.method == "POST":
        form = MessageForm(request.POST, request.FILES, partners=partners)
        if form.is_valid():
            try:
                message = services.message_send(
                    sender=request.user,
                    recipient_id=form.cleaned_data["recipient"],
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    attachments=form.cleaned_data["attachments"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc, aliases={"recipient_id": "recipient"})
            else:
                messages.success(request, _("Your message was sent."))
                return redirect("message-thread", thread_id=message.pk)
    else:
        initial = {}
        to = request.GET.get("to", "")
        if to.isdigit() and any(p.pk == int(to) for p in partners):
            initial["recipient"] = int(to)
        form = MessageForm(initial=initial, partners=partners)
    return render(
        request,
        "inbox/message_new.html",
        {
            "form": form,
            "partners": partners,
            "folders": _folders(""),
            "messaging_hold": messaging_hold_for(user=request.user),
        },
    )


def _thread_context(request, thread, form=None):
    return {
        "thread": thread,
        "form": form or ReplyForm(),
        "folders": _folders(""),
        "can_reply": not thread.read_as_guardian,
    }


@role_required()
def thread_detail(request, thread_id: int):
    """A conversation; opening it marks what the reader received read."""
    thread = selectors.thread_get_for(user=request.user, thread_id=thread_id)
    if not thread.read_as_guardian:
        services.thread_mark_read(user=request.user, thread_id=thread.id)
    return render(request, "inbox/thread.html", _thread_context(request, thread))


@require_POST
@role_required()
def message_reply(request, message_id: int):
    message = selectors.message_get_for(user=request.user, message_id=message_id)
    thread_id = selectors.thread_root_id(message)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.message_reply(
                sender=request.user,
                message_id=message_id,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Your reply was sent."))
            return redirect("message-thread", thread_id=thread_id)
    thread = selectors.thread_get_for(user=request.user, thread_id=thread_id)
    return render(request, "inbox/thread.html", _thread_context(request, thread, form), status=422)


def _confirmed_action(request, message_id, *, confirmation, service, done, back_route):
    message = selectors.message_get_for(user=request.user, message_id=message_id)
    if request.method == "GET":
        return confirm_page(request, confirmation(message))
    try:
        service(user=request.user, message_id=message_id)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("message-thread", thread_id=selectors.thread_root_id(message))
    messages.success(request, done)
    return redirect(back_route)


@require_http_methods(["GET", "POST"])
@role_required()
def message_archive(request, message_id: int):
    """Asks first, then moves the message to the reader's archive."""
    return _confirmed_action(
        request,
        message_id,
        confirmation=lambda m: Confirmation(
            title=_("Archive “%(subject)s”?") % {"subject": m.subject},
            consequences=[
                _("It leaves your inbox and waits in your archive; you can move it back."),
                _("The other person keeps their copy."),
            ],
            confirm_label=_("Archive"),
            cancel_url=reverse("message-thread", args=[selectors.thread_root_id(m)]),
            cancel_label=_("Keep it in the inbox"),
            danger=False,
        ),
        service=services.message_archive,
        done=_("The message is in your archive."),
        back_route="messages-inbox",
    )


@require_http_methods(["GET", "POST"])
@role_required()
def message_delete(request, message_id: int):
    """Asks first, then moves the message to the reader's trash."""
    return _confirmed_action(
        request,
        message_id,
        confirmation=lambda m: Confirmation(
            title=_("Delete “%(subject)s”?") % {"subject": m.subject},
            consequences=[
                _("It moves to your trash, from where you can still restore it."),
                _("The other person keeps their copy."),
            ],
            confirm_label=_("Delete"),
            cancel_url=reverse("message-thread", args=[selectors.thread_root_id(m)]),
            cancel_label=_("Keep it"),
        ),
        service=services.message_delete,
        done=_("The message is in your trash."),
        back_route="messages-inbox",
    )


def _undo(request, message_id, service, done, back_route):
    selectors.message_get_for(user=request.user, message_id=message_id)  # others: 404
    try:
        service(user=request.user, message_id=message_id)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, done)
    return redirect(back_route)


@require_POST
@role_required()
def message_unarchive(request, message_id: int):
    return _undo(
        request,
        message_id,
        services.message_unarchive,
        _("The message is back in your inbox."),
        "messages-archive",
    )


@require_POST
@role_required()
def message_restore(request, message_id: int):
    return _undo(
        request,
        message_id,
        services.message_restore,
        _("The message was restored."),
        "messages-trash",
    )
