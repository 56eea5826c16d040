"""Writes for blanko stock, the service mode, the print queue and batches.

Every change to the stock counters locks the single ``Stock`` row and writes
its ``LedgerEntry`` in the same transaction (Zulip style): the ledger always
explains the counters, and two workers can never both take the last blanks.
Cards move between states with compare-and-set updates
(``filter(pk=…, status=X).update(status=Y)``, then check the count).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registrations.validation import single_spaced

from .models import Batch, Card, LedgerEntry, Lot, ServiceMode, Stock
from .numbers import card_number

MAX_BATCH = 10_000


class StockInvalid(Exception):
    """Refused; ``errors`` is a contract-shaped dict (field -> messages)."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__(errors)

    def __str__(self) -> str:
        return "; ".join(message for messages in self.errors.values() for message in messages)


def _require(user, perm: str) -> None:
    if user is not None and not user.has_perm(perm):
        raise PermissionDenied(_("You are not allowed to do this."))


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _stock() -> Stock:
    return Stock.objects.select_for_update().get(pk=1)


def _write(stock: Stock, kind: str, quantity: int, **fields) -> LedgerEntry:
    stock.save()
    return LedgerEntry.objects.create(
        kind=kind, quantity=quantity, on_hand_after=stock.on_hand, reserved_after=stock.reserved, **fields
    )


def effective_mode(stock: Stock, forced: str) -> str:
    """The mode now: the operator's override, else registration only once
    no blank is left for regular cards."""
    if forced:
        return forced
    return ServiceMode.Mode.NORMAL if stock.available_for_regular > 0 else ServiceMode.Mode.REGISTRATION_ONLY


# --- Stock ------------------------------------------------------------------


def stock_receive(*, budget_year: int, quantity: int, received_on: dt.date, reference: str, by) -> Lot:
    """A delivered lot: stock goes up, and regular printing may resume."""
    _require(by, "cards.add_lot")
    reference = single_spaced(reference)
    errors = {}
    if not _is_count(quantity) or quantity <= 0:
        errors["quantity"] = [_("Enter the number of blank cards received (more than 0).")]
    if not isinstance(budget_year, int) or not 2000 <= budget_year <= 2100:
        errors["budget_year"] = [_("Enter the budget year, e.g. 2026.")]
    if not reference:
        errors["reference"] = [_("Enter the contract or delivery-note reference.")]
    elif Lot.objects.filter(reference=reference).exists():
        errors["reference"] = [_("A lot with this reference has already been recorded.")]
    if received_on is None or received_on > timezone.localdate():
        errors["received_on"] = [_("Enter the date the lot arrived (not in the future).")]
    if errors:
        raise StockInvalid(errors)
    with transaction.atomic():
        stock = _stock()
        # Checked again under the stock lock: two clerks recording the same
        # delivery at once get the same clear answer, not a crash.
        if Lot.objects.filter(reference=reference).exists():
            raise StockInvalid({"reference": [_("A lot with this reference has already been recorded.")]})
        lot = Lot.objects.create(
            budget_year=budget_year, quantity=quantity, received_on=received_on, reference=reference, received_by=by
        )
        stock.on_hand += quantity
        stock.received += quantity
        _write(stock, LedgerEntry.Kind.RECEIVED, quantity, lot=lot, by=by)
        # A new lot ends a stop the operator forced for lack of stock; the
        # automatic mode then follows the new stock.
        ServiceMode.objects.filter(pk=1).exclude(forced="").update(
            forced="", message="", updated_at=timezone.now(), updated_by=by
        )
    return lot


def stock_adjust(*, quantity: int, reason: str, by) -> LedgerEntry:
    """A count that differs from the books (stocktake): up or down, with a reason."""
    _require(by, "cards.add_ledgerentry")
    reason = single_spaced(reason)
    if not _is_count(quantity) or quantity == 0:
        raise StockInvalid({"quantity": [_("Enter how many cards to add (positive) or remove (negative).")]})
    if len(reason) < 5:
        raise StockInvalid({"reason": [_("Give the reason for the adjustment.")]})
    with transaction.atomic():
        stock = _stock()
        if stock.on_hand + quantity < stock.reserved:
            raise StockInvalid({"quantity": [
                _("Only %(free)d blank cards are not reserved for batches; the stock cannot go below that.")
                % {"free": stock.on_hand - stock.reserved}
            ]})
        stock.on_hand += quantity
        stock.adjusted += quantity
        return _write(stock, LedgerEntry.Kind.ADJUSTMENT, quantity, reason=reason, by=by)


