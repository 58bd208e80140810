"""The rule of who may write to whom honours blocks and suspensions (inbox/rules.py)."""

import pytest

from inbox.models import UserBlock
from inbox.rules import exchange_filter, may_write, message_partners_for
from inbox.safety.models import MessagingSuspension
from tests.inbox.safety_people import people

pytestmark = pytest.mark.django_db


@pytest.fixture
def folks():
    return people()


def test_a_suspended_person_writes_to_admins_only_and_others_still_write_to_them(folks):
    before = set(message_partners_for(folks.teacher))
    assert {folks.student, folks.minor, folks.other_teacher, folks.admin} <= before
    MessagingSuspension.objects.create(user=folks.teacher, created_by=folks.admin)

    assert list(message_partners_for(folks.teacher)) == [folks.admin]
    assert exchange_filter(folks.teacher, folks.student, []) is not None
    assert exchange_filter(folks.teacher, folks.admin, []) is None
    # A suspension limits what the person sends, not what they are sent.
    assert may_write(folks.student, folks.teacher)


def test_lifting_the_suspension_restores_the_rule(folks):
    from inbox.safety.services import messaging_suspension_lift

    MessagingSuspension.objects.create(user=folks.teacher, created_by=folks.admin)
    assert not may_write(folks.teacher, folks.student)
    lifted = messaging_suspension_lift(actor=folks.admin, user_id=folks.teacher.pk)
    assert lifted.lifted_by == folks.admin and lifted.lifted_at is not None
    assert may_write(folks.teacher, folks.student)


def test_a_block_is_both_ways_and_touches_nobody_else(folks):
    UserBlock.objects.create(blocker=folks.minor, blocked=folks.teacher)
    assert not may_write(folks.minor, folks.teacher)
    assert not may_write(folks.teacher, folks.minor)
    assert may_write(folks.teacher, folks.student)
    assert may_write(folks.parent, folks.teacher)  # the minor's parent is not blocked
    assert folks.minor in message_partners_for(folks.admin)
