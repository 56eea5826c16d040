"""Celery tasks for the print office: thin, idempotent, retry-safe.

``batch_render`` may run twice for one batch (acks_late: a worker that dies
mid-batch leaves the message to be delivered again). Each step is safe to
repeat: claiming a claimed batch returns it unchanged, the PDF is rendered
again from the same cards, and completing a finished batch changes nothing,
so no card is printed twice and no blanko is consumed twice.

Tasks call ``cards.services``, and the services hand work to these tasks after
their commit, so the two modules import each other. Both only look each
other's names up when called, so either may be imported first
(``tests/cards/test_tasks_and_services_import_order.py``).
"""

from __future__ import annotations

import os
import tempfile

from celery import shared_task
from django.conf import settings
from django.core.files import File
from django.utils import translation

from . import selectors, services
from .models import Batch
from .rendering import render_cards

PROGRESS_EVERY = 50


@shared_task(acks_late=True, reject_on_worker_lost=True)
def batch_render(batch_id: int) -> dict:
    batch = services.batch_claim(batch_id=batch_id)
    if batch.status != Batch.Status.RENDERING:
        return {"batch": batch_id, "status": batch.status, "cards": batch.cards_count, "worker": os.getpid()}
    try:
        pdf_name = _render(batch)
    except Exception as exc:
        services.batch_fail(batch_id=batch_id, error=f"{type(exc).__name__}: {exc}")
        raise
    batch = services.batch_complete(batch_id=batch_id, pdf_name=pdf_name)
    return {"batch": batch_id, "status": batch.status, "cards": batch.cards_count, "worker": os.getpid()}


def _render(batch: Batch) -> str:
    cards = selectors.batch_card_data(batch)

    def progress(done: int) -> None:
        if done % PROGRESS_EVERY == 0:
            services.batch_progress(batch_id=batch.pk, rendered=done)

    with translation.override("id"), tempfile.TemporaryFile() as out:
        render_cards(selectors.counting(cards, progress), out, city=settings.KARTUSEHAT_CITY)
        out.seek(0)
        # A re-run renders again under a new random name; the last one wins.
        name = batch.pdf.storage.save(f"batches/batch-{batch.pk}.pdf", File(out))
    return name


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
