"""What the REST API stores of its own: the outcome of requests sent with an ``Idempotency-Key``."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class IdempotentRequest(models.Model):
    """The response to a request that carried an ``Idempotency-Key``, kept to be replayed.

    One row per client (the user) and key: a retry of the same request (same operation,
    same body) gets the stored response instead of running again; the same key with a
    different request is refused. Only successful responses are stored, so a refused
    request may be retried with its key once the reason is fixed.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    operation = models.CharField(max_length=100)
    fingerprint = models.CharField("request SHA-256", max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_request_per_idempotency_key")
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.operation} with key {self.key!r}"
