"""When cards are ready (receipt) or move to an RW coordinator (handover), each
household is told where and until when, through the configured channel (log,
email or an HTTP SMS/WhatsApp gateway). The outcome is recorded; a failing
channel never breaks the receipt, and the same message is sent only once."""

import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from cards import services
from cards.models import Card, CardEvent, Dispatch, Notification
from kartusehat.text import mask_phone
from tests.cards.distribution_helpers import kelurahan_user, printed_cards, sent
from tests.factories import KRANJI, superuser

pytestmark = pytest.mark.django_db

EMAIL = "kartusehat.notifications.EmailBackend"
GATEWAY = "kartusehat.notifications.HttpGatewayBackend"
TOKEN = "rahasia-gateway-uji"
PLACE = "Aula Kelurahan Kranji, Jl. Kenari 4"


def _receive(capture, dispatch: Dispatch):
    """Confirm receipt and run what it starts after commit (the notifications)."""
    with capture(execute=True):
        services.dispatch_receive(dispatch_id=dispatch.pk, by=kelurahan_user())
    return Dispatch.objects.get(pk=dispatch.pk)


def _dispatch_of(cards) -> Dispatch:
    dispatch = services.dispatch_create(kelurahan_code=KRANJI, by=superuser(), pickup_place=PLACE)
    assert set(dispatch.cards.values_list("pk", flat=True)) == {card.pk for card in cards}
    return dispatch


def _assert_receipt_succeeded(dispatch: Dispatch, cards) -> None:
    assert dispatch.status == Dispatch.Status.RECEIVED
    assert {Card.objects.get(pk=card.pk).status for card in cards} == {Card.Status.READY}


class _Gateway:
    """A local HTTP server standing in for the SMS gateway: records each request."""

    def __init__(self, status: int = 200):
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # http.server's name for the handler
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}' if status < 300 else b'{"error": "down"}')

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _gateway_settings(settings, url: str) -> None:
    settings.NOTIFICATION_BACKEND = GATEWAY
    settings.NOTIFICATION_GATEWAY_URL = url
    settings.NOTIFICATION_GATEWAY_TOKEN = TOKEN


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/send"


# --- The default channel: the log ----------------------------------------------


def test_it_notifies_each_ready_card_once_through_the_log_by_default(django_capture_on_commit_callbacks):
    dispatch, cards = sent(2)

    dispatch = _receive(django_capture_on_commit_callbacks, dispatch)

    _assert_receipt_succeeded(dispatch, cards)
    for card in cards:
        notification = Notification.objects.get(card=card)
        assert (notification.status, notification.backend) == (Notification.Status.SENT, "log")
        assert notification.recipient == mask_phone(card.household.phone)
        assert CardEvent.objects.filter(card=card, kind=CardEvent.Kind.NOTIFIED).count() == 1


def test_it_masks_the_phone_number_in_the_log(django_capture_on_commit_callbacks, caplog):
    dispatch, (card,) = sent(1)
    phone = card.household.phone
    assert phone.startswith("+628")
    caplog.set_level(logging.INFO, logger="kartusehat.notifications")

    _receive(django_capture_on_commit_callbacks, dispatch)

    lines = [r.getMessage() for r in caplog.records if r.name == "kartusehat.notifications"]
    assert len(lines) == 1
    assert card.number in lines[0]
    assert mask_phone(phone) in lines[0]
    assert phone not in caplog.text
    assert phone[1:] not in caplog.text and "0" + phone[3:] not in caplog.text


# --- Email ----------------------------------------------------------------------


