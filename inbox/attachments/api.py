"""Attachments in the API: the multipart twins of sending a direct message, replying and posting
in a room (the JSON operations stay as they are; these take the same fields as form parts plus up
to three `attachments` file parts), and the download. Each calls the same service as its JSON
twin; the files are checked by inbox/attachments/validators.py before anything is written."""

from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from authentication.api_auth import auth_for
from cplatform.api_base import errors
from cplatform.api_http import location

from ..messaging import selectors as message_selectors
from ..messaging import services as message_services
from ..messaging.schemas import MessageIn, MessageOut, ReplyIn
from ..rooms import selectors as room_selectors
from ..rooms import services as room_services
from ..rooms.schemas import RoomMessageIn, RoomMessageOut
from .selectors import attachment_get_for_user
from .views import attachment_file_response

router = Router(tags=["attachments"])

FILES_DOC = (
    " Files: up to 3 `attachments` parts of at most 10 MB each, PDF, PNG, JPEG, WebP, plain "
    "text, Word, Excel or PowerPoint, recognised by their content (a name that says another type "
    "is refused). 422 `too_many_files`, `file_too_large` or `invalid_file_type` on `attachments`; "
    "a refused request leaves no message and no file."
)


@router.post(
    "/messages/with-attachments",
    response={201: MessageOut, **errors(400, 401, 403, 422)},
    auth=auth_for(),
    description="`POST /messages` as `multipart/form-data`, with files." + FILES_DOC,
    tags=["messages"],
)
@location("api:retrieve_message", message_id="id")
def send_message_with_attachments(
    request, payload: Form[MessageIn], attachments: File[list[UploadedFile]] = None
):
    message = message_services.message_send(
        sender=request.auth,
        recipient_id=payload.recipient_id,
        subject=payload.subject,
        body=payload.body,
        attachments=attachments or [],
    )
    return Status(201, message_selectors.message_get_for(user=request.auth, message_id=message.pk))


@router.post(
    "/messages/{message_id}/reply/with-attachments",
    response={201: MessageOut, **errors(400, 401, 403, 404, 422)},
    auth=auth_for(),
    description="`POST /messages/{message_id}/reply` as `multipart/form-data`, with files."
    + FILES_DOC,
    tags=["messages"],
)
@location("api:retrieve_message", message_id="id")
def reply_to_message_with_attachments(
    request, message_id: int, payload: Form[ReplyIn], attachments: File[list[UploadedFile]] = None
):
    message = message_services.message_reply(
        sender=request.auth,
        message_id=message_id,
        body=payload.body,
        attachments=attachments or [],
    )
    return Status(201, message_selectors.message_get_for(user=request.auth, message_id=message.pk))


@router.post(
    "/rooms/{room_id}/messages/with-attachments",
    response={201: RoomMessageOut, **errors(400, 401, 403, 404, 422)},
    auth=auth_for(),
    description="`POST /rooms/{room_id}/messages` as `multipart/form-data`, with files."
    + FILES_DOC,
    tags=["rooms"],
)
@location("api:retrieve_room_message", room_id="room_id", message_id="id")
def post_room_message_with_attachments(
    request,
    room_id: int,
    payload: Form[RoomMessageIn],
    attachments: File[list[UploadedFile]] = None,
):
    room = room_selectors.room_get_for_user(user=request.auth, room_id=room_id)
    message = room_services.room_message_post(
        actor=request.auth, room=room, body=payload.body, attachments=attachments or []
    )
    return Status(
        201,
        room_selectors.room_message_get_for_user(
            user=request.auth, room_id=room_id, message_id=message.pk
        ),
    )


@router.get(
    "/attachments/{attachment_id}",
    response={200: None, **errors(401, 404)},
    auth=auth_for(),
    url_name="download_attachment",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file (images and PDFs inline, anything else as a download).",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def download_attachment(request, attachment_id: int):
    """A file sent with a message, for whoever may read that message: its sender and recipient
    (and, for a teacher's thread with a student under 16, the student's guardians), or the members
    of its room while the message is not deleted. Anyone else: 404, as a missing id."""
    attachment = attachment_get_for_user(user=request.auth, attachment_id=attachment_id)
    return attachment_file_response(attachment)
