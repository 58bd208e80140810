"""Matrix rows: files of messages. The multipart twins of sending, replying and posting in a room
answer as their JSON twins; a direct message's file (student A's to the teacher) reaches the two of
them only, a room message's file the room's members only; everyone else meets a 404 as for a
missing id."""

from tests.api.matrix.base import SIGNED_IN, Call, expect
from tests.api.matrix.messages import IN_THREAD
from tests.api.matrix.rooms import MEMBERS

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("notes.pdf", PDF, content_type="application/pdf")


ROWS: dict[str, Call] = {
    "POST /api/v1/messages/with-attachments": Call(
        expect(
            {"anonymous": 401, **dict.fromkeys(SIGNED_IN, 201)},
            teacher=422,
            editor=422,
            moderator=422,
        ),
        multipart=lambda w: {
            "recipient_id": w.users["teacher"].pk,
            "subject": "Thursday",
            "body": "My notes.",
            "attachments": [_pdf()],
        },
    ),
    "POST /api/v1/messages/{message_id}/reply/with-attachments": Call(
        expect(IN_THREAD, student_a=201, teacher=201),
        path_params={"message_id": "message_id"},
        multipart=lambda w: {"body": "Here.", "attachments": [_pdf()]},
    ),
    "POST /api/v1/rooms/{room_id}/messages/with-attachments": Call(
        expect(MEMBERS, student_a=201, teacher=201),
        path_params={"room_id": "room_id"},
        multipart=lambda w: {"body": "Notes", "attachments": [_pdf()]},
    ),
    "GET /api/v1/attachments/{attachment_id}": Call(
        IN_THREAD, path_params={"attachment_id": "attachment_id"}
    ),
    "GET /api/v1/attachments/{attachment_id} #room": Call(
        MEMBERS, path_params={"attachment_id": "room_attachment_id"}
    ),
}


def build(world) -> None:
    """A file on student A's message to the teacher, and one on student A's message in the course
    room (after the messages and rooms areas built theirs)."""
    from inbox.messaging.services import message_send
    from inbox.models import Room
    from inbox.rooms.services import room_message_post

    student, teacher = world.users["student_a"], world.users["teacher"]
    world.make(
        "attachment_id",
        "attachment",
        lambda: message_send(
            sender=student,
            recipient_id=teacher.pk,
            subject="Notes",
            body="Attached.",
            attachments=[_pdf()],
        ).attachments.get(),
    )
    room = Room.objects.get(pk=world.room_id)
    world.make(
        "room_attachment_id",
        "attachment",
        lambda: room_message_post(
            actor=student, room=room, body="Attached.", attachments=[_pdf()]
        ).attachments.get(),
    )


# Issue 13's leftovers: admins read every room (its files too) but write only where they are members.
for _key, _status in {
    "POST /api/v1/rooms/{room_id}/messages/with-attachments": 403,
    "GET /api/v1/attachments/{attachment_id} #room": 200,
}.items():
    ROWS[_key].expect = expect(ROWS[_key].expect, admin=_status, superuser=_status)
