"""Direct messages: send, list a folder, read a message or a thread, reply, archive, delete to the
trash and restore, mark read, whom I may write to, and the unread count. Operations parse, call one
selector or service, answer; the rule of who may write to whom is inbox/rules.py."""

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from authentication.api_auth import auth_for
from authentication.schemas import PersonBrief
from cplatform.api_base import LimitOffset, errors, sort_enum, sort_field, sorted_by
from cplatform.api_http import location

from . import selectors, services
from .schemas import (
    MessageFilter,
    MessageIn,
    MessageOut,
    ReplyIn,
    ThreadOut,
    UnreadCountOut,
)

router = Router(tags=["messages"])

MessageSort = sort_enum("MessageSort", {"sent": ("sent_at",)})
PartnerSort = sort_enum("PartnerSort", {"name": ("first_name", "last_name", "display_name")})


class MessageListFilter(MessageFilter):
    sort: MessageSort = sort_field(MessageSort, "-sent")


class PartnerFilter(Schema):
    sort: PartnerSort = sort_field(PartnerSort, "name")


@router.post(
    "/messages",
    response={201: MessageOut, **errors(400, 401, 403, 422)},
    auth=auth_for(),
)
@location("api:retrieve_message", message_id="id")
def send_message(request, payload: MessageIn):
    """Send a direct message to one person you may write to (`GET /messages/partners`): a student
    and their teachers, a parent and their children's teachers, teachers among themselves, admins
    and anyone. Anyone else, and an id that names nobody, answer alike: 422
    `recipient_not_allowed`. A student under 16 without a guardian's consent: 403
    `guardian_consent_required` (the message says what to do)."""
    message = services.message_send(
        sender=request.auth,
        recipient_id=payload.recipient_id,
        subject=payload.subject,
        body=payload.body,
    )
    return Status(201, selectors.message_get_for(user=request.auth, message_id=message.pk))


@router.get("/messages", response={200: list[MessageOut], **errors(401, 422)}, auth=auth_for())
@paginate(LimitOffset)
def list_messages(request, filters: Query[MessageListFilter]):
    """One of your folders, message by message: `inbox` (received), `sent`, `archive`, `trash`."""
    qs = selectors.message_list_for(user=request.auth, folder=filters.folder)
    return sorted_by(qs, filters.sort)


@router.get(
    "/messages/partners", response={200: list[PersonBrief], **errors(401, 422)}, auth=auth_for()
)
@paginate(LimitOffset)
def list_message_partners(request, filters: Query[PartnerFilter]):
    """Everyone you may write to, by name (never an email address)."""
    return sorted_by(selectors.message_partners_for(user=request.auth), filters.sort)


@router.get(
    "/messages/unread-count", response={200: UnreadCountOut, **errors(401)}, auth=auth_for()
)
def count_unread_messages(request):
    """How many messages in your inbox you have not opened."""
    return {"unread": selectors.unread_count_for(user=request.auth)}


@router.get(
    "/messages/{message_id}", response={200: MessageOut, **errors(401, 404)}, auth=auth_for()
)
def retrieve_message(request, message_id: int):
    """A message you sent or received, or one of your child's (under 16) threads with a teacher.
    Anyone else's answers 404, as a missing one."""
    return selectors.message_get_for(user=request.auth, message_id=message_id)


@router.get("/threads/{thread_id}", response={200: ThreadOut, **errors(401, 404)}, auth=auth_for())
def retrieve_thread(request, thread_id: int):
    """A conversation, oldest message first (`thread_id` is its first message's id)."""
    return selectors.thread_get_for(user=request.auth, thread_id=thread_id)


@router.post(
    "/messages/{message_id}/reply",
    response={201: MessageOut, **errors(400, 401, 403, 404, 422)},
    auth=auth_for(),
)
@location("api:retrieve_message", message_id="id")
def reply_to_message(request, message_id: int, payload: ReplyIn):
    """Reply to the other person of the message's thread (the same rule as a first message: a block
    since then answers 422 `recipient_not_allowed`). A guardian who only reads the thread: 403."""
    message = services.message_reply(sender=request.auth, message_id=message_id, body=payload.body)
    return Status(201, selectors.message_get_for(user=request.auth, message_id=message.pk))


def _answer(request, message):
    return selectors.message_get_for(user=request.auth, message_id=message.pk)


@router.post(
    "/messages/{message_id}/archive",
    response={200: MessageOut, **errors(401, 403, 404)},
    auth=auth_for(),
)
def archive_message(request, message_id: int):
    """Move the message to your archive (the other person's copy stays where it is)."""
    return _answer(request, services.message_archive(user=request.auth, message_id=message_id))


@router.post(
    "/messages/{message_id}/unarchive",
    response={200: MessageOut, **errors(401, 403, 404)},
    auth=auth_for(),
)
def unarchive_message(request, message_id: int):
    """Move the message back from your archive."""
    return _answer(request, services.message_unarchive(user=request.auth, message_id=message_id))


@router.delete(
    "/messages/{message_id}", response={204: None, **errors(401, 403, 404)}, auth=auth_for()
)
def delete_message(request, message_id: int):
    """Move the message to your trash (restore it with `POST /messages/{id}/restore`). One already
    in your trash answers 404."""
    services.message_delete(user=request.auth, message_id=message_id)
    return Status(204, None)


@router.post(
    "/messages/{message_id}/restore",
    response={200: MessageOut, **errors(401, 403, 404)},
    auth=auth_for(),
)
def restore_message(request, message_id: int):
    """Take the message out of your trash."""
    return _answer(request, services.message_restore(user=request.auth, message_id=message_id))


@router.post(
    "/messages/{message_id}/read",
    response={200: MessageOut, **errors(401, 403, 404)},
    auth=auth_for(),
)
def mark_message_read(request, message_id: int):
    """Mark a message you received read (a sent one keeps the recipient's mark)."""
    return _answer(request, services.message_mark_read(user=request.auth, message_id=message_id))
