"""The demo has a course room with history and a group room, and loading again adds nothing."""

import pytest

from demo.rooms import COURSE_SLUG, GROUP_ROOM, load_demo_rooms
from inbox.models import Room, RoomMessage
from inbox.rooms.selectors import room_list_for_user
from tests.test_demo_data import demo_site  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("demo_site")
class TestDemoRooms:
    def test_the_algebra_room_holds_its_people_and_a_history(self):
        room = Room.objects.get(course__slug=COURSE_SLUG)
        emails = set(room.memberships.values_list("user__email", flat=True))
        assert {"ana.garcia@example.com", "liam.johnson@example.com"} <= emails
        assert "lucas.lopez@example.com" in emails
        history = list(room.messages.order_by("pk"))
        assert len(history) >= 5
        assert any(m.deleted_at for m in history) and any(m.edited_at for m in history)
        assert any(m.mentions.exists() for m in history)
        lucas_rooms = room_list_for_user(
            user=room.memberships.get(user__email__startswith="lucas").user
        )
        assert lucas_rooms.get(pk=room.pk).unread_count >= 1  # Ana answered him

    def test_loading_again_adds_nothing(self):
        before = (Room.objects.count(), RoomMessage.objects.count())
        load_demo_rooms()
        assert (Room.objects.count(), RoomMessage.objects.count()) == before
        assert Room.objects.filter(name=GROUP_ROOM).count() == 1
