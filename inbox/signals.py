"""Facts about the inbox that other parts act on (notifications, the outbox, live pushes).

Each event is a pair (see cplatform/signals.py): `<event>`, sent inside the service's transaction
(a receiver's writes commit with the event: notification rows), and `<event>_committed`, sent after
the commit (email, WebSocket pushes). Both carry the same keyword arguments; the sender is the model
class of the main object.
"""

from django.dispatch import Signal

# A direct message was sent, a first message or a reply alike. `message` (postman's Message: its
# `recipient` is the person to tell, `parent_id` says it is a reply), `actor` (the sender).
direct_message_sent = Signal()
direct_message_sent_committed = Signal()
