"""Household messages are an outbox: written in the step's own transaction,
sent after it, retried when they fail or were never handed to a worker, and
never sent twice. A card sent again in a new dispatch gets a new message."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from cards import services
from cards.models import CardEvent, Notification
from tests.cards.distribution_helpers import printed_cards, ready, sent
from tests.factories import KRANJI, superuser

pytestmark = pytest.mark.django_db
EMAIL = "kartusehat.notifications.EmailBackend"


def test_it_writes_the_message_in_the_receipts_transaction_even_if_never_sent(settings):
    dispatch, (card,) = sent(1)

    # Outside django_capture_on_commit_callbacks the after-commit send never runs,
    # as when the broker is down: the message is still owed.
    services.dispatch_receive(dispatch_id=dispatch.pk, by=superuser())

    assert list(Notification.objects.filter(card=card).values_list("status", "kind")) == [
        ("pending", f"ready:{dispatch.pk}:0"),
    ]


def test_it_sends_what_is_owed_on_the_next_retry(settings):
    settings.NOTIFICATION_BACKEND = EMAIL
    dispatch, (card,) = sent(1)
    card.household.__class__.objects.filter(pk=card.household_id).update(email="warga@example.com")
    services.dispatch_receive(dispatch_id=dispatch.pk, by=superuser())
    Notification.objects.update(at=timezone.now() - dt.timedelta(minutes=5))

    assert services.notifications_retry() == 1

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["warga@example.com"]
    notification = Notification.objects.get(card=card)
    assert (notification.status, notification.attempts) == ("sent", 1)
    assert notification.sent_at is not None
    assert services.notifications_retry() == 0  # sent once, never again


def test_it_retries_a_failed_message_up_to_the_limit(settings):
    settings.NOTIFICATION_BACKEND = "kartusehat.notifications.HttpGatewayBackend"
    settings.NOTIFICATION_GATEWAY_URL = "http://127.0.0.1:9/nobody-listens"
    dispatch, (card,) = sent(1)
    services.dispatch_receive(dispatch_id=dispatch.pk, by=superuser())
    pending = Notification.objects.get(card=card)

    for _attempt in range(services.MAX_ATTEMPTS + 2):
        services.notification_send(notification_id=pending.pk)

    pending.refresh_from_db()
    assert (pending.status, pending.attempts) == ("failed", services.MAX_ATTEMPTS)
    assert pending.error
    assert not CardEvent.objects.filter(card=card, kind="notified").exists()


def test_it_sends_again_a_message_whose_worker_died_while_sending(settings):
    settings.NOTIFICATION_BACKEND = EMAIL
    dispatch, (card,) = sent(1)
    card.household.__class__.objects.filter(pk=card.household_id).update(email="warga@example.com")
    services.dispatch_receive(dispatch_id=dispatch.pk, by=superuser())
    long_ago = timezone.now() - services.SENDING_TIMEOUT - dt.timedelta(minutes=1)
    Notification.objects.update(status="sending", attempts=1, tried_at=long_ago)

    assert services.notifications_retry() == 1
    assert Notification.objects.get(card=card).status == "sent"


def test_it_sends_a_new_message_when_a_returned_card_is_sent_again(settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_BACKEND = EMAIL
    cards = printed_cards(1, KRANJI, email="warga@example.com")
    first = services.dispatch_create(kelurahan_code=KRANJI, by=superuser())
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch_receive(dispatch_id=first.pk, by=superuser())
    services.card_return(card_id=cards[0].pk, reason="Tidak diambil sampai batas", by=superuser())
    second = services.dispatch_create(kelurahan_code=KRANJI, by=superuser(), pickup_place="Aula RW 08 Kranji")

    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch_receive(dispatch_id=second.pk, by=superuser())

    assert len(mail.outbox) == 2
    assert "Aula RW 08 Kranji" in mail.outbox[1].body
    assert Notification.objects.filter(card=cards[0], status="sent").count() == 2


def test_it_skips_a_message_for_a_card_collected_before_it_was_sent():
    dispatch, (card,) = ready(1)
    services.card_collect(card_id=card.pk, by=superuser(), collector="head")
    notification = Notification.objects.get(card=card)

    assert services.notification_send(notification_id=notification.pk) == "skipped"
    assert not mail.outbox
