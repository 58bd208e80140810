"""Making notifications. `notify` is the one way every part of the inbox (and its receivers of the
other apps' signals) tells a person something: it writes the row and, when the person wants it by
email, the email — in the caller's transaction, so both commit or roll back with the event, and the
outbox (cplatform/mail.py) sends the email after the commit.

The words come from templates named by kind, rendered in the recipient's language and time zone:
`inbox/notifications/kinds/<kind>.html` (one line for the feed) and
`inbox/notifications/email/<kind>_subject.txt` / `<kind>.txt` (the email; every email ends with the
link to the person's notification settings, `inbox/notifications/email/footer.txt`).
"""

from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cplatform.api_http import absolute_url
from cplatform.i18n_urls import localized_url
from cplatform.validators import single_line

from .models import DEFAULT_CHANNELS, EmailState, Notification, NotificationPreference


def channels_for(*, user, kind: str) -> tuple[bool, bool]:
    """(in-app, email) for the person and kind: their choice, else the default."""
    row = NotificationPreference.objects.filter(user=user, kind=kind).values_list("in_app", "email")
    for in_app, email in row:
        return in_app, email
    return DEFAULT_CHANNELS[kind]


def render_email(notification: Notification) -> tuple[str, str]:
    """(subject, body) of a notification's email in the recipient's language and zone."""
    recipient = notification.recipient
    context = {"notification": notification, "data": notification.data, "recipient": recipient}
    with translation.override(recipient.language), timezone.override(recipient.timezone):
        context["settings_url"] = absolute_url(_settings_path())
        context["url"] = absolute_url(localized_url(notification.url)) if notification.url else ""
        kind = notification.kind
        subject = render_to_string(f"inbox/notifications/email/{kind}_subject.txt", context)
        body = render_to_string(f"inbox/notifications/email/{kind}.txt", context)
        footer = render_to_string("inbox/notifications/email/footer.txt", context)
    return single_line(subject.strip()), f"{body.rstrip()}\n\n{footer.strip()}\n"


def _settings_path() -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("inbox:notification-settings")
    except NoReverseMatch:  # before the settings page exists
        return "/"


def notification_email_send(notification: Notification) -> None:
    subject, body = render_email(notification)
    EmailMessage(subject=subject, body=body, to=[notification.recipient.email]).send()


def notify(
    *,
    recipient,
    kind: str,
    actor=None,
    target=None,
    url: str = "",
    data: dict | None = None,
    child=None,
) -> Notification | None:
    """Tell `recipient` about an event of `kind`. Nothing when they turned both channels off for the
    kind, or when they are the actor (nobody is told about what they did themselves)."""
    if recipient is None or not recipient.is_active:
        return None
    if actor is not None and actor.pk == recipient.pk:
        return None
    in_app, email = channels_for(user=recipient, kind=kind)
    if not (in_app or email):
        return None
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
            email_state=EmailState.SENT if email else EmailState.NONE,
        )
        if email:
            notification_email_send(notification)
    return notification
