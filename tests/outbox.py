"""Delivering the outbox in tests whose transaction never commits.

Under pytest-django's `db` fixture a test runs inside one transaction that is rolled back, so the
`on_commit` that queues `cplatform.tasks.email_send` never fires: an email sent there waits in the
outbox as it would for a dead worker. `send_outbox()` does what the worker then does (the real send
task for every pending row) and returns what was delivered (`mail.outbox`, the locmem delivery
backend of the tests). `transaction=True` tests and browser journeys need none of this: their
commits queue the task, which the suite runs inline.
"""

from django.core import mail

from cplatform import tasks
from cplatform.models import OutboundEmail


def send_outbox() -> list:
    pending = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).order_by("pk")
    for email_id in pending.values_list("pk", flat=True):
        tasks.email_send(email_id)
    return mail.outbox
