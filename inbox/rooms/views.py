"""Pages of chat rooms: my rooms (unread counts), a room (history newest at the bottom, "older
messages", a form to write; static/js/rooms.js polls the fragment of new messages), group rooms made,
renamed and deleted by their teachers, members added and removed, leaving. Each calls the same
selectors and services as the API; a room answers its members, and admins (who read and moderate
every room: "All rooms" on the list), and 404 for anyone else."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from authentication.choices import Role
from authentication.forms import apply_domain_error
from authentication.roles import is_admin, role_required
from cplatform.confirm import Confirmation, confirm_page
from cplatform.exceptions import DomainError, NotFound

from ..attachments.forms import AttachmentsField
from ..models import ROOM_MESSAGE_MAX_LENGTH, RoomKind
from . import selectors, services
from .services import ROOM_NAME_MAX_LENGTH

CANDIDATES_SHOWN = 300


class MessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=ROOM_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Write @ and a member's name to mention them."),
    )
    attachments = AttachmentsField()


class RoomNameForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Room name"), max_length=ROOM_NAME_MAX_LENGTH)


class _PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class RoomMembersForm(forms.Form):
    members = _PeopleField(
        label=gettext_lazy("People"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Your students, their parents and other teachers."),
    )

    def __init__(self, *args, user, exclude_room=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = selectors.room_member_candidates_for(user=user).order_by(
            "first_name", "last_name", "pk"
        )
        if exclude_room is not None:
            qs = qs.exclude(room_memberships__room=exclude_room)
        # A choice list, not a search: bounded so an admin's page stays usable.
        self.fields["members"].queryset = qs.filter(
            pk__in=list(qs.values_list("pk", flat=True)[:CANDIDATES_SHOWN])
        ).order_by("first_name", "last_name", "pk")


class RoomCreateForm(RoomNameForm, RoomMembersForm):
    pass


def _room(request, room_id: int):
    return selectors.room_get_for_user(user=request.user, room_id=room_id)


def _room_url(room) -> str:
    return reverse("room-detail", kwargs={"room_id": room.pk})


@role_required()
def room_list(request):
    """My rooms, newest activity first, with unread counts; a teacher's courses without a room yet
    (to open one), and "New room" for teachers and admins. An admin's `?scope=all` lists every
    room (to read and moderate it)."""
    user = request.user
    is_admin_reader = is_admin(user)
    scope = "all" if is_admin_reader and request.GET.get("scope") == "all" else "mine"
    rooms = list(selectors.room_list_for_user(user=user, scope=scope))
    for room in rooms:
        room.title = selectors.room_title(room)
    courses = list(selectors.course_list_without_room_for_teacher(user=user)[:20])
    return render(
        request,
        "inbox/rooms/room_list.html",
        {
            "rooms": rooms,
            "courses_without_room": courses,
            "can_create": selectors.can_create_group_room(user=user),
            "scope": scope,
            "can_list_all": is_admin_reader,
        },
    )


@role_required()
@require_POST
def course_room_open(request, course_id: int):
    """A teacher of the course opens its room (made with its teachers and students)."""
    course = selectors.course_get_taught_by(user=request.user, course_id=course_id)
    room = services.course_room_open(actor=request.user, course=course)
    return redirect(_room_url(room))


def _history_context(request, room, *, before=None, form=None):
    page = selectors.room_history(room=room, before=before)
    room.title = selectors.room_title(room)
    user = request.user
    return {
        "room": room,
        "history": page,
        "form": form or MessageForm(),
        "is_member": selectors.room_is_member(room=room),
        "can_post": selectors.room_is_member(room=room) and selectors.can_post_in(user=user),
        "can_manage": selectors.room_is_manager(user=user, room=room),
        "can_moderate": selectors.room_is_moderator(user=user, room=room),
        "last_id": page.messages[-1].pk if page.messages else 0,
        "older_url": (
            f"{_room_url(room)}?before={page.messages[0].pk}#history"
            if page.has_older and page.messages
            else ""
        ),
    }


def _cursor(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 <= number < 2**63 else None


@role_required()
def room_detail(request, room_id: int):
    """The room: the newest messages (or older ones with `?before=`), newest at the bottom, and the
    form to write. Seeing the newest messages moves the read marker."""
    room = _room(request, room_id)
    before = _cursor(request.GET.get("before"))
    context = _history_context(request, room, before=before)
    if before is None and context["last_id"] and context["is_member"]:
        services.room_mark_read(actor=request.user, room=room, last_read_id=context["last_id"])
    # The badge beside "Chat rooms" (what is unread elsewhere); the live socket keeps it current.
    context["unread_elsewhere"] = selectors.room_unread_total_for_user(user=request.user)
    return render(request, "inbox/rooms/room_detail.html", context)


@role_required()
def room_messages_fragment(request, room_id: int):
    """The messages after `?after=<id>` as an HTML fragment (static/js/rooms.js polls it and appends
    it; the live WebSocket sends the same markup). Moves the read marker over what it returns."""
    room = _room(request, room_id)
    after = _cursor(request.GET.get("after"))
    if after is None:
        raise Http404
    page = selectors.room_history(room=room, after=after, limit=selectors.HISTORY_MAX_PAGE)
    if page.messages and selectors.room_is_member(room=room):
        services.room_mark_read(actor=request.user, room=room, last_read_id=page.messages[-1].pk)
    response = render(
        request,
        "inbox/rooms/includes/messages.html",
        {
            "messages_list": page.messages,
            "room": room,
            "can_moderate": selectors.room_is_moderator(user=request.user, room=room),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@role_required()
@require_POST
def room_post(request, room_id: int):
    room = _room(request, room_id)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.room_message_post(
                actor=request.user,
                room=room,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
            )
        except NotFound:
            raise
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if request.headers.get("X-Requested-With") == "fetch":
                return HttpResponse(status=204)
            return redirect(f"{_room_url(room)}#message-form")
    context = _history_context(request, room, form=form)
    return render(request, "inbox/rooms/room_detail.html", context, status=422)


def _message(request, room_id: int, message_id: int):
    return selectors.room_message_get_for_user(
        user=request.user, room_id=room_id, message_id=message_id
    )


@role_required()
@require_http_methods(["GET", "POST"])
def room_message_edit(request, room_id: int, message_id: int):
    """Its author edits a message."""
    message = _message(request, room_id, message_id)
    if message.author_id != request.user.pk or message.deleted_at is not None:
        raise Http404
    form = MessageForm(request.POST or None, initial={"body": message.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.room_message_edit(
                actor=request.user, message=message, body=form.cleaned_data["body"]
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Your message is changed."))
            return redirect(f"{_room_url(message.room)}#message-{message.pk}")
    message.room.title = selectors.room_title(message.room)
    return render(request, "inbox/rooms/message_edit.html", {"form": form, "message": message})


@role_required()
@require_http_methods(["GET", "POST"])
def room_message_delete(request, room_id: int, message_id: int):
    """GET asks, POST deletes (its author, or the room's teachers)."""
    message = _message(request, room_id, message_id)
    allowed = message.author_id == request.user.pk or selectors.room_is_moderator(
        user=request.user, room=message.room
    )
    if not allowed or message.deleted_at is not None:
        raise Http404
    back = f"{_room_url(message.room)}#history"
    if request.method == "POST":
        services.room_message_delete(actor=request.user, message=message)
        messages.success(request, _("The message is deleted; the room shows “Message deleted”."))
        return redirect(back)
    return confirm_page(
        request,
        Confirmation(
            title=_("Delete this message?"),
            consequences=[
                _("“%(excerpt)s”") % {"excerpt": Truncator(message.body).chars(140)},
                _("Everyone in the room will see “Message deleted” in its place."),
            ],
            confirm_label=_("Delete message"),
            cancel_url=back,
        ),
    )


@role_required(Role.TEACHER, Role.ADMIN)
@require_http_methods(["GET", "POST"])
def room_create(request):
    """A teacher or an admin makes a group room: a name and the people in it."""
    form = RoomCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            room = services.group_room_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                member_ids=[u.pk for u in form.cleaned_data["members"]],
            )
        except DomainError as exc:
            apply_domain_error(form, exc, aliases={"member_ids": "members"})
        else:
            messages.success(request, _("The room is ready."))
            return redirect(_room_url(room))
    return render(request, "inbox/rooms/room_form.html", {"form": form, "room": None})


