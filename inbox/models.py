"""The inbox's own records. Direct messages are django-postman's `Message` rows; this app adds who
blocked whom and the chat rooms (a room per course, and group rooms). Each part of the inbox adds its
models at the end of this module."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cplatform.validators import validate_multiline_text, validate_single_line

ROOM_MESSAGE_MAX_LENGTH = 5000


class UserBlock(models.Model):
    """`blocker` does not want to hear from `blocked`: no direct message goes either way while the
    row exists (inbox/rules.py). Admins cannot be blocked."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="inbox_block_once"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="inbox_block_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class RoomKind(models.TextChoices):
    COURSE = "course", _("Course room")
    GROUP = "group", _("Group room")


class RoomRole(models.TextChoices):
    TEACHER = "teacher", _("Teacher")
    STUDENT = "student", _("Student")
    MEMBER = "member", _("Member")


class Room(models.Model):
    """A chat room. A course room belongs to its course (its teachers and actively enrolled
    students are the members, kept in step by the courses signals); a group room has the members its
    creator (a teacher or an admin) chose."""

    kind = models.CharField(max_length=8, choices=RoomKind.choices)
    course = models.OneToOneField(
        "courses.Course", on_delete=models.CASCADE, null=True, blank=True, related_name="room"
    )
    name = models.CharField(
        _("name"),
        max_length=120,
        blank=True,
        help_text=_("Group rooms only; a course room shows its course's title."),
        validators=[validate_single_line],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rooms_created",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="course", course__isnull=False)
                    | models.Q(kind="group", course__isnull=True)
                ),
                name="inbox_room_course_iff_course_room",
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"room {self.pk}"


class RoomMember(models.Model):
    """A person in a room. `last_read_id` is the read marker: the id of the last message they have
    seen (messages with a higher id are unread). Leaving or being removed deletes the row."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="room_memberships"
    )
    role = models.CharField(max_length=8, choices=RoomRole.choices, default=RoomRole.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)
    last_read_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="inbox_room_member_once"),
        ]
        indexes = [models.Index(fields=["user", "room"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.room_id}"


class RoomMessage(models.Model):
    """A message in a room. Ids only grow, so the id is the history's cursor (`after=` / `before=`).
    An edited message keeps its id; a deleted one keeps its row without its text (`deleted_at`)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="room_messages",
    )
    body = models.TextField(
        _("message"),
        max_length=ROOM_MESSAGE_MAX_LENGTH,
        blank=True,
        validators=[MaxLengthValidator(ROOM_MESSAGE_MAX_LENGTH), validate_multiline_text],
    )
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="room_mentions"
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["room", "id"], name="inbox_roommsg_room_id"),
            # The dashboards' messages per day (a period of a million messages).
            models.Index(fields=["created_at"], name="inbox_roommsg_created"),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} in room {self.room_id}"


# Files of direct and room messages: inbox/attachments/models.py.
from .attachments.models import Attachment  # noqa: E402, F401
from .notifications.models import *  # noqa: E402, F403  (the notifications part's models)
from .reminders.models import *  # noqa: E402, F403  (the reminders part's models)

# Reports and suspensions (block, report and the moderation queue): inbox/safety/models.py.
from .safety.models import MessageReport, MessagingSuspension  # noqa: E402, F401
