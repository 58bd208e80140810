"""Admins look the outbox up in the Wagtail admin (classroom/admin_viewsets.py): who was written to,
the subject, the status, the attempts and the error; never the body, which may hold a password-reset
link. The access of every role to every view is tests/security/test_admin_views.py's."""

import pytest
from django.core.mail import send_mail
from wagtail.users.models import UserProfile

from cplatform.models import OutboundEmail
from tests.authentication.factories import AdminFactory

pytestmark = pytest.mark.django_db


def test_an_admin_sees_each_email_its_recipient_status_and_error_but_not_its_body(client):
    send_mail("Reset your password", "SECRET-RESET-LINK", None, ["lucas@example.com"])
    row = OutboundEmail.objects.get()
    OutboundEmail.objects.filter(pk=row.pk).update(attempts=2, last_error="SMTPServerDisconnected")
    client.force_login(AdminFactory())

    listing = client.get("/admin/outbound-email/").content.decode()
    inspect = client.get(f"/admin/outbound-email/inspect/{row.pk}/").content.decode()

    for page in (listing, inspect):
        assert "Reset your password" in page
        assert "lucas@example.com" in page
        assert "SMTPServerDisconnected" in page
        assert "SECRET-RESET-LINK" not in page
    assert "Pending" in listing


def test_the_outbox_look_up_speaks_spanish(client):
    send_mail("Hola", "…", None, ["lucia@example.com"])
    admin = AdminFactory()
    UserProfile.objects.update_or_create(user=admin, defaults={"preferred_language": "es"})
    client.force_login(admin)

    listing = client.get("/admin/outbound-email/").content.decode()

    for spanish in ("Correo saliente", "Asunto", "Para", "Intentos", "Escrito", "Pendiente"):
        assert spanish in listing
