"""Making notifications. `notify` is the one way every part of the inbox (and its receivers of the
other apps' signals) tells a person something: it writes the row and, when the person wants it by
email, the email — in the caller's transaction, so both commit or roll back with the event, and the
outbox (cplatform/mail.py) sends the email after the commit.

The words come from templates named by kind, rendered in the recipient's language and time zone:
`inbox/notifications/kinds/<kind>.html` (one line for the feed) and
`inbox/notifications/email/<kind>_subject.txt` / `<kind>.txt` (the email; every email ends with the
link to the person's notification settings, `inbox/notifications/email/footer.txt`).

How an email goes (the person's `NotificationSettings`): at once; or, with the daily digest, waiting
(`digest`) for `digest_send` at DIGEST_HOUR of their own zone; or, in their quiet hours, `held` until
the quiet hours end (`held_send`, every few minutes). Both tasks run on django-q2 schedules (migration
`inbox/…_notify_data`) and send each notification at most once (rows are claimed with
`select_for_update(skip_locked=True)` and marked in the transaction that hands the email over).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from cplatform.api_http import absolute_url
from cplatform.exceptions import ValidationFailed
from cplatform.signals import send_on_commit
from cplatform.validators import single_line

from ..signals import notifications_unread_changed_committed
from .models import (
    DEFAULT_CHANNELS,
    EmailState,
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationSettings,
)

# The daily digest goes out at this hour of each person's own zone.
DIGEST_HOUR = time(7, 0)
# Attendance marks as the reader reads them (classroom's AttendanceStatus values).
ATTENDANCE_LABELS = {
    "present": _("present"),
    "late": _("late"),
    "absent": _("absent"),
    "excused": _("excused"),
}
# Keys of `data` that hold instants (ISO strings), given to the templates as datetimes.
INSTANT_KEYS = ("start", "previous_start", "homework_due", "due_at")


def forget_unread(user_id: int) -> None:
    """Drop the cached badge count (selectors.unread_count_cached) once the change commits, and say
    so (the person's open pages update their badge)."""
    key = f"inbox:notifications:unread:{user_id}"

    def changed():
        cache.delete(key)
        send_on_commit(notifications_unread_changed_committed, sender=Notification, user_id=user_id)

    transaction.on_commit(changed)


def channels_for(*, user, kind: str) -> tuple[bool, bool]:
    """(in-app, email) for the person and kind: their choice, else the default."""
    row = NotificationPreference.objects.filter(user=user, kind=kind).values_list("in_app", "email")
    for in_app, email in row:
        return in_app, email
    return DEFAULT_CHANNELS[kind]


def settings_of(user) -> NotificationSettings:
    """The person's delivery settings (an unsaved default row when they never changed them)."""
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


def _context(notification: Notification) -> dict:
    data = dict(notification.data or {})
    for key in INSTANT_KEYS:
        if isinstance(data.get(key), str):
            data[key] = parse_datetime(data[key])
    for_teacher = data.get("teacher_user_id") == notification.recipient_id
    if for_teacher:
        other = data.get("student_name") or data.get("title") or ""
        other_id = data.get("student_user_id")
    else:
        other = data.get("teacher_name", "")
        other_id = data.get("teacher_user_id")
    status = data.get("status")
    return {
        "notification": notification,
        "data": data,
        "recipient": notification.recipient,
        "actor_name": notification.actor.name if notification.actor_id else "",
        "child_name": notification.child.name if notification.child_id else "",
        # a lesson's other side as the reader sees it: the teacher, or (for the teacher) the
        # student or the group session's title
        "other_name": other,
        "for_teacher": for_teacher,
        # the other side did it themself ("Tina cancelled your lesson", not "… with Tina")
        "by_other_side": other_id is not None and notification.actor_id == other_id,
        "status_label": ATTENDANCE_LABELS.get(status, status) if status else "",
    }


def render_text(notification: Notification) -> str:
    """The feed's one line, in the active language and zone (the reader's, set by the caller)."""
    context = _context(notification)
    return " ".join(
        render_to_string(f"inbox/notifications/kinds/{notification.kind}.html", context).split()
    )


def render_email(notification: Notification) -> tuple[str, str]:
    """(subject, body) of a notification's email in the recipient's language and zone."""
    recipient = notification.recipient
    context = _context(notification)
    with translation.override(recipient.language), timezone.override(recipient.timezone):
        context["settings_url"] = absolute_url(_settings_path())
        context["url"] = _link(notification.url, recipient.language)
        kind = notification.kind
        subject = render_to_string(f"inbox/notifications/email/{kind}_subject.txt", context)
        body = render_to_string(f"inbox/notifications/email/{kind}.txt", context)
        footer = render_to_string("inbox/notifications/email/footer.txt", context)
    return single_line(subject.strip()), f"{body.rstrip()}\n\n{footer.strip()}\n"


def localized_path(path: str, language: str) -> str:
    """A stored path (the default language's, without a prefix) as the path of its page in
    `language` (`/lessons/5/` → `/es/lessons/5/`); unchanged when it names no page of ours."""
    with translation.override(django_settings.LANGUAGE_CODE):
        return translate_url(path, language)


def _link(path: str, language: str) -> str:
    """A stored path as an absolute link to its page in `language`."""
    return absolute_url(localized_path(path, language)) if path else ""


def _settings_path() -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("inbox:notification-settings")
    except NoReverseMatch:  # before the settings page exists
        return "/"


# Names the kind of notification an email carries, for mail filters (and tests).
KIND_HEADER = "X-Cplatform-Notification"


def notification_email(notification: Notification) -> EmailMessage:
    """The email of a notification, in its recipient's language and zone."""
    subject, body = render_email(notification)
    return EmailMessage(
        subject=subject,
        body=body,
        to=[notification.recipient.email],
        headers={KIND_HEADER: notification.kind},
    )


def notification_email_send(notification: Notification) -> None:
    notification_email(notification).send()


def _aware(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The instant a wall clock shows `wall` on `day` in `zone`. A wall time skipped by a DST jump
    (02:30 on the last Sunday of March in Madrid) is read with the offset before the jump, which
    lands just after it; a repeated one (October) is its first occurrence."""
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)


def quiet_until(
    *, settings: NotificationSettings, zone_name: str, now: datetime
) -> datetime | None:
    """When the person's quiet hours end, if `now` falls inside them (else None). Quiet hours are
    wall-clock times in the person's zone and may span midnight (22:00–07:00)."""
    start, end = settings.quiet_start, settings.quiet_end
    if start is None or end is None or start == end:
        return None
    zone = ZoneInfo(zone_name)
    local = now.astimezone(zone)
    wall = local.time().replace(tzinfo=None)
    today = local.date()
    if start < end:
        if start <= wall < end:
            return _aware(today, end, zone)
        return None
    if wall >= start:
        return _aware(today + timedelta(days=1), end, zone)
    if wall < end:
        return _aware(today, end, zone)
    return None


def _email_plan(*, recipient, now: datetime) -> tuple[str, datetime | None]:
    settings = settings_of(recipient)
    if settings.daily_digest:
        return EmailState.DIGEST, None
    until = quiet_until(settings=settings, zone_name=recipient.timezone, now=now)
    if until is not None:
        return EmailState.HELD, until
    return EmailState.SENT, None


def notify(
    *,
    recipient,
    kind: str,
    actor=None,
    target=None,
    url: str = "",
    data: dict | None = None,
    child=None,
    by_email: bool = True,
) -> Notification | None:
    """Tell `recipient` about an event of `kind`. Nothing when they turned both channels off for the
    kind, or when they are the actor (nobody is told about what they did themselves).
    `by_email=False` for an event that already sends its own email (a guardian invitation): the
    feed tells them, a second email would not."""
    if recipient is None or not recipient.is_active:
        return None
    if actor is not None and actor.pk == recipient.pk:
        return None
    in_app, email = channels_for(user=recipient, kind=kind)
    email = email and by_email
    if not (in_app or email):
        return None
    now = timezone.now()
    state, due = _email_plan(recipient=recipient, now=now) if email else (EmailState.NONE, None)
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient,
            kind=kind,
            actor=actor,
            child=child,
            target_type=ContentType.objects.get_for_model(target) if target is not None else None,
            target_id=getattr(target, "pk", None),
            url=url,
            data=data or {},
            in_app=in_app,
            email_state=state,
            email_due_at=due,
            created_at=now,
        )
        if state == EmailState.SENT:
            notification_email_send(notification)
        if in_app:
            forget_unread(recipient.pk)
    return notification


# --- waiting emails: quiet hours and the daily digest ---------------------------------------------


def held_send(*, now: datetime | None = None) -> int:
    """Send the emails held by quiet hours whose hours are over; each once. Returns how many."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        due = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(email_state=EmailState.HELD, email_due_at__lte=now)
            .select_related("recipient", "actor", "child")
            .order_by("id")[:500]
        )
        for notification in due:
            notification_email_send(notification)
            sent += 1
        Notification.objects.filter(pk__in=[n.pk for n in due]).update(email_state=EmailState.SENT)
    return sent


def digest_cutoff(*, zone_name: str, now: datetime) -> datetime:
    """The latest DIGEST_HOUR of the person's zone at or before `now`: a digest sent after it holds
    what came before it, so each person gets one digest a day however often the task runs."""
    zone = ZoneInfo(zone_name)
    local = now.astimezone(zone)
    cutoff = _aware(local.date(), DIGEST_HOUR, zone)
    if cutoff > now:
        cutoff = _aware(local.date() - timedelta(days=1), DIGEST_HOUR, zone)
    return cutoff


def render_digest(*, recipient, notifications: list[Notification]) -> tuple[str, str]:
    with translation.override(recipient.language), timezone.override(recipient.timezone):
        lines = []
        for notification in notifications:
            line = f"- {render_text(notification)}"
            if notification.url:
                line += f"\n  {_link(notification.url, recipient.language)}"
            lines.append(line)
        context = {
            "recipient": recipient,
            "count": len(notifications),
            "lines": lines,
            "feed_url": absolute_url(_feed_path()),
            "settings_url": absolute_url(_settings_path()),
        }
        subject = render_to_string("inbox/notifications/email/digest_subject.txt", context)
        body = render_to_string("inbox/notifications/email/digest.txt", context)
        footer = render_to_string("inbox/notifications/email/footer.txt", context)
    return single_line(subject.strip()), f"{body.rstrip()}\n\n{footer.strip()}\n"


def _feed_path() -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("inbox:notifications")
    except NoReverseMatch:
        return "/"


def digest_send(*, now: datetime | None = None) -> int:
    """Send each person whose digest hour has come ONE email with their waiting notifications and
    mark them sent. Running it again sends nothing more until the next day's hour. Returns how
    many digests went out."""
    from django.contrib.auth import get_user_model

    now = now or timezone.now()
    User = get_user_model()
    waiting = (
        Notification.objects.filter(email_state=EmailState.DIGEST)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    people = User.objects.filter(pk__in=waiting, is_active=True).only("pk", "timezone")
    sent = 0
    for person in people:
        cutoff = digest_cutoff(zone_name=person.timezone, now=now)
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(recipient=person, email_state=EmailState.DIGEST, created_at__lt=cutoff)
                .select_related("recipient", "actor", "child")
                .order_by("id")
            )
            if not rows:
                continue
            recipient = rows[0].recipient
            subject, body = render_digest(recipient=recipient, notifications=rows)
            EmailMessage(
                subject=subject, body=body, to=[recipient.email], headers={KIND_HEADER: "digest"}
            ).send()
            Notification.objects.filter(pk__in=[n.pk for n in rows]).update(
                email_state=EmailState.SENT
            )
            sent += 1
    return sent


# --- reading: mark read ---------------------------------------------------------------------------


def notifications_mark_read(*, user, ids: list[int] | None = None, every: bool = False) -> int:
    """Mark the person's own notifications read (the given ids, or all); others' ids are ignored
    like missing ones. Returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if not every:
        qs = qs.filter(pk__in=ids or [])
    changed = qs.update(read_at=timezone.now())
    if changed:
        forget_unread(user.pk)
    return changed


def notification_open(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        forget_unread(notification.recipient_id)
    return notification


# --- settings -------------------------------------------------------------------------------------


def notification_settings_replace(
    *,
    user,
    channels: dict[str, dict[str, bool]],
    daily_digest: bool,
    quiet_start: time | None,
    quiet_end: time | None,
    children_lesson_changes: bool,
) -> NotificationSettings:
    """Replace the person's settings: per kind {"in_app": bool, "email": bool} (a kind left out
    goes back to its default), digest, quiet hours (both or neither) and children's changes."""
    errors: dict[str, list[str]] = {}
    unknown = set(channels) - set(NotificationKind.values)
    if unknown:
        errors["channels"] = [_("Unknown kind: %(kinds)s") % {"kinds": ", ".join(sorted(unknown))}]
    if (quiet_start is None) != (quiet_end is None):
        field = "quiet_end" if quiet_end is None else "quiet_start"
        errors[field] = [_("Give both ends of the quiet hours, or neither.")]
    elif quiet_start is not None and quiet_start == quiet_end:
        errors["quiet_end"] = [_("Quiet hours must end at another time.")]
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        settings, _created = NotificationSettings.objects.select_for_update().get_or_create(
            user=user
        )
        settings.daily_digest = daily_digest
        settings.quiet_start = quiet_start
        settings.quiet_end = quiet_end
        settings.children_lesson_changes = children_lesson_changes
        settings.save()
        NotificationPreference.objects.filter(user=user).delete()
        NotificationPreference.objects.bulk_create(
            NotificationPreference(
                user=user, kind=kind, in_app=choice["in_app"], email=choice["email"]
            )
            for kind, choice in channels.items()
            if (choice["in_app"], choice["email"]) != DEFAULT_CHANNELS[kind]
        )
    return settings
