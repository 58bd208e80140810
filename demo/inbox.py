"""Demo conversations for `manage.py load_demo_data`, through the inbox's services (idempotent: a
conversation is written once, recognised by its participants and subject).

- María López (parent) and Ana García (teacher) about Lucas's fractions: three messages, the last
  one unread by Ana.
- Sofía Ruiz asks Ana about her homework; Ana answers.
- Liam Johnson and Ben Carter about a change of time, unread by Liam.

Each message is backdated to read as a conversation of the last days; the notifications the sends
made (new direct message) follow their message's time.
"""

from datetime import timedelta

from django.utils import timezone
from postman.models import Message

from authentication.models import User
from inbox.messaging.services import message_reply, message_send
from inbox.notifications.models import Notification, NotificationKind

CONVERSATIONS = [
    {
        "subject": "Lucas and fractions",
        "messages": [
            (
                "maria.lopez@example.com",
                "ana.garcia@example.com",
                "Hello Ana, Lucas says fractions still confuse him after Tuesday's lesson. Is there "
                "something we can practise at home this week?",
                timedelta(days=3, hours=5),
            ),
            (
                "ana.garcia@example.com",
                "maria.lopez@example.com",
                "Hello María, thank you for telling me. He is doing well with halves and quarters; "
                "mixed numbers are the hard part. Ten minutes a day with the worksheet I shared in "
                "his lesson would help a lot, and we will go over it again on Tuesday.",
                timedelta(days=2, hours=20),
            ),
            (
                "maria.lopez@example.com",
                "ana.garcia@example.com",
                "Perfect, we will do the worksheet together. Thank you!",
                timedelta(hours=6),
            ),
        ],
        "read_by_last_recipient": False,
    },
    {
        "subject": "Homework question",
        "messages": [
            (
                "sofia.ruiz@example.com",
                "ana.garcia@example.com",
                "Hi Ana, in exercise 4 should we simplify the result or leave it as a fraction?",
                timedelta(days=1, hours=9),
            ),
            (
                "ana.garcia@example.com",
                "sofia.ruiz@example.com",
                "Simplify it, and show the step where you divide by the common factor.",
                timedelta(days=1, hours=2),
            ),
        ],
        "read_by_last_recipient": True,
    },
    {
        "subject": "Thursday's lesson",
        "messages": [
            (
                "ben.carter@example.com",
                "liam.johnson@example.com",
                "Hi Liam, could we start Thursday's lesson 30 minutes later? If not, no problem.",
                timedelta(hours=20),
            ),
        ],
        "read_by_last_recipient": False,
    },
]


def load_demo_conversations() -> int:
    """Write the conversations nobody has yet; answers how many were written."""
    people = {u.email: u for u in User.objects.filter(email__in=_emails())}
    written = 0
    now = timezone.now()
    for spec in CONVERSATIONS:
        first_sender, first_recipient, *_ = spec["messages"][0]
        if first_sender not in people or first_recipient not in people:
            continue
        if Message.objects.filter(
            sender=people[first_sender], recipient=people[first_recipient], subject=spec["subject"]
        ).exists():
            continue
        previous = None
        for sender, _recipient, body, ago in spec["messages"]:
            if previous is None:
                message = message_send(
                    sender=people[sender],
                    recipient_id=people[_recipient].pk,
                    subject=spec["subject"],
                    body=body,
                )
            else:
                message = message_reply(sender=people[sender], message_id=previous.pk, body=body)
            sent_at = now - ago
            Message.objects.filter(pk=message.pk).update(sent_at=sent_at)
            Notification.objects.filter(
                kind=NotificationKind.DIRECT_MESSAGE, target_id=message.pk
            ).update(created_at=sent_at)
            if previous is not None:
                # Whoever answered had read what they answered.
                Message.objects.filter(pk=previous.pk).update(read_at=sent_at)
                Notification.objects.filter(
                    kind=NotificationKind.DIRECT_MESSAGE, target_id=previous.pk
                ).update(read_at=sent_at)
            previous = message
        if spec["read_by_last_recipient"]:
            Message.objects.filter(pk=previous.pk).update(read_at=now)
            Notification.objects.filter(
                kind=NotificationKind.DIRECT_MESSAGE, target_id=previous.pk
            ).update(read_at=now)
        written += 1
    return written


def _emails() -> set[str]:
    return {
        email for spec in CONVERSATIONS for message in spec["messages"] for email in message[:2]
    }
