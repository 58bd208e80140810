"""How the domain apps announce what happened. Each event is a pair of signals, declared together in
the app that owns the fact (`classroom/signals.py`, `courses/signals.py`, `authentication/signals.py`):

- `<event>`, sent inside the service's transaction. A receiver's writes commit or roll back with the
  event (seats, and next billing records and notification rows); it runs under the service's locks, so
  it must be quick, and an exception it raises undoes the event.
- `<event>_committed`, sent once that transaction has committed, never after a rollback, and at once
  outside a transaction. For what leaves the process (email, Stripe, WebSocket pushes): the outside
  world never hears of an event the database does not keep. Its receivers run after the answer is
  decided: one that fails is logged, and neither undoes the event nor stops the other receivers.

Both carry the same keyword payload, documented where the pair is declared. `announce` sends both;
a service calls it inside its `transaction.atomic` block.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)


def send_on_commit(signal: Signal, *, sender, **payload) -> None:
    """Send `signal` once the current transaction commits (now, outside one; never on rollback)."""

    def send():
        for receiver, result in signal.send_robust(sender=sender, **payload):
            if isinstance(result, Exception):
                logger.error(
                    "After-commit receiver %r failed", receiver, exc_info=result, stack_info=False
                )

    transaction.on_commit(send)


def announce(signal: Signal, committed: Signal, *, sender, **payload) -> None:
    """Send the in-transaction `signal` now and its after-commit twin `committed` on commit."""
    signal.send(sender=sender, **payload)
    send_on_commit(committed, sender=sender, **payload)
