"""Rows the site package keeps for every app."""

from django.db import models
from django.utils import timezone

from .validators import validate_single_line


class IdempotencyKey(models.Model):
    """The first answer to a POST sent with an `Idempotency-Key`, kept 24 hours per caller, so that a
    retry replays it instead of writing a second time (cplatform.idempotency)."""

    # The caller's user id; not a foreign key: the site package sits below `authentication`, and a
    # row outlives nobody by more than a day (the purge drops it).
    user_id = models.BigIntegerField()
    key = models.CharField(max_length=255, validators=[validate_single_line])
    # sha256 of the method, path, query and body: the same key with another request is refused.
    fingerprint = models.CharField(max_length=64, validators=[validate_single_line])
    # Null while the first request runs.
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.BinaryField(default=b"")
    response_headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user_id", "key"], name="idempotency_key_per_caller")
        ]

    def __str__(self):
        return f"{self.user_id}:{self.key}"
