"""Messages to households (a card is ready, or moved to an RW coordinator):
an outbox.

An outbox row is written in the step's own transaction, so the message is
owed even if the broker is down at commit. A worker sends it after the
commit; the beat task ``notifications_retry`` picks up what is left. Each
message is claimed by one sender with a compare-and-set, and no lock is held
while the channel answers.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kartusehat import notifications
from kartusehat.logging import mask_identity_numbers

from .. import tasks
from ..models import Card, CardEvent, Notification
from .common import event

logger = logging.getLogger(__name__)

NOTIFY_CHUNK = 100
MAX_ATTEMPTS = 5
# A message "being sent" for longer than this was lost with its worker.
SENDING_TIMEOUT = dt.timedelta(minutes=15)


def message_key(card: Card) -> str:
    """Which message a waiting card calls for: where it waits now."""
    return f"ready:{card.dispatch_id}:{card.handover_id or 0}"


def queue_ready_messages(card_ids) -> None:
    """The "card ready" message of each card, as outbox rows in the caller's
    transaction, handed to workers in chunks after the commit."""
    cards = Card.objects.filter(pk__in=card_ids).only("pk", "dispatch_id", "handover_id")
    Notification.objects.bulk_create(
        [Notification(card_id=card.pk, kind=message_key(card)) for card in cards], ignore_conflicts=True,
    )
    keys = {message_key(card) for card in cards}
    ids = sorted(Notification.objects.filter(card_id__in=card_ids, kind__in=keys, status=Notification.Status.PENDING)
                 .values_list("pk", flat=True))
    for start in range(0, len(ids), NOTIFY_CHUNK):
        chunk = ids[start:start + NOTIFY_CHUNK]
        # Robust: a broker that is down is logged, never undoes the step.
        transaction.on_commit(lambda chunk=chunk: tasks.send_notifications.delay(chunk), robust=True)


def ready_message(card: Card) -> notifications.Message:
    """The "card ready" message, in the portal's language (``templates/cards/messages/``)."""
    with translation.override(settings.LANGUAGE_CODE):
        return notifications.Message(
            phone=card.household.phone, email=card.household.email,
            subject=_("Your Kartu Sehat is ready"),
            text=render_to_string("cards/messages/card_ready.txt", {
                "number": card.number, "place": card.pickup_place,
                "deadline": card.pickup_deadline.strftime("%d-%m-%Y"), "hotline": settings.KARTUSEHAT_CITY["hotline"],
            }).strip(),
        )


def notification_send(*, notification_id: int) -> str:
    """Send one outbox message through the configured channel; never raises.

    Claimed with a compare-and-set (pending or failed -> sending), so two
    workers never send the same message; no lock is held while the channel
    answers, so a slow gateway holds up nobody.
    """
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status__in=[Notification.Status.PENDING, Notification.Status.FAILED],
        attempts__lt=MAX_ATTEMPTS,
    ).update(status=Notification.Status.SENDING, attempts=F("attempts") + 1, tried_at=now)
    if not claimed:
        return Notification.objects.filter(pk=notification_id).values_list("status", flat=True).first() or "unknown"
    notification = Notification.objects.select_related("card__household", "card__dispatch",
        "card__handover").get(pk=notification_id)
    card = notification.card
    channel = notifications.backend()
    if card.status != Card.Status.READY or message_key(card) != notification.kind:
        status, recipient, error = Notification.Status.SKIPPED, "", "the card moved on before the message was sent"
    else:
        status, recipient, error = Notification.Status.SENT, "", ""
        try:
            recipient = channel.send(ready_message(card))
        except notifications.NotificationSkipped as exc:
            status, error = Notification.Status.SKIPPED, str(exc)
        except Exception as exc:  # noqa: BLE001 - any failure of the channel is recorded, never raised
            status, error = Notification.Status.FAILED, mask_identity_numbers(f"{type(exc).__name__}: {exc}")
            logger.warning("Notification %s failed: %s", notification_id, error)
    with transaction.atomic():
        Notification.objects.filter(pk=notification_id, status=Notification.Status.SENDING).update(
            status=status, backend=channel.name, recipient=recipient[:100], error=error[:300],
            sent_at=timezone.now() if status == Notification.Status.SENT else None,
        )
        if status == Notification.Status.SENT:
            event(card.pk, CardEvent.Kind.NOTIFIED, note=f"{channel.name}: {recipient}")
    return status


def notifications_retry(*, now=None) -> int:
    """Send what is still owed: messages never handed to a worker, failed ones
    (up to ``MAX_ATTEMPTS``), and ones whose worker died while sending."""
    now = now or timezone.now()
    Notification.objects.filter(status=Notification.Status.SENDING, tried_at__lt=now - SENDING_TIMEOUT).update(
        status=Notification.Status.FAILED, error="the worker stopped while sending",
    )
    due = Notification.objects.filter(
        Q(status=Notification.Status.PENDING, at__lt=now - dt.timedelta(minutes=2))
        | Q(status=Notification.Status.FAILED, attempts__lt=MAX_ATTEMPTS)
    ).values_list("pk", flat=True)
    sent = 0
    for notification_id in list(due):
        sent += notification_send(notification_id=notification_id) == Notification.Status.SENT
    return sent