def stock_spoil_blanks(*, quantity: int, reason: str, by) -> LedgerEntry:
    """Blank cards damaged before printing: they leave the stock as spoiled."""
    _require(by, "cards.add_ledgerentry")
    reason = single_spaced(reason)
    if not _is_count(quantity) or quantity <= 0:
        raise StockInvalid({"quantity": [_("Enter the number of spoiled blank cards (more than 0).")]})
    if len(reason) < 5:
        raise StockInvalid({"reason": [_("Say what happened to the blank cards.")]})
    with transaction.atomic():
        stock = _stock()
        if quantity > stock.on_hand - stock.reserved:
            raise StockInvalid({"quantity": [
                _("Only %(free)d blank cards are not reserved for batches.") % {"free": stock.on_hand - stock.reserved}
            ]})
        stock.on_hand -= quantity
        stock.spoiled += quantity
        return _write(stock, LedgerEntry.Kind.SPOILED, quantity, reason=reason, by=by)


def stock_set_emergency_reserve(*, count: int, by) -> Stock:
    _require(by, "cards.change_stock")
    if not _is_count(count) or count < 0:
        raise StockInvalid({"emergency_reserve": [_("Enter a number of cards, 0 or more.")]})
    with transaction.atomic():
        stock = _stock()
        stock.emergency_reserve = count
        stock.save(update_fields=["emergency_reserve"])
    return stock


def mode_force(*, mode: str, message: str, by) -> ServiceMode:
    """Force ``normal`` or ``registration_only`` with a public message; ``""`` returns to automatic."""
    _require(by, "cards.change_servicemode")
    message = single_spaced(message)
    if mode not in ("", *ServiceMode.Mode.values):
        raise StockInvalid({"mode": [_("Choose normal, registration only, or automatic.")]})
    if mode and len(message) < 10:
        raise StockInvalid({"message": [_("Write the message the public will read (at least 10 characters).")]})
    with transaction.atomic():
        service = ServiceMode.objects.select_for_update().get(pk=1)
        service.forced, service.message = mode, message if mode else ""
        service.updated_at, service.updated_by = timezone.now(), by
        service._history_user = by
        service.save()
    return service


# --- The print queue --------------------------------------------------------


def card_request(*, household, by=None, kind: str = Card.Kind.NEW) -> Card:
    """Queue the household's card at regular priority; its live card if it has one.

    Called by ``registrations.services.registration_verify`` in its transaction.
    """
    from registrations.models import Household

    with transaction.atomic():
        # Lock the household first: without a card there is no row to lock,
        # and two requests at once must agree on one new card, not race.
        Household.objects.select_for_update().filter(pk=household.pk).first()
        live = Card.objects.filter(household=household).exclude(
            status__in=[Card.Status.CANCELLED, Card.Status.REVOKED]
        ).first()
        if live is not None:
            return live
        copy = (Card.objects.filter(household=household).order_by("-copy").values_list("copy", flat=True).first() or 0) + 1
        card = Card(household=household, copy=copy, kind=kind, requested_by=by)
        card._history_user = by
        card.save()
        card.number = card_number(card.pk)
        card.save(update_fields=["number"])
    return card


def card_raise_to_emergency(*, household, reason: str, by) -> Card:
    """Emergency: the household's queued card jumps the queue (never a second card);
    without a live card one is queued at emergency priority.

    Called by ``hospitals.services.emergency_request_submit``, which keeps the
    hospital's letter with its request (the print office sees both)."""
    if reason not in Card.Reason.values:
        raise StockInvalid({"reason": [_("Choose rawat_inap, gawat_darurat or sakit.")]})
    with transaction.atomic():
        card = card_request(household=household, by=by)
        if card.status != Card.Status.QUEUED:
            return card  # already in a batch or printed: nothing to raise
        fields = {"priority": Card.Priority.EMERGENCY, "reason": reason, "raised_at": timezone.now()}
        Card.objects.filter(pk=card.pk, status=Card.Status.QUEUED).update(**fields)
        card.refresh_from_db()
    return card


