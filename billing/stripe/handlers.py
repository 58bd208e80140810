"""What each Stripe event does to billing (filled in per event type)."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

HANDLERS: dict = {}


def handle_event(event) -> None:
    handler = HANDLERS.get(event.type)
    if handler is None:
        logger.info("Stripe event %s (%s) needs nothing from billing", event.id, event.type)
        return
    handler(event)
