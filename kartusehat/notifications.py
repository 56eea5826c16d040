"""Messages to households (a card is ready for pickup), through a pluggable channel.

``NOTIFICATION_BACKEND`` names the class (``module.Class``):

- ``kartusehat.notifications.LogBackend`` (default): writes the message to the
  log, numbers masked like every log line;
- ``kartusehat.notifications.EmailBackend``: Django's email (``EMAIL_URL``),
  to the household's email address;
- ``kartusehat.notifications.HttpGatewayBackend``: an SMS/WhatsApp gateway
  that takes ``POST {"to": "+628…", "message": "…"}`` at
  ``NOTIFICATION_GATEWAY_URL`` with ``Authorization: Bearer
  NOTIFICATION_GATEWAY_TOKEN``, as most Indonesian gateways do; anything else
  is one small subclass away.

A backend either delivers, raises :class:`NotificationSkipped` (no address
for its channel) or raises any other exception (failed). Callers record the
outcome and never let it break what triggered the message.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from .logging import mask_identity_numbers
from .text import mask_phone

logger = logging.getLogger("kartusehat.notifications")

TIMEOUT_SECONDS = 10


class NotificationSkipped(Exception):
    """This channel has no address for the household (e.g. email, but none given)."""


@dataclass(frozen=True)
class Message:
    phone: str
    email: str
    subject: str
    text: str


class BaseBackend:
    name = "base"

    def send(self, message: Message) -> str:
        """Deliver ``message``; returns the (masked) recipient."""
        raise NotImplementedError


class LogBackend(BaseBackend):
    name = "log"

    def send(self, message: Message) -> str:
        recipient = mask_phone(message.phone)
        logger.info("Notification to %s: %s", recipient, message.text)
        return recipient


class EmailBackend(BaseBackend):
    name = "email"

    def send(self, message: Message) -> str:
        if not message.email:
            raise NotificationSkipped("no email address")
        send_mail(message.subject, message.text, None, [message.email], fail_silently=False)
        return mask_identity_numbers(message.email)


class HttpGatewayBackend(BaseBackend):
    name = "gateway"

    def send(self, message: Message) -> str:
        if not message.phone:
            raise NotificationSkipped("no phone number")
        request = urllib.request.Request(
            settings.NOTIFICATION_GATEWAY_URL,
            data=json.dumps({"to": message.phone, "message": message.text}).encode("utf-8"),
            headers={"Content-Type": "application/json",
                "Authorization": f"Bearer {settings.NOTIFICATION_GATEWAY_TOKEN}"},
            method="POST",
        )
        # A slow gateway must not hold a worker (or, run eagerly, a request) for
        # long. A 4xx or 5xx answer raises HTTPError: a failed message.
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS):  # noqa: S310 - the configured URL
            pass
        return mask_phone(message.phone)


def backend() -> BaseBackend:
    return import_string(settings.NOTIFICATION_BACKEND)()
