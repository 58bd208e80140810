"""Matrix rows: chat rooms. A room answers its members only: anyone else, admins included, gets the
same 404 as for a missing id. The World's rooms: the teacher's course room (the teacher and student
A, who wrote a message in it) and a group room the teacher made with student A."""

from tests.api.matrix.base import ALL_SIGNED_IN, SIGNED_IN, Call, expect

NOT_A_MEMBER = {"anonymous": 401, **dict.fromkeys(SIGNED_IN, 404)}
MEMBERS = expect(NOT_A_MEMBER, student_a=200, teacher=200)
COURSE_ROOM = {"room_id": "room_id"}
GROUP_ROOM = {"room_id": "group_room_id"}
MESSAGE = {"room_id": "room_id", "message_id": "room_message_id"}
ROLE_REFUSED = {"anonymous": 401, **dict.fromkeys(SIGNED_IN, 403)}

ROWS: dict[str, Call] = {
    "GET /api/v1/rooms": Call({"anonymous": 401, **ALL_SIGNED_IN}),
    "GET /api/v1/rooms/{room_id}": Call(MEMBERS, path_params=COURSE_ROOM),
    # Teachers and admins make group rooms (here with the teacher, whom every teacher and admin
    # may write to; a teacher naming themself is simply in it).
    "POST /api/v1/rooms": Call(
        expect(ROLE_REFUSED, teacher=201, other_teacher=201, admin=201, superuser=201),
        json=lambda w: {"name": "Study group", "member_ids": [w.users["teacher"].pk]},
    ),
    # The group room's teacher changes it; student A is a member who sees it but does not manage it.
    "PATCH /api/v1/rooms/{room_id}": Call(
        expect(MEMBERS, student_a=403), path_params=GROUP_ROOM, json={"name": "Debate club"}
    ),
    "DELETE /api/v1/rooms/{room_id}": Call(
        expect(MEMBERS, student_a=403, teacher=204), path_params=GROUP_ROOM
    ),
    "GET /api/v1/rooms/{room_id}/members": Call(MEMBERS, path_params=COURSE_ROOM),
    # The teacher adds student A's parent (a teacher may write to their students' parents).
    "POST /api/v1/rooms/{room_id}/members": Call(
        expect(MEMBERS, student_a=403),
        path_params=GROUP_ROOM,
        json=lambda w: {"member_ids": [w.users["parent_of_a"].pk]},
    ),
    # The teacher removes student A; student A removes themself (leaving).
    "DELETE /api/v1/rooms/{room_id}/members/{user_id}": Call(
        expect(MEMBERS, student_a=204, teacher=204),
        path_params={**GROUP_ROOM, "user_id": "student_a_id"},
    ),
    "GET /api/v1/rooms/{room_id}/messages": Call(MEMBERS, path_params=COURSE_ROOM),
    "POST /api/v1/rooms/{room_id}/messages": Call(
        expect(MEMBERS, student_a=201, teacher=201),
        path_params=COURSE_ROOM,
        json={"body": "See you on Monday"},
    ),
    "GET /api/v1/rooms/{room_id}/messages/{message_id}": Call(MEMBERS, path_params=MESSAGE),
    # Student A's message: A edits it; the teacher may delete it, not rewrite it.
    "PATCH /api/v1/rooms/{room_id}/messages/{message_id}": Call(
        expect(MEMBERS, teacher=403), path_params=MESSAGE, json={"body": "Hello, everyone"}
    ),
    "DELETE /api/v1/rooms/{room_id}/messages/{message_id}": Call(
        expect(MEMBERS, student_a=204, teacher=204), path_params=MESSAGE
    ),
    "POST /api/v1/rooms/{room_id}/read": Call(MEMBERS, path_params=COURSE_ROOM, json={}),
}


def build(world) -> None:
    """The course room of the teacher's course (student A is enrolled), a message of student A's in
    it, and a group room of the teacher's with student A."""
    from courses.models import Course
    from inbox.rooms.services import course_room_sync, group_room_create, room_message_post

    course = Course.objects.get(pk=world.course_id)
    room = world.make("room_id", "room", lambda: course_room_sync(course=course))
    world.make(
        "room_message_id",
        "room_message",
        lambda: room_message_post(actor=world.users["student_a"], room=room, body="Hello"),
    )
    world.make(
        "group_room_id",
        "room",
        lambda: group_room_create(
            actor=world.users["teacher"],
            name="Study group",
            member_ids=[world.users["student_a"].pk],
        ),
    )


# Issue 13's leftovers: admins (the Admin role and superusers) read and moderate every room, member
# or not (inbox.rules.rooms_readable_by): they read it, its members and messages, delete any message
# and move no read marker (200: they have none); they do not write in it (403 room_not_member), nor
# manage a group room they are not in, nor edit another's message (403).
_ADMIN_READER = ("admin", "superuser")
for _key, _status in {
    "GET /api/v1/rooms/{room_id}": 200,
    "GET /api/v1/rooms/{room_id}/members": 200,
    "GET /api/v1/rooms/{room_id}/messages": 200,
    "GET /api/v1/rooms/{room_id}/messages/{message_id}": 200,
    "POST /api/v1/rooms/{room_id}/read": 200,
    "DELETE /api/v1/rooms/{room_id}/messages/{message_id}": 204,
    "PATCH /api/v1/rooms/{room_id}": 403,
    "DELETE /api/v1/rooms/{room_id}": 403,
    "POST /api/v1/rooms/{room_id}/members": 403,
    "DELETE /api/v1/rooms/{room_id}/members/{user_id}": 403,
    "POST /api/v1/rooms/{room_id}/messages": 403,
    "PATCH /api/v1/rooms/{room_id}/messages/{message_id}": 403,
}.items():
    ROWS[_key].expect = expect(ROWS[_key].expect, **dict.fromkeys(_ADMIN_READER, _status))
