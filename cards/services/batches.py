"""Print batches: claim the next cards (emergencies first), reserve their
blanks, render one PDF, and consume the blanks of the cards printed.

Every step is idempotent, so a task delivered twice (``acks_late``) never
prints a card or consumes a blank twice (see ``cards.tasks``).

A batch heals itself. The worker that claims a batch holds it under a claim
token and a *lease* (``PRINT_BATCH_LEASE_SECONDS``), which it renews as it
renders; progress, renewal and completion are compare-and-set on the token.
A worker that dies (SIGKILL, a lost database connection, a machine gone)
stops renewing; once the lease has run out the sweeper (``batches_recover``,
every minute on Celery beat) gives the batch's cards back to the queue at
their place, releases their blanks and sends the batch to be claimed again,
so the emergencies at the head of the queue print again within minutes. A
worker that comes back late finds its token gone and prints nothing. After
``PRINT_BATCH_MAX_ATTEMPTS`` claims the batch fails for good (its cards are
queued again either way). The print office can retry or cancel a batch.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kartusehat.refusals import Conflict, Invalid, require_perm

from .. import tasks
from ..models import Batch, Card, CardEvent, LedgerEntry, ServiceMode
from ..selectors import effective_mode
from .common import events, is_count, lock_stock, write_ledger

MAX_BATCH = 10_000
LIVE = (Batch.Status.PENDING, Batch.Status.RENDERING)


def _lease(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(seconds=settings.PRINT_BATCH_LEASE_SECONDS)


def _send(batch_id: int) -> None:
    # robust: a failure to hand over (or, run eagerly, to render) is logged and
    # recorded on the batch; it never turns the request that asked into a 500.
    transaction.on_commit(lambda: tasks.batch_render.delay(batch_id), robust=True)


def batch_create(*, size: int, by=None) -> Batch:
    """A batch of up to ``size`` cards; a worker claims and renders it after commit."""
    if by is not None:  # None: the system (the beat schedule)
        require_perm(by, "cards.add_batch")
    if not is_count(size) or not 1 <= size <= MAX_BATCH:
        raise Invalid({"size": [_("Enter a batch size from 1 to %(max)d.") % {"max": MAX_BATCH}]})
    with transaction.atomic():
        # Claimed within a lease, or the sweeper sends it again (a lost message).
        batch = Batch.objects.create(size=size, created_by=by, lease_until=_lease(timezone.now()))
        _send(batch.pk)
    return batch


def batch_claim(*, batch_id: int, claim: str | None = None) -> Batch:
    """Take the next cards for a pending batch, emergencies first, reserve
    their blanks, and hold the batch under ``claim`` (a new token if None)
    for one lease.
    Idempotent: a batch that is not pending is returned as it is (the caller
    renders it only if it holds the claim).

    On PostgreSQL the cards are read with ``FOR UPDATE SKIP LOCKED``: a card
    another transaction holds (being cancelled or raised) is left for later
    instead of waited for. Claims themselves queue on the stock row lock, so
    two workers never reserve the same blanks or take the same card.
    """
    with transaction.atomic():
        batch = Batch.objects.select_for_update().get(pk=batch_id)
        if batch.status != Batch.Status.PENDING:
            return batch
        claim = claim or uuid.uuid4().hex
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
        batch.cards_count, batch.rendered = taken, 0
        batch.emergency_only = not regular_allowed
        batch.claimed_at = now
        batch.attempts += 1
        if taken:
            batch.status, batch.claim, batch.lease_until = Batch.Status.RENDERING, claim, _lease(now)
        else:
            batch.status, batch.finished_at, batch.lease_until = Batch.Status.DONE, now, None
        batch.save(update_fields=["cards_count", "rendered", "emergency_only", "claimed_at", "attempts", "status",
                                  "claim", "lease_until", "finished_at"])
    return batch


def _held(claim: str | None) -> dict:
    # None: whoever holds it (tests and tools acting as the worker).
    return {} if claim is None else {"claim": claim}


def batch_progress(*, batch_id: int, rendered: int, claim: str | None = None) -> bool:
    """Record progress and renew the lease; False: the batch is no longer this
    worker's (the sweeper gave it back, or staff cancelled it): stop rendering."""
    return bool(Batch.objects.filter(pk=batch_id, status=Batch.Status.RENDERING, **_held(claim)).update(
        rendered=rendered, lease_until=_lease(timezone.now()),
    ))


def batch_complete(*, batch_id: int, pdf_name: str, claim: str | None = None) -> Batch:
    """The PDF is stored: the batch's cards are printed and their blanks consumed.
    Only for the worker holding the claim; anything else (a second call, a
    worker whose batch was taken back) changes nothing."""
    with transaction.atomic():
        batch = Batch.objects.select_for_update().get(pk=batch_id)
        if batch.status != Batch.Status.RENDERING or claim not in (None, batch.claim):
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
        batch.status, batch.finished_at, batch.lease_until = Batch.Status.DONE, now, None
        batch.rendered = batch.cards_count
        batch.pdf.name = pdf_name
        batch.save(update_fields=["status", "finished_at", "lease_until", "rendered", "pdf"])
    return batch


