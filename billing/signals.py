"""What billing announces (pairs, see cplatform/signals.py). Inbox listens and notifies; dashboards
only read. Payloads:

- `payment_received(order, payment)`: an order was paid (any method) and fulfilled.
- `payment_failed(order, reason)`: a payment attempt failed (async method, card declined in Stripe).
- `refund_issued(refund)`: money was given back (Stripe refund created, or recorded for a manual
  payment); `refund.lesson` is set when a lesson's cancellation caused it.
- `credits_changed(entry)`: a ledger row was written (bought, granted, used, returned, lapsed).
- `dispute_changed(dispute)`: a chargeback was opened or closed.
- `invoice_reminded(invoice, stage)`: a payment reminder (`ReminderStage`) of an open manual invoice
  was mailed to its payer (sent in the transaction that wrote the reminder's row and its email).
"""

from django.dispatch import Signal

payment_received = Signal()
payment_received_committed = Signal()

payment_failed = Signal()
payment_failed_committed = Signal()

refund_issued = Signal()
refund_issued_committed = Signal()

credits_changed = Signal()
credits_changed_committed = Signal()

dispute_changed = Signal()
dispute_changed_committed = Signal()

invoice_reminded = Signal()
invoice_reminded_committed = Signal()
