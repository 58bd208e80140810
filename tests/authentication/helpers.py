"""Small helpers shared by the authentication tests (real allauth flows, real outbox)."""

import re
from urllib.parse import unquote

from django.core import mail

from tests.authentication.factories import PASSWORD
from tests.outbox import send_outbox

CONFIRM_KEY = re.compile(r"/auth/confirm-email/([^/\s]+)/")
RESET_KEY = re.compile(r"/auth/password/reset/key/([^/\s]+)/")


def outbox_to(email: str) -> list:
    """The mail delivered to `email`, once the outbox is sent (tests/outbox.py)."""
    return [m for m in send_outbox() if email.lower() in [a.lower() for a in m.to]]


def confirmation_key(email: str) -> str:
    """The email-confirmation key from the last confirmation mail sent to `email`."""
    for message in reversed(outbox_to(email)):
        match = CONFIRM_KEY.search(message.body)
        if match:
            return unquote(match.group(1))
    raise AssertionError(f"no confirmation email to {email}: {[m.subject for m in mail.outbox]}")


def app_login(client, email: str, password: str = PASSWORD):
    return client.post(
        "/_allauth/app/v1/auth/login",
        {"email": email, "password": password},
        content_type="application/json",
    )


def auth_header(token: str) -> dict:
    return {"HTTP_X_SESSION_TOKEN": token}
