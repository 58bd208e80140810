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

# Someone's unread notifications changed (one made for them, or read). Sent after the commit only
# (what changed is already in the database), with `user_id`; the live layer pushes the new badges.
notifications_unread_changed_committed = Signal()

# Someone read direct messages they had received (one, or a thread's). `user_id` (the reader),
# `count` (how many became read). The live layer pushes their new badges, as for a new message.
direct_messages_read = Signal()
direct_messages_read_committed = Signal()
