"""Facts the authentication app announces; other apps listen (e.g. classroom creates profiles).

The guardian events are pairs (see cplatform/signals.py): `<event>`, sent inside the service's
transaction (a receiver's writes commit with it: notification rows), and `<event>_committed`, sent
after the commit (email, WebSocket pushes). The sender is GuardianLink.
"""

from django.dispatch import Signal

# Sent after a role is granted: kwargs `user`, `role`.
role_granted = Signal()

# A parent invited a child, or a student a guardian. `link` (pending; `invited_email`,
# `invited_role`), `actor`.
guardian_invited = Signal()
guardian_invited_committed = Signal()

# The invited side accepted: the link is active. `link`, `actor`.
guardian_accepted = Signal()
guardian_accepted_committed = Signal()

# A linked guardian consented to the child using messaging and payments. `link`, `actor`.
guardian_consent_given = Signal()
guardian_consent_given_committed = Signal()