def test_it_mails_a_household_with_an_email_the_place_and_deadline(settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_BACKEND = EMAIL
    cards = printed_cards(1, email="siti.rahma@example.com")
    dispatch = _dispatch_of(cards)

    dispatch = _receive(django_capture_on_commit_callbacks, dispatch)

    _assert_receipt_succeeded(dispatch, cards)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["siti.rahma@example.com"]
    assert message.subject
    assert PLACE in message.body
    assert dispatch.pickup_deadline.strftime("%d-%m-%Y") in message.body
    assert cards[0].number in message.body
    notification = Notification.objects.get(card=cards[0])
    assert (notification.status, notification.backend) == (Notification.Status.SENT, "email")
    assert "siti.rahma@example.com" not in notification.recipient  # masked


def test_it_skips_a_household_without_an_email(settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_BACKEND = EMAIL
    cards = printed_cards(1, email="")
    dispatch = _dispatch_of(cards)

    dispatch = _receive(django_capture_on_commit_callbacks, dispatch)

    _assert_receipt_succeeded(dispatch, cards)
    assert mail.outbox == []
    notification = Notification.objects.get(card=cards[0])
    assert (notification.status, notification.backend) == (Notification.Status.SKIPPED, "email")
    assert not CardEvent.objects.filter(card=cards[0], kind=CardEvent.Kind.NOTIFIED).exists()


# --- The HTTP gateway -------------------------------------------------------------


def test_it_posts_the_number_and_message_to_the_gateway_with_the_token(settings, django_capture_on_commit_callbacks):
    dispatch, (card,) = sent(1, pickup_place=PLACE)
    with _Gateway() as gateway:
        _gateway_settings(settings, gateway.url)
        dispatch = _receive(django_capture_on_commit_callbacks, dispatch)

    _assert_receipt_succeeded(dispatch, [card])
    assert len(gateway.requests) == 1
    request = gateway.requests[0]
    assert request["path"] == "/api/send"
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    body = json.loads(request["body"])
    assert set(body) == {"to", "message"}
    assert body["to"] == card.household.phone and body["to"].startswith("+628")
    assert PLACE in body["message"] and card.number in body["message"]
    assert dispatch.pickup_deadline.strftime("%d-%m-%Y") in body["message"]
    notification = Notification.objects.get(card=card)
    assert (notification.status, notification.backend) == (Notification.Status.SENT, "gateway")
    assert card.household.phone not in notification.recipient


def test_it_records_a_failure_when_the_gateway_answers_500_and_still_receives(settings,
    django_capture_on_commit_callbacks):
    dispatch, cards = sent(2)
    with _Gateway(status=500) as gateway:
        _gateway_settings(settings, gateway.url)
        dispatch = _receive(django_capture_on_commit_callbacks, dispatch)

    assert len(gateway.requests) == 2
    _assert_receipt_succeeded(dispatch, cards)
    for card in cards:
        notification = Notification.objects.get(card=card)
        assert (notification.status, notification.backend) == (Notification.Status.FAILED, "gateway")
        assert notification.error
        assert not CardEvent.objects.filter(card=card, kind=CardEvent.Kind.NOTIFIED).exists()


def test_it_records_a_failure_when_the_gateway_is_not_listening_and_still_receives(settings,
    django_capture_on_commit_callbacks):
    dispatch, (card,) = sent(1)
    _gateway_settings(settings, _closed_port_url())

    dispatch = _receive(django_capture_on_commit_callbacks, dispatch)

    _assert_receipt_succeeded(dispatch, [card])
    notification = Notification.objects.get(card=card)
    assert (notification.status, notification.backend) == (Notification.Status.FAILED, "gateway")
    assert notification.error


# --- Once only, and again for a new place -------------------------------------------


def test_it_sends_the_same_message_once_however_often_asked(settings):
    settings.NOTIFICATION_BACKEND = EMAIL
    cards = printed_cards(1, email="budi@example.com")
    dispatch = _dispatch_of(cards)
    services.dispatch_receive(dispatch_id=dispatch.pk, by=kelurahan_user())  # its after-commit notice never runs here
    pending = Notification.objects.get(card=cards[0])

    first = services.notification_send(notification_id=pending.pk)
    second = services.notification_send(notification_id=pending.pk)
    services.dispatch_receive(dispatch_id=dispatch.pk, by=kelurahan_user())  # confirmed again: no new message

    assert (first, second) == ("sent", "sent")
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(card=cards[0]).count() == 1
    assert CardEvent.objects.filter(card=cards[0], kind=CardEvent.Kind.NOTIFIED).count() == 1


def test_it_tells_the_household_the_coordinators_place_after_a_handover(settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_BACKEND = EMAIL
    cards = printed_cards(1, email="budi@example.com")
    dispatch = _receive(django_capture_on_commit_callbacks, _dispatch_of(cards))
    assert len(mail.outbox) == 1
    rw = cards[0].household.rw
    coordinator_place = "Rumah Pak Darto, Jl. Melati 12"

    with django_capture_on_commit_callbacks(execute=True):
        handover = services.dispatch_hand_over(
            dispatch_id=dispatch.pk, rw=rw, coordinator_name="Pak Darto", pickup_place=coordinator_place,
            by=kelurahan_user(),
        )

    assert len(mail.outbox) == 2
    assert coordinator_place in mail.outbox[1].body
    assert PLACE not in mail.outbox[1].body
    notifications = Notification.objects.filter(card=cards[0]).order_by("id")
    assert [(n.kind, n.status) for n in notifications] == [
        (f"ready:{dispatch.pk}:0", Notification.Status.SENT), (f"ready:{dispatch.pk}:{handover.pk}",
            Notification.Status.SENT),
    ]
    assert CardEvent.objects.filter(card=cards[0], kind=CardEvent.Kind.NOTIFIED).count() == 2
