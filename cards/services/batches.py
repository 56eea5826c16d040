"""Print batches: claim the next cards (emergencies first), reserve their
blanks, render one PDF, and consume the blanks of the cards printed.

Every step is idempotent, so a task delivered twice (``acks_late``) never
prints a card or consumes a blank twice (see ``cards.tasks``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kartusehat.refusals import Invalid, require_perm

from .. import tasks
from ..models import Batch, Card, CardEvent, LedgerEntry, ServiceMode
from ..selectors import effective_mode
from .common import events, is_count, lock_stock, write_ledger

MAX_BATCH = 10_000


def batch_create(*, size: int, by=None) -> Batch:
    """A batch of up to ``size`` cards; a worker claims and renders it after commit."""
    if by is not None:  # None: the system (the beat schedule)
        require_perm(by, "cards.add_batch")
    if not is_count(size) or not 1 <= size <= MAX_BATCH:
        raise Invalid({"size": [_("Enter a batch size from 1 to %(max)d.") % {"max": MAX_BATCH}]})
    with transaction.atomic():
        batch = Batch.objects.create(size=size, created_by=by)
        # robust: a failure to hand over (or, run eagerly, to render) is logged and
        # recorded on the batch; it never turns the request that asked into a 500.
        transaction.on_commit(lambda: tasks.batch_render.delay(batch.pk), robust=True)
    return batch


def batch_claim(*, batch_id: int) -> Batch:
    """Take the next cards for a pending batch, emergencies first, and reserve
    their blanks. Idempotent: a batch already claimed is returned as it is.

    On PostgreSQL the cards are read with ``FOR UPDATE SKIP LOCKED``: a card
    another transaction holds (being cancelled or raised) is left for later
    instead of waited for. Claims themselves queue on the stock row lock, so
    two workers never reserve the same blanks or take the same card.
    """
    with transaction.atomic():
        batch = Batch.objects.select_for_update().get(pk=batch_id)
        if batch.status != Batch.Status.PENDING:
            return batch
        stock = lock_stock()
        forced = ServiceMode.objects.values_list("forced", flat=True).get(pk=1)
        regular_allowed = effective_mode(stock, forced) == ServiceMode.Mode.NORMAL

        queued = Card.objects.select_for_update(skip_locked=True).filter(status=Card.Status.QUEUED, batch__isnull=True)
        emergency_room = min(batch.size, stock.on_hand - stock.reserved)
        emergencies = list(
            queued.filter(priority=Card.Priority.EMERGENCY).order_by("requested_at", "id").values_list("pk",
                flat=True)[:max(0, emergency_room)]
        )
        regular_room = min(
            batch.size - len(emergencies),
            stock.on_hand - stock.reserved - len(emergencies) - stock.emergency_reserve,
        ) if regular_allowed else 0
        regulars = list(
            queued.filter(priority=Card.Priority.REGULAR).order_by("requested_at", "id").values_list("pk",
                flat=True)[:max(0, regular_room)]
        )
        chosen = emergencies + regulars
        now = timezone.now()
        taken = Card.objects.filter(pk__in=chosen, status=Card.Status.QUEUED, batch__isnull=True).update(
            status=Card.Status.PRINTING, batch=batch
        )
        if taken != len(chosen):  # a lock we held should make this impossible
            raise RuntimeError("cards changed while claimed")
        if taken:
            stock.reserved += taken
            write_ledger(stock, LedgerEntry.Kind.RESERVED, taken, batch=batch)
            events(chosen, CardEvent.Kind.PRINTING, note=_("Batch #%(id)d") % {"id": batch.pk}, at=now)
        batch.cards_count = taken
        batch.emergency_only = not regular_allowed
        batch.claimed_at = now
        if taken:
            batch.status = Batch.Status.RENDERING
        else:
            batch.status, batch.finished_at = Batch.Status.DONE, now
        batch.save(update_fields=["cards_count", "emergency_only", "claimed_at", "status", "finished_at"])
    return batch


def batch_progress(*, batch_id: int, rendered: int) -> None:
    Batch.objects.filter(pk=batch_id, status=Batch.Status.RENDERING).update(rendered=rendered)


def batch_complete(*, batch_id: int, pdf_name: str) -> Batch:
    """The PDF is stored: the batch's cards are printed and their blanks consumed.
    Idempotent: a second call for a finished batch changes nothing."""
    with transaction.atomic():
        batch = Batch.objects.select_for_update().get(pk=batch_id)
        if batch.status != Batch.Status.RENDERING:
            return batch
        stock = lock_stock()
        now = timezone.now()
        printing = list(Card.objects.filter(batch=batch, status=Card.Status.PRINTING).values_list("pk", flat=True))
        printed = Card.objects.filter(pk__in=printing, status=Card.Status.PRINTING).update(
            status=Card.Status.PRINTED, printed_at=now
        )
        events(printing, CardEvent.Kind.PRINTED, note=_("Batch #%(id)d") % {"id": batch.pk}, at=now)
        if printed:
            stock.on_hand -= printed
            stock.reserved -= printed
            stock.consumed += printed
            write_ledger(stock, LedgerEntry.Kind.CONSUMED, printed, batch=batch)
        batch.status, batch.finished_at = Batch.Status.DONE, now
        batch.rendered = batch.cards_count
        batch.pdf.name = pdf_name
        batch.save(update_fields=["status", "finished_at", "rendered", "pdf"])
    return batch


def batch_fail(*, batch_id: int, error: str) -> Batch:
    """Rendering failed for good: the cards go back to the queue and their
    blanks are released; nothing was printed."""
    with transaction.atomic():
        batch = Batch.objects.select_for_update().get(pk=batch_id)
        if batch.status not in (Batch.Status.PENDING, Batch.Status.RENDERING):
            return batch
        stock = lock_stock()
        printing = list(Card.objects.filter(batch=batch, status=Card.Status.PRINTING).values_list("pk", flat=True))
        released = Card.objects.filter(pk__in=printing, status=Card.Status.PRINTING).update(
            status=Card.Status.QUEUED, batch=None
        )
        events(printing, CardEvent.Kind.RELEASED, note=_("Batch #%(id)d") % {"id": batch.pk})
        if released:
            stock.reserved -= released
            write_ledger(stock, LedgerEntry.Kind.RELEASED, released, batch=batch)
        batch.status, batch.finished_at, batch.error = Batch.Status.FAILED, timezone.now(), error[:2000]
        batch.save(update_fields=["status", "finished_at", "error"])
    return batch


# --- Distribution: dispatch, receipt, pickup, collection ---------------------
#
# Locks are taken in one order everywhere: the dispatch, then households, then
