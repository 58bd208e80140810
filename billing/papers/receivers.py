"""Each paper's PDF is rendered after the commit that issued it, or changed its status (an
outstanding invoice paid or voided), in a django-q2 task: the payment's transaction never waits
for WeasyPrint."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from ..models import Invoice
from .services import enqueue_pdf


@receiver(post_save, sender=Invoice, dispatch_uid="billing_papers_pdf_on_issue")
def render_pdf_after_commit(sender, instance: Invoice, created: bool, update_fields=None, **kw):
    if created or (update_fields and "status" in update_fields):
        invoice_id = instance.pk
        transaction.on_commit(lambda: enqueue_pdf(invoice_id), robust=True)