def card_cancel(*, card_id: int, reason: str, by) -> Card:
    """Take a queued card off the queue. A card in a batch or printed cannot be cancelled."""
    _require(by, "cards.change_card")
    reason = single_spaced(reason)
    if len(reason) < 5:
        raise StockInvalid({"reason": [_("Give the reason for cancelling.")]})
    with transaction.atomic():
        if not Card.objects.filter(pk=card_id, status=Card.Status.QUEUED).update(
            status=Card.Status.CANCELLED, cancelled_reason=reason
        ):
            raise StockInvalid({"non_field_errors": [_("Only a queued card can be cancelled; this one is in a batch or printed.")]})
    return Card.objects.get(pk=card_id)


def card_spoil(*, card_id: int, reason: str, by) -> Card:
    """A printed card came out wrong: its blank counts as spoiled, and the card
    goes back to the queue at its priority, to be printed again."""
    _require(by, "cards.add_ledgerentry")
    reason = single_spaced(reason)
    if len(reason) < 5:
        raise StockInvalid({"reason": [_("Say what is wrong with the printed card.")]})
    with transaction.atomic():
        stock = _stock()
        if not Card.objects.filter(pk=card_id, status=Card.Status.PRINTED).update(
            status=Card.Status.QUEUED, batch=None, printed_at=None
        ):
            raise StockInvalid({"non_field_errors": [_("Only a printed card can be reported as spoiled.")]})
        stock.consumed -= 1
        stock.spoiled += 1
        _write(stock, LedgerEntry.Kind.SPOILED, 1, card_id=card_id, reason=reason, by=by)
    return Card.objects.get(pk=card_id)


# --- Batches ----------------------------------------------------------------


def batch_create(*, size: int, by=None) -> Batch:
    """A batch of up to ``size`` cards; a worker claims and renders it after commit."""
    if by is not None:
        _require(by, "cards.add_batch")
    if not _is_count(size) or not 1 <= size <= MAX_BATCH:
        raise StockInvalid({"size": [_("Enter a batch size from 1 to %(max)d.") % {"max": MAX_BATCH}]})
    from .tasks import batch_render

    with transaction.atomic():
        batch = Batch.objects.create(size=size, created_by=by)
        # robust: a failure to hand over (or, run eagerly, to render) is logged and
        # recorded on the batch; it never turns the request that asked into a 500.
        transaction.on_commit(lambda: batch_render.delay(batch.pk), robust=True)
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
        stock = _stock()
        forced = ServiceMode.objects.values_list("forced", flat=True).get(pk=1)
        regular_allowed = effective_mode(stock, forced) == ServiceMode.Mode.NORMAL

        queued = Card.objects.select_for_update(skip_locked=True).filter(status=Card.Status.QUEUED, batch__isnull=True)
        emergency_room = min(batch.size, stock.on_hand - stock.reserved)
        emergencies = list(
            queued.filter(priority=Card.Priority.EMERGENCY).order_by("requested_at", "id").values_list("pk", flat=True)[:max(0, emergency_room)]
        )
        regular_room = min(
            batch.size - len(emergencies),
            stock.on_hand - stock.reserved - len(emergencies) - stock.emergency_reserve,
        ) if regular_allowed else 0
        regulars = list(
            queued.filter(priority=Card.Priority.REGULAR).order_by("requested_at", "id").values_list("pk", flat=True)[:max(0, regular_room)]
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
            _write(stock, LedgerEntry.Kind.RESERVED, taken, batch=batch)
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
        stock = _stock()
        now = timezone.now()
        printed = Card.objects.filter(batch=batch, status=Card.Status.PRINTING).update(
            status=Card.Status.PRINTED, printed_at=now
        )
        if printed:
            stock.on_hand -= printed
            stock.reserved -= printed
            stock.consumed += printed
            _write(stock, LedgerEntry.Kind.CONSUMED, printed, batch=batch)
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
        stock = _stock()
        released = Card.objects.filter(batch=batch, status=Card.Status.PRINTING).update(
            status=Card.Status.QUEUED, batch=None
        )
        if released:
            stock.reserved -= released
            _write(stock, LedgerEntry.Kind.RELEASED, released, batch=batch)
        batch.status, batch.finished_at, batch.error = Batch.Status.FAILED, timezone.now(), error[:2000]
        batch.save(update_fields=["status", "finished_at", "error"])
    return batch
