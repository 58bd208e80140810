"""Matrix rows: blocks and reports of direct messages (inbox/safety).

The World's objects: a direct message from the teacher to student A (`reported_message_id`), student
A's report of it (`report_id`) and student A's block of the other teacher (`block_id`). Student A
is an adult: their parent does not read their threads."""

from tests.api.matrix.base import ADMINS, SIGNED_IN, Call, expect

ANON = {"anonymous": 401}
NOT_FOUND = {**ANON, **dict.fromkeys(SIGNED_IN, 404)}
SIGNED_IN_200 = {**ANON, **dict.fromkeys(SIGNED_IN, 200)}

ROWS: dict[str, Call] = {
    "GET /api/v1/blocks": Call(SIGNED_IN_200),
    # Blocking the teacher: whoever may write to them (their students, those students' parents,
    # fellow teachers, admins); the teacher themself, and people with no role, meet an unknown id.
    "POST /api/v1/blocks": Call(
        expect(
            NOT_FOUND,
            student_a=201,  # their teacher
            student_b=201,  # enrolled in a course the teacher co-teaches (the decoys')
            parent_of_a=201,  # their child's teacher
            second_parent=201,  # student B's parent
            other_teacher=201,  # a fellow teacher
            admin=201,
            superuser=201,
        ),
        json=lambda w: {"user_id": w.users["teacher"].pk},
    ),
    "GET /api/v1/blocks/{block_id}": Call(
        expect(NOT_FOUND, student_a=200), path_params={"block_id": "block_id"}
    ),
    "DELETE /api/v1/blocks/{block_id}": Call(
        expect(NOT_FOUND, student_a=204), path_params={"block_id": "block_id"}
    ),
    # Only a reader who is not the sender: the recipient (the parent of an adult reads nothing of
    # it; admins handle reports in the admin, they do not read people's messages here).
    "POST /api/v1/messages/{message_id}/report": Call(
        expect(NOT_FOUND, student_a=201),
        path_params={"message_id": "reported_message_id"},
        json={"reason": "harassment", "text": "Not kind"},
    ),
    "GET /api/v1/reports": Call(SIGNED_IN_200),
    "GET /api/v1/reports/{report_id}": Call(
        expect(NOT_FOUND, student_a=200, **dict.fromkeys(ADMINS, 200)),
        path_params={"report_id": "report_id"},
    ),
}


def build(world) -> None:
    from inbox.models import UserBlock
    from inbox.safety.models import MessageReport
    from tests.inbox.safety_people import write

    student, teacher = world.users["student_a"], world.users["teacher"]
    message = world.make("reported_message_id", "message", lambda: write(teacher, student, "Hm"))
    # A second, reported message: the first stays reportable (one open report per message).
    reported = write(teacher, student, "Not kind")
    world.make(
        "report_id",
        "report",
        lambda: MessageReport.objects.create(
            message=reported, reporter=student, reason="harassment"
        ),
    )
    assert message.pk != reported.pk
    world.make(
        "block_id",
        "block",
        lambda: UserBlock.objects.create(blocker=student, blocked=world.users["other_teacher"]),
    )


# Issue 13's leftovers: an admin's block is refused (422 admin_cannot_block): they may write to
# anyone, and a report's actions are their way.
ROWS["POST /api/v1/blocks"].expect = expect(
    ROWS["POST /api/v1/blocks"].expect, admin=422, superuser=422
)