def _managed(request, room_id: int):
    room = _room(request, room_id)
    if not selectors.room_is_manager(user=request.user, room=room):
        raise Http404
    room.title = selectors.room_title(room)
    return room


@role_required()
@require_http_methods(["GET", "POST"])
def room_edit(request, room_id: int):
    """A group room's teachers rename it."""
    room = _managed(request, room_id)
    form = RoomNameForm(request.POST or None, initial={"name": room.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.group_room_update(
                actor=request.user, room=room, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The room is renamed."))
            return redirect(_room_url(room))
    return render(request, "inbox/rooms/room_form.html", {"form": form, "room": room})


@role_required()
@require_http_methods(["GET", "POST"])
def room_delete(request, room_id: int):
    room = _managed(request, room_id)
    if request.method == "POST":
        services.group_room_delete(actor=request.user, room=room)
        messages.success(request, _("The room “%(name)s” is deleted.") % {"name": room.title})
        return redirect("room-list")
    return confirm_page(
        request,
        Confirmation(
            title=_("Delete the room “%(name)s”?") % {"name": room.title},
            consequences=[
                _("The room and all its messages are removed for every member."),
                _("It cannot be brought back."),
            ],
            confirm_label=_("Delete room"),
            cancel_url=_room_url(room),
        ),
    )


@role_required()
@require_http_methods(["GET", "POST"])
def room_members(request, room_id: int):
    """The room's members; its teachers add people here."""
    room = _room(request, room_id)
    room.title = selectors.room_title(room)
    can_manage = selectors.room_is_manager(user=request.user, room=room)
    form = RoomMembersForm(request.POST or None, user=request.user, exclude_room=room)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            try:
                services.room_members_add(
                    actor=request.user,
                    room=room,
                    member_ids=[u.pk for u in form.cleaned_data["members"]],
                )
            except DomainError as exc:
                apply_domain_error(form, exc, aliases={"member_ids": "members"})
            else:
                messages.success(request, _("The people are added to the room."))
                return redirect("room-members", room_id=room.pk)
    return render(
        request,
        "inbox/rooms/room_members.html",
        {
            "room": room,
            "members": selectors.room_member_list(room=room),
            "can_manage": can_manage,
            "form": form if can_manage else None,
            "is_course_room": room.kind == RoomKind.COURSE,
        },
    )


@role_required()
@require_http_methods(["GET", "POST"])
def room_member_remove(request, room_id: int, user_id: int):
    room = _managed(request, room_id)
    member = selectors.room_member_get(room=room, user_id=user_id)
    if member.user_id == request.user.pk:
        return redirect("room-leave", room_id=room.pk)
    back = reverse("room-members", kwargs={"room_id": room.pk})
    if request.method == "POST":
        services.room_member_remove(actor=request.user, room=room, member=member)
        messages.success(
            request, _("%(name)s is no longer in the room.") % {"name": member.user.name}
        )
        return redirect(back)
    return confirm_page(
        request,
        Confirmation(
            title=_("Remove %(name)s from “%(room)s”?")
            % {"name": member.user.name, "room": room.title},
            consequences=[
                _("They will no longer read or write in the room."),
                _("Their messages stay in the history."),
            ],
            confirm_label=_("Remove"),
            cancel_url=back,
        ),
    )


@role_required()
@require_http_methods(["GET", "POST"])
def room_leave(request, room_id: int):
    room = _room(request, room_id)
    room.title = selectors.room_title(room)
    if room.kind != RoomKind.GROUP or not selectors.room_is_member(room=room):
        raise Http404
    if request.method == "POST":
        services.room_leave(actor=request.user, room=room)
        messages.success(request, _("You left “%(name)s”.") % {"name": room.title})
        return redirect("room-list")
    return confirm_page(
        request,
        Confirmation(
            title=_("Leave “%(name)s”?") % {"name": room.title},
            consequences=[
                _("You will no longer read or write in the room."),
                _("Someone who manages the room can add you again."),
            ],
            confirm_label=_("Leave room"),
            cancel_url=_room_url(room),
        ),
    )
