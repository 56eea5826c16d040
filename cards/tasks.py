"""Celery tasks for the print office: thin, idempotent, retry-safe.

``batch_render`` may run twice for one batch (acks_late: a worker that dies
mid-batch leaves the message to be delivered again). Each step is safe to
repeat: only a pending batch can be claimed, the claim token decides which
worker may renew, complete or release it, and completing a finished batch
changes nothing, so no card is printed twice and no blanko is consumed twice.
A worker that dies leaves its batch to the sweeper (``batches_recover``, see
``cards.services.batches``); one that loses its database connection gives the
batch back on a fresh connection (or, if the database is still down, leaves
it to the sweeper), and the batch is claimed again.

Tasks call ``cards.services``, and the services hand work to these tasks after
their commit, so the two modules import each other. Both only look each
other's names up when called, so either may be imported first
(``tests/cards/test_tasks_and_services_import_order.py``).
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid

from celery import shared_task
from django.conf import settings
from django.core.files import File
from django.db import InterfaceError, OperationalError, connections
from django.utils import translation

from . import selectors, services
from .models import Batch
from .rendering import render_cards

logger = logging.getLogger("kartusehat.print")

PROGRESS_EVERY = 50
# A lost database connection: PostgreSQL restarted, the backend was killed.
CONNECTION_LOST = (OperationalError, InterfaceError)
CLAIM_RETRIES, CLAIM_RETRY_SECONDS = 10, 15


class BatchTaken(Exception):
    """The batch is no longer this worker's: its lease ran out and the sweeper
    gave it back, or the print office cancelled it."""


def _fresh_connections() -> None:
    """Drop every database connection of this worker; the next query opens a new one."""
    for connection in connections.all():
        try:
            connection.close()
        except CONNECTION_LOST:
            pass  # already broken: closing it is all we wanted


def _result(batch_id: int, status: str, cards: int = 0) -> dict:
    return {"batch": batch_id, "status": status, "cards": cards, "worker": os.getpid()}


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def batch_render(self, batch_id: int) -> dict:
    claim = uuid.uuid4().hex
    try:
        batch = services.batch_claim(batch_id=batch_id, claim=claim)
    except CONNECTION_LOST as exc:
        # Nothing was claimed (one transaction): try again on a fresh connection.
        _fresh_connections()
        raise self.retry(exc=exc, countdown=CLAIM_RETRY_SECONDS, max_retries=CLAIM_RETRIES) from exc
    if batch.status != Batch.Status.RENDERING or batch.claim != claim:
        return _result(batch_id, batch.status, batch.cards_count)
    pdf_name = ""
    try:
        pdf_name = _render(batch, claim)
        batch = services.batch_complete(batch_id=batch_id, pdf_name=pdf_name, claim=claim)
    except BatchTaken:
        logger.warning("print batch %s was taken back from this worker; nothing printed here", batch_id)
        return _result(batch_id, "taken")
    except CONNECTION_LOST as exc:
        _fresh_connections()
        _give_back(batch_id, claim, f"{type(exc).__name__}: {exc}")
        return _result(batch_id, "released")
    except Exception as exc:
        services.batch_fail(batch_id=batch_id, claim=claim, error=f"{type(exc).__name__}: {exc}")
        raise
    finally:
        if pdf_name and batch.pdf.name != pdf_name:  # rendered, but the cards were not printed from it
            try:
                batch.pdf.storage.delete(pdf_name)
            except OSError:
                logger.warning("print batch %s: could not delete an unused PDF", batch_id)
    return _result(batch_id, batch.status, batch.cards_count)


def _give_back(batch_id: int, claim: str, error: str) -> None:
    """After a lost connection: the cards back to the queue and the batch sent
    again, on a fresh connection; if the database is still away, the lease
    runs out and the sweeper does it."""
    try:
        services.batch_release(batch_id=batch_id, claim=claim, error=error)
    except CONNECTION_LOST:
        _fresh_connections()
        logger.warning("print batch %s: database unreachable; the sweeper releases it when its lease ends", batch_id)


def _render(batch: Batch, claim: str) -> str:
    cards = selectors.batch_card_data(batch)

    def progress(done: int) -> None:
        if done % PROGRESS_EVERY == 0 and not services.batch_progress(batch_id=batch.pk, claim=claim, rendered=done):
            raise BatchTaken

    with translation.override("id"), tempfile.TemporaryFile() as out:
        render_cards(selectors.counting(cards, progress), out, city=settings.KARTUSEHAT_CITY)
        if not services.batch_progress(batch_id=batch.pk, claim=claim, rendered=batch.cards_count):
            raise BatchTaken
        out.seek(0)
        # A re-run renders again under a new random name; the last one wins.
        name = batch.pdf.storage.save(f"batches/batch-{batch.pk}.pdf", File(out))
    return name


@shared_task
def batch_sweep() -> dict:
    """Every minute (beat): batches whose worker is gone go back to the queue."""
    return services.batches_recover()


@shared_task(acks_late=True)
def batch_schedule(size: int = 500) -> int | None:
    """Beat: start a batch when cards are waiting (none if nothing can be printed)."""
    if not selectors.printable_now():
        return None
    return services.batch_create(size=size).pk


@shared_task(acks_late=True)
def send_notifications(notification_ids: list[int]) -> dict:
    """Send these outbox messages (a household's card is ready, or moved).

    Never raises; each outcome is recorded on its ``Notification``. A message
    already sent, or being sent by another worker, is not sent again.
    """
    outcomes: dict[str, int] = {}
    for notification_id in notification_ids:
        outcome = services.notification_send(notification_id=notification_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@shared_task
def notifications_retry() -> int:
    """Every few minutes (beat): send what is still owed, retry what failed."""
    return services.notifications_retry()


@shared_task
def pickup_overdue() -> dict:
    """Daily (beat): per kelurahan, cards uncollected past their deadline and
    dispatches nobody confirmed, with a note to the kelurahan's staff."""
    return services.pickup_overdue_report()