def _release(batch: Batch, stock, note: str) -> int:
    """The batch's cards back to the queue at their place (their request time
    is kept), their blanks released; returns how many."""
    printing = list(Card.objects.filter(batch=batch, status=Card.Status.PRINTING).values_list("pk", flat=True))
    released = Card.objects.filter(pk__in=printing, status=Card.Status.PRINTING).update(
        status=Card.Status.QUEUED, batch=None
    )
    events(printing, CardEvent.Kind.RELEASED, note=note)
    if released:
        stock.reserved -= released
        write_ledger(stock, LedgerEntry.Kind.RELEASED, released, batch=batch)
    return released


def batch_release(*, batch_id: int, error: str, claim: str | None = None) -> Batch:
    """A batch whose worker is gone (its lease ran out) or lost its database
    connection (``claim``: only if it still holds it): its cards go back to the
    queue and it is sent to be claimed again, until ``PRINT_BATCH_MAX_ATTEMPTS``
    claims have been made; then it fails. Nothing was printed."""
    with transaction.atomic():
        batch = Batch.objects.select_for_update().get(pk=batch_id)
        if batch.status != Batch.Status.RENDERING or (claim is not None and batch.claim != claim):
            return batch
        stock = lock_stock()
        _release(batch, stock, _("Batch #%(id)d: %(error)s") % {"id": batch.pk, "error": error[:200]})
        now = timezone.now()
        batch.error = error[:2000]
        batch.claim, batch.rendered, batch.cards_count = "", 0, 0
        if batch.attempts < settings.PRINT_BATCH_MAX_ATTEMPTS:
            batch.status, batch.lease_until = Batch.Status.PENDING, _lease(now)
            _send(batch.pk)
        else:
            batch.status, batch.finished_at, batch.lease_until = Batch.Status.FAILED, now, None
        batch.save(update_fields=["status", "error", "claim", "rendered", "cards_count", "lease_until",
                                  "finished_at"])
    return batch


def batch_fail(*, batch_id: int, error: str, claim: str | None = None, by=None) -> Batch:
    """Rendering failed for good (or staff cancelled the batch, ``by``): the
    cards go back to the queue and their blanks are released; nothing was
    printed. ``claim``: only if the caller still holds the batch."""
    with transaction.atomic():
        batch = Batch.objects.select_for_update().get(pk=batch_id)
        if batch.status not in LIVE or (claim is not None and batch.claim != claim):
            return batch
        stock = lock_stock()
        _release(batch, stock, _("Batch #%(id)d") % {"id": batch.pk})
        batch.status, batch.finished_at, batch.error = Batch.Status.FAILED, timezone.now(), error[:2000]
        batch.claim, batch.lease_until = "", None
        batch.save(update_fields=["status", "finished_at", "error", "claim", "lease_until"])
    return batch


def batches_recover(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The sweeper (Celery beat, every minute): a rendering batch whose lease
    ran out is given back and sent again (``batch_release``); a pending batch
    nobody claimed in time (its message was lost) is sent again."""
    now = now or timezone.now()
    expired = list(Batch.objects.filter(status__in=LIVE, lease_until__lt=now).values_list("pk", "status"))
    released = resent = 0
    for batch_id, status in expired:
        if status == Batch.Status.RENDERING:
            batch_release(batch_id=batch_id, error=_("The worker rendering this batch stopped answering."))
            released += 1
            continue
        with transaction.atomic():
            # Compare-and-set: a worker may claim it at this very moment.
            if Batch.objects.filter(pk=batch_id, status=Batch.Status.PENDING, lease_until__lt=now).update(
                lease_until=_lease(now)
            ):
                _send(batch_id)
                resent += 1
    return {"released": released, "resent": resent}


def batch_retry(*, batch_id: int, by) -> Batch:
    """The print office retries a batch: a stuck one is given back and sent
    again now (without waiting for the sweeper); a failed one is followed by
    a new batch of the same size, which takes the queue's next cards."""
    require_perm(by, "cards.add_batch")
    batch = Batch.objects.get(pk=batch_id)
    if batch.status == Batch.Status.FAILED:
        return batch_create(size=batch.size, by=by)
    if batch.status == Batch.Status.DONE:
        raise Conflict(_("Batch #%(id)d is already printed.") % {"id": batch.pk})
    if not batch.stuck:
        raise Conflict(_("Batch #%(id)d is being printed by a worker right now; retry it only if it stops.")
                       % {"id": batch.pk})
    if batch.status == Batch.Status.RENDERING:
        return batch_release(batch_id=batch.pk, error=_("Retried by %(user)s.") % {"user": by.get_username()})
    with transaction.atomic():
        Batch.objects.filter(pk=batch.pk, status=Batch.Status.PENDING).update(lease_until=_lease(timezone.now()))
        _send(batch.pk)
    return Batch.objects.get(pk=batch.pk)


def batch_cancel(*, batch_id: int, reason: str, by) -> Batch:
    """The print office stops a batch not yet printed: its cards go back to the
    queue, and a worker still rendering it stops at its next renewal."""
    require_perm(by, "cards.add_batch")
    batch = Batch.objects.get(pk=batch_id)
    if batch.status not in LIVE:
        raise Conflict(_("Batch #%(id)d is already finished.") % {"id": batch.pk})
    return batch_fail(batch_id=batch.pk, by=by, error=_("Cancelled by %(user)s: %(reason)s")
                      % {"user": by.get_username(), "reason": reason})


# --- Distribution: dispatch, receipt, pickup, collection ---------------------
#
# Locks are taken in one order everywhere: the dispatch, then households, then
