"""Email leaves the request: every message is handed to a django-q2 task that delivers it."""

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django_q.tasks import async_task

from .validators import single_line


class QueuedEmailBackend(BaseEmailBackend):
    """Queue each message; `cplatform.tasks.email_deliver` sends it with EMAIL_DELIVERY_BACKEND."""

    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            message.connection = None  # connections do not pickle
            # A subject is one header line; it often carries stored text (a name, a title) that may
            # hold a line break, which Django refuses (BadHeaderError) and would lose the message.
            message.subject = single_line(str(message.subject))
            async_task("cplatform.tasks.email_deliver", message, task_name="email_deliver")
            count += 1
        return count


def deliver(message) -> int:
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND)
    return connection.send_messages([message]) or 0
