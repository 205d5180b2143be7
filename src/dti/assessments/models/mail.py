"""The outbox: messages written with the change they announce and delivered after the commit."""

from __future__ import annotations

from django.db import models


class OutgoingMail(models.Model):
    """A message waiting for delivery or delivered: written with the change it announces, in the same
    transaction, and sent after the commit. A failed delivery is kept with its error and tried again
    (``dti deliver-mail``); it never undoes or fails the change."""

    subject = models.CharField(max_length=300)
    body = models.TextField()
    recipients = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self):
        return self.subject
