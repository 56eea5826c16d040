"""Notifications on real services: PostgreSQL, Redis, two Celery worker
processes and a local SMS gateway. The same batch of "card ready" messages
is handed to both workers at once (as a retried task would be): every
household gets exactly one message, and each card records it once."""

import json
import os
import subprocess
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings

from cards import tasks
from cards.models import Card, CardEvent, Notification
from tests.cards.distribution_helpers import sent
from tests.cards.worker_helpers import ROOT, wait_until_ready
from tests.factories import superuser

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
CARDS = 12


class Gateway(BaseHTTPRequestHandler):
    received: list = []
    lock = threading.Lock()

    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.lock:
            self.received.append((self.headers["Authorization"], body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"ok": true}')

    def log_message(self, *args):
        pass


def start_worker(queue: str, name: str, gateway_url: str) -> subprocess.Popen:
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kartusehat.settings",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
            f"/{database['NAME']}"
        ),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "NOTIFICATION_BACKEND": "kartusehat.notifications.HttpGatewayBackend",
        "NOTIFICATION_GATEWAY_URL": gateway_url,
        "NOTIFICATION_GATEWAY_TOKEN": "rahasia-gateway",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kartusehat", "worker", "--loglevel=WARNING", "--pool=solo",
         "--queues", queue, "--hostname", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def test_it_sends_each_household_one_message_when_two_workers_get_the_same_task(settings):
    from cards import services

    # Received with the log backend in this process; the workers then send
    # through the gateway, as production would.
    settings.NOTIFICATION_BACKEND = "kartusehat.notifications.LogBackend"
    dispatch, cards = sent(CARDS)
    services.dispatch_receive(dispatch_id=dispatch.pk, by=superuser())
    # Owed again, as if the broker had been down at the receipt.
    Notification.objects.update(status="pending", attempts=0, sent_at=None, backend="", recipient="")
    CardEvent.objects.filter(kind="notified").delete()
    ids = list(Notification.objects.values_list("pk", flat=True))
    card_ids = [card.pk for card in cards]

    Gateway.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/send"
    queue = f"notify-{uuid.uuid4().hex[:8]}"
    workers = [start_worker(queue, f"n{n}-{queue}", url) for n in range(2)]
    try:
        wait_until_ready([f"n{n}-{queue}" for n in range(2)])
        results = [tasks.send_notifications.apply_async(args=[ids], queue=queue) for _ in range(2)]
        outcomes = [result.get(timeout=120) for result in results]
    finally:
        for worker in workers:
            worker.terminate()
        outputs = [worker.communicate(timeout=60)[0].decode() for worker in workers]
        server.shutdown()

    phones = sorted(body["to"] for _auth, body in Gateway.received)
    assert phones == sorted(Card.objects.get(pk=pk).household.phone for pk in card_ids), outputs
    assert {auth for auth, _body in Gateway.received} == {"Bearer rahasia-gateway"}
    # Each message was claimed by one worker; the other found it being sent, or sent.
    assert sum(sum(outcome.values()) for outcome in outcomes) == 2 * CARDS
    assert Notification.objects.filter(status="sent").count() == CARDS
    assert CardEvent.objects.filter(kind="notified").count() == CARDS
