
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0003_stripe'),
        ('classroom', '0014_lesson_start_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='invoice',
            index=models.Index(condition=models.Q(('kind', 'invoice'), ('status', 'open')), fields=['currency'], name='billing_invoice_open'),
        ),
        migrations.AddIndex(
            model_name='payment',
            index=models.Index(fields=['received_at'], name='billing_payment_received'),
        ),
        migrations.AddIndex(
            model_name='refund',
            index=models.Index(fields=['created_at'], name='billing_refund_created'),
        ),
    ]
