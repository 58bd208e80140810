"""Matrix rows: direct messages. Student A wrote to their teacher (`message_id`, the thread's first
message, so also `thread_id`) and the teacher replied. Only the two of them reach it (A is an
adult: no guardian reads it); everyone else, admins included, meets a 404 as for a missing id."""

from tests.api.matrix.base import ALL_SIGNED_IN, SIGNED_IN, Call, expect

# The thread between student A and the teacher: the two people in it, nobody else.
IN_THREAD = {
    "anonymous": 401,
    **dict.fromkeys(SIGNED_IN, 404),
    "student_a": 200,
    "teacher": 200,
}
MESSAGE = {"message_id": "message_id"}

ROWS: dict[str, Call] = {
    # Writing to the teacher: their student (A), a co-taught course's student (B, in the decoy
    # course the teacher co-teaches) and both parents of those, the other teacher and admins may;
    # the teacher themself, and the editor and moderator (no link) get 422 recipient_not_allowed.
    "POST /api/v1/messages": Call(
        expect(
            {"anonymous": 401, **dict.fromkeys(SIGNED_IN, 201)},
            teacher=422,
            editor=422,
            moderator=422,
        ),
        json=lambda w: {
            "recipient_id": w.users["teacher"].pk,
            "subject": "Thursday",
            "body": "Could we move to 5 pm?",
        },
    ),
    "GET /api/v1/messages": Call({"anonymous": 401, **ALL_SIGNED_IN}),
    "GET /api/v1/messages/partners": Call({"anonymous": 401, **ALL_SIGNED_IN}),
    "GET /api/v1/messages/unread-count": Call({"anonymous": 401, **ALL_SIGNED_IN}),
    "GET /api/v1/messages/{message_id}": Call(IN_THREAD, path_params=MESSAGE),
    "GET /api/v1/threads/{thread_id}": Call(IN_THREAD, path_params={"thread_id": "message_id"}),
    "POST /api/v1/messages/{message_id}/reply": Call(
        expect(IN_THREAD, student_a=201, teacher=201),
        path_params=MESSAGE,
        json={"body": "See you then."},
    ),
    "POST /api/v1/messages/{message_id}/archive": Call(IN_THREAD, path_params=MESSAGE),
    "POST /api/v1/messages/{message_id}/unarchive": Call(IN_THREAD, path_params=MESSAGE),
    "DELETE /api/v1/messages/{message_id}": Call(
        expect(IN_THREAD, student_a=204, teacher=204), path_params=MESSAGE
    ),
    "POST /api/v1/messages/{message_id}/restore": Call(IN_THREAD, path_params=MESSAGE),
    "POST /api/v1/messages/{message_id}/read": Call(IN_THREAD, path_params=MESSAGE),
}


def build(world) -> None:
    """Student A's message to the teacher (its id collides with the other types' decoys) and the
    teacher's reply."""
    from inbox.messaging.services import message_reply, message_send

    student, teacher = world.users["student_a"], world.users["teacher"]
    first = world.make(
        "message_id",
        "message",
        lambda: message_send(
            sender=student, recipient_id=teacher.pk, subject="Homework", body="Is it due Friday?"
        ),
    )
    message_reply(sender=teacher, message_id=first.pk, body="Yes, on Friday.")
