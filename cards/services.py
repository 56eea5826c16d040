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
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registrations.validation import single_spaced

from .models import (
    PRINTED_STATUSES, Batch, Card, CardEvent, Dispatch, DispatchItem, Handover, LedgerEntry, Lot, ServiceMode, Stock,
)
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


def _event(card_id: int, kind: str, *, by=None, note: str = "", at=None) -> CardEvent:
    return CardEvent.objects.create(card_id=card_id, kind=kind, by=by, note=str(note)[:300], at=at or timezone.now())


def _events(card_ids, kind: str, *, by=None, note: str = "", at=None) -> None:
    """The same step for many cards at once (a batch, a dispatch)."""
    at = at or timezone.now()
    CardEvent.objects.bulk_create(
        CardEvent(card_id=card_id, kind=kind, by=by, note=str(note)[:300], at=at) for card_id in card_ids
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


def card_request(*, household, by=None, kind: str = Card.Kind.NEW, replaces: Card | None = None) -> Card:
    """Queue the household's card at regular priority; its live card if it has one.

    Called by ``registrations.services.registration_verify`` in its
    transaction, and for reprints (``replaces``: the revoked card).
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
        card = Card(household=household, copy=copy, kind=kind, requested_by=by, replaces=replaces)
        card._history_user = by
        card.save()
        card.number = card_number(card.pk)
        card.save(update_fields=["number"])
        note = _("Replaces card %(number)s") % {"number": replaces.number} if replaces is not None else ""
        _event(card.pk, CardEvent.Kind.QUEUED, by=by, note=note)
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
        # A card in a batch is raised too: if the batch fails, it comes back
        # to the queue as the emergency it is. A printed card needs nothing.
        waiting = [Card.Status.QUEUED, Card.Status.PRINTING]
        if card.status not in waiting:
            return card
        fields = {"priority": Card.Priority.EMERGENCY, "reason": reason, "raised_at": timezone.now()}
        if Card.objects.filter(pk=card.pk, status__in=waiting).update(**fields):
            _event(card.pk, CardEvent.Kind.RAISED, by=by, note=Card.Reason(reason).label)
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
        _event(card_id, CardEvent.Kind.CANCELLED, by=by, note=reason)
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
        _event(card_id, CardEvent.Kind.MISPRINTED, by=by, note=reason)
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
            _events(chosen, CardEvent.Kind.PRINTING, note=_("Batch #%(id)d") % {"id": batch.pk}, at=now)
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
        printing = list(Card.objects.filter(batch=batch, status=Card.Status.PRINTING).values_list("pk", flat=True))
        printed = Card.objects.filter(pk__in=printing, status=Card.Status.PRINTING).update(
            status=Card.Status.PRINTED, printed_at=now
        )
        _events(printing, CardEvent.Kind.PRINTED, note=_("Batch #%(id)d") % {"id": batch.pk}, at=now)
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
        printing = list(Card.objects.filter(batch=batch, status=Card.Status.PRINTING).values_list("pk", flat=True))
        released = Card.objects.filter(pk__in=printing, status=Card.Status.PRINTING).update(
            status=Card.Status.QUEUED, batch=None
        )
        _events(printing, CardEvent.Kind.RELEASED, note=_("Batch #%(id)d") % {"id": batch.pk})
        if released:
            stock.reserved -= released
            _write(stock, LedgerEntry.Kind.RELEASED, released, batch=batch)
        batch.status, batch.finished_at, batch.error = Batch.Status.FAILED, timezone.now(), error[:2000]
        batch.save(update_fields=["status", "finished_at", "error"])
    return batch


# --- Distribution: dispatch, receipt, pickup, collection ---------------------
#
# Locks are taken in one order everywhere: the dispatch, then households, then
# cards (``select_for_update(of=("self",))``: never the joined rows, so work in
# one kelurahan does not queue behind its region row).


def _in_area(by, kelurahan_code: str) -> None:
    from registrations.areas import user_covers

    if not user_covers(by, kelurahan_code):
        raise PermissionDenied(_("This card or dispatch belongs to another area."))


def default_pickup_place(kelurahan_name: str) -> str:
    return f"Kantor Kelurahan {kelurahan_name}"


def dispatch_create(*, kelurahan_code: str, by, pickup_place: str = "", pickup_deadline: dt.date | None = None) -> Dispatch:
    """Send every printed card of one kelurahan that is not on its way yet.

    The cards are ``dispatched`` from now; the manifest (PDF, CSV) lists them
    for the courier. ``pickup_place`` and ``pickup_deadline`` default to the
    kelurahan office and ``PICKUP_DAYS`` from today.
    """
    from django.conf import settings

    from registrations.models import Region

    from .selectors import printed_not_sent

    _require(by, "cards.add_dispatch")
    kelurahan = Region.objects.filter(code=kelurahan_code, level=Region.Level.KELURAHAN).first()
    if kelurahan is None:
        raise StockInvalid({"kelurahan": [_("Choose a kelurahan.")]})
    _in_area(by, kelurahan.code)
    today = timezone.localdate()
    pickup_deadline = pickup_deadline or today + dt.timedelta(days=settings.PICKUP_DAYS)
    pickup_place = single_spaced(pickup_place) or default_pickup_place(kelurahan.name)
    if pickup_deadline <= today:
        raise StockInvalid({"pickup_deadline": [_("The pickup deadline must be after today.")]})
    with transaction.atomic():
        ids = list(printed_not_sent().filter(household__kelurahan=kelurahan).select_for_update(of=("self",))
                   .values_list("pk", flat=True))
        if not ids:
            raise StockInvalid({"non_field_errors": [
                _("No printed card is waiting to be sent to Kelurahan %(kelurahan)s.") % {"kelurahan": kelurahan.name}
            ]})
        dispatch = Dispatch.objects.create(
            kelurahan=kelurahan, pickup_place=pickup_place[:200], pickup_deadline=pickup_deadline, created_by=by,
            cards_count=len(ids),
        )
        sent = Card.objects.filter(pk__in=ids, status=Card.Status.PRINTED, dispatch__isnull=True).update(
            status=Card.Status.DISPATCHED, dispatch=dispatch
        )
        if sent != len(ids):  # the rows were locked: this cannot happen
            raise RuntimeError("cards changed while dispatched")
        DispatchItem.objects.bulk_create(DispatchItem(dispatch=dispatch, card_id=card_id) for card_id in ids)
        _events(ids, CardEvent.Kind.DISPATCHED, by=by, note=_("Dispatch #%(id)d") % {"id": dispatch.pk})
    return dispatch


def dispatch_create_all(*, by, pickup_deadline: dt.date | None = None) -> list[Dispatch]:
    """One dispatch for each kelurahan with printed cards waiting (in the user's area)."""
    from registrations.areas import kelurahan_in_area

    from .selectors import printed_not_sent

    codes = (
        printed_not_sent().filter(household__kelurahan__in=kelurahan_in_area(by))
        .values_list("household__kelurahan__code", flat=True).distinct().order_by("household__kelurahan__code")
    )
    dispatches = []
    for code in list(codes):
        try:
            dispatches.append(dispatch_create(kelurahan_code=code, by=by, pickup_deadline=pickup_deadline))
        except StockInvalid:
            continue  # another clerk sent them meanwhile
    if not dispatches:
        raise StockInvalid({"non_field_errors": [_("No printed card is waiting to be sent to any kelurahan.")]})
    return dispatches


def _revoke(card: Card, *, reason: str, by, kind: str = CardEvent.Kind.REVOKED) -> None:
    """Revoke a printed card at once: from now on verification answers it is not valid."""
    if not Card.objects.filter(pk=card.pk, status__in=PRINTED_STATUSES).update(
        status=Card.Status.REVOKED, revoked_at=timezone.now(), revoked_reason=reason[:200]
    ):
        raise StockInvalid({"non_field_errors": [_("Card %(number)s cannot be revoked now.") % {"number": card.number}]})
    if kind != CardEvent.Kind.REVOKED:
        _event(card.pk, kind, by=by, note=reason)
    _event(card.pk, CardEvent.Kind.REVOKED, by=by, note=reason)


def dispatch_receive(*, dispatch_id: int, by, missing_card_ids=()) -> Dispatch:
    """The kelurahan confirms a dispatch arrived: its cards are ready for pickup
    (place and deadline of the dispatch) and their households are told.

    Cards listed as missing are revoked at once, so nobody can use a card
    whose whereabouts are unknown, and a replacement is queued for each.
    Confirming again changes nothing; listing missing cards on a dispatch
    someone already confirmed is refused (they are reported lost instead).
    """
    from registrations.models import Household

    _require(by, "cards.receive_dispatch")
    try:
        missing = {int(card_id) for card_id in missing_card_ids}
    except (TypeError, ValueError):
        raise StockInvalid({"missing": [_("Only cards of this dispatch can be reported missing.")]}) from None
    with transaction.atomic():
        dispatch = Dispatch.objects.select_for_update(of=("self",)).select_related("kelurahan", "received_by").get(pk=dispatch_id)
        _in_area(by, dispatch.kelurahan.code)
        if dispatch.status == Dispatch.Status.RECEIVED:
            if missing:
                raise StockInvalid({"non_field_errors": [
                    _("%(user)s already confirmed this dispatch at %(at)s. Report a card that is not there as lost "
                      "(Cards at the kelurahan → Lost or damaged: reprint).")
                    % {"user": dispatch.received_by, "at": timezone.localtime(dispatch.received_at).strftime("%d-%m-%Y %H:%M")}
                ]})
            return dispatch
        waiting = Card.objects.filter(dispatch=dispatch, status=Card.Status.DISPATCHED)
        if missing:
            list(Household.objects.select_for_update(of=("self",)).filter(cards__in=missing).order_by("pk").values_list("pk", flat=True))
        cards = {card.pk: card for card in waiting.select_for_update(of=("self",)).order_by("pk")}
        if missing - set(cards):
            raise StockInvalid({"missing": [_("Only cards of this dispatch can be reported missing.")]})
        now = timezone.now()
        arrived = [pk for pk in cards if pk not in missing]
        Card.objects.filter(pk__in=arrived, status=Card.Status.DISPATCHED).update(
            status=Card.Status.READY, ready_at=now, pickup_deadline=dispatch.pickup_deadline,
        )
        _events(arrived, CardEvent.Kind.READY, by=by, note=dispatch.pickup_place, at=now)
        for pk in sorted(missing):
            reason = _("Missing from dispatch #%(id)d") % {"id": dispatch.pk}
            _revoke(cards[pk], reason=reason, by=by, kind=CardEvent.Kind.MISSING)
            card_request(household=cards[pk].household, by=by, kind=Card.Kind.LOST, replaces=cards[pk])
        dispatch.status, dispatch.received_at, dispatch.received_by = Dispatch.Status.RECEIVED, now, by
        dispatch.missing_count = len(missing)
        dispatch.save(update_fields=["status", "received_at", "received_by", "missing_count"])
        _queue_ready_messages(arrived)
    return dispatch


def dispatch_hand_over(*, dispatch_id: int, rw: str, coordinator_name: str, pickup_place: str, by,
                       coordinator_phone: str = "") -> Handover:
    """Pass the waiting cards of one RW to its coordinator, where residents then
    collect them (their households are told the new place)."""
    from registrations.validation import normalize_phone, normalize_rt_rw, phone_message, rw_message

    _require(by, "cards.receive_dispatch")
    rw_digits = normalize_rt_rw(rw)
    errors = {}
    if not rw_digits:
        errors["rw"] = [rw_message()]
    coordinator_name, pickup_place = single_spaced(coordinator_name), single_spaced(pickup_place)
    if len(coordinator_name) < 3:
        errors["coordinator_name"] = [_("Enter the coordinator's name.")]
    if len(pickup_place) < 5:
        errors["pickup_place"] = [_("Say where residents collect their cards, e.g. the coordinator's address.")]
    phone = normalize_phone(coordinator_phone) if coordinator_phone else ""
    if coordinator_phone and not phone:
        errors["coordinator_phone"] = [phone_message()]
    if errors:
        raise StockInvalid(errors)
    with transaction.atomic():
        dispatch = Dispatch.objects.select_for_update(of=("self",)).select_related("kelurahan").get(pk=dispatch_id)
        _in_area(by, dispatch.kelurahan.code)
        if dispatch.status != Dispatch.Status.RECEIVED:
            raise StockInvalid({"non_field_errors": [_("Confirm the dispatch arrived before passing cards on.")]})
        if Handover.objects.filter(dispatch=dispatch, rw=rw_digits).exists():
            raise StockInvalid({"rw": [_("The cards of RW %(rw)s have already been passed on.") % {"rw": rw_digits}]})
        ids = list(
            Card.objects.select_for_update(of=("self",))
            .filter(dispatch=dispatch, status=Card.Status.READY, handover__isnull=True, household__rw=rw_digits)
            .values_list("pk", flat=True)
        )
        if not ids:
            raise StockInvalid({"rw": [_("No card of RW %(rw)s is waiting in this dispatch.") % {"rw": rw_digits}]})
        handover = Handover.objects.create(
            dispatch=dispatch, rw=rw_digits, coordinator_name=coordinator_name[:150], coordinator_phone=phone,
            pickup_place=pickup_place[:200], created_by=by,
        )
        Card.objects.filter(pk__in=ids, status=Card.Status.READY).update(handover=handover)
        DispatchItem.objects.filter(dispatch=dispatch, card_id__in=ids).update(handover=handover)
        _events(ids, CardEvent.Kind.HANDED_OVER, by=by, note=f"{coordinator_name} — {pickup_place}")
        _queue_ready_messages(ids)
    return handover


def _pickup_card(card_id: int, by, perm: str) -> Card:
    _require(by, perm)
    card = Card.objects.select_for_update(of=("self",)).select_related("household__kelurahan").get(pk=card_id)
    _in_area(by, card.household.kelurahan.code)
    return card


def card_collect(*, card_id: int, by, collector: str, member_id: int | None = None, proxy_name: str = "",
                 proxy_id_number: str = "") -> Card:
    """Record who collected a card: the head, a member (checked against the
    household's members) or a proxy with name and NIK. Recording it again is
    harmless: the first record stands."""
    from registrations import identity
    from registrations.validation import clean_full_name

    with transaction.atomic():
        card = _pickup_card(card_id, by, "cards.collect_card")
        if card.status == Card.Status.COLLECTED:
            return card
        if card.status != Card.Status.READY:
            raise StockInvalid({"non_field_errors": [
                _("Card %(number)s is not waiting at the kelurahan (now: %(status)s).")
                % {"number": card.number, "status": card.get_status_display()}
            ]})
        members = card.household.members.filter(end_date__isnull=True)
        if collector == Card.Collector.HEAD:
            person = members.filter(relationship="kepala_keluarga").first()
            if person is None:
                raise StockInvalid({"collector": [_("This household has no head of household on the roster.")]})
            name, number = person.full_name, person.nik
        elif collector == Card.Collector.MEMBER:
            person = members.filter(pk=member_id).first() if member_id else None
            if person is None:
                raise StockInvalid({"member": [_("Choose a current member of this household.")]})
            name, number = person.full_name, person.nik
        elif collector == Card.Collector.PROXY:
            errors = {}
            name, name_error = clean_full_name(proxy_name)
            if name_error:
                errors["proxy_name"] = [name_error]
            try:
                number = identity.parse_nik(proxy_id_number).nik
            except identity.InvalidNumber as exc:
                errors["proxy_id_number"] = [exc.translate(_)]
            if errors:
                raise StockInvalid(errors)
        else:
            raise StockInvalid({"collector": [_("Choose who collected the card.")]})
        Card.objects.filter(pk=card.pk, status=Card.Status.READY).update(
            status=Card.Status.COLLECTED, collected_at=timezone.now(), collected_by_kind=collector,
            collected_name=name[:150], collected_id_number=number, collection_recorded_by=by,
        )
        _event(card.pk, CardEvent.Kind.COLLECTED, by=by, note=f"{Card.Collector(collector).label}: {name}")
    return Card.objects.get(pk=card.pk)


# A card waits a year at most, however often it is given more time.
MAX_EXTENSION_DAYS = 365


def card_extend_deadline(*, card_id: int, until: dt.date, by) -> Card:
    """Give a waiting card more time to be collected."""
    today = timezone.localdate()
    with transaction.atomic():
        card = _pickup_card(card_id, by, "cards.manage_pickup")
        if card.status != Card.Status.READY:
            raise StockInvalid({"non_field_errors": [_("Only a card waiting for pickup can get more time.")]})
        earliest = max(card.pickup_deadline, today) + dt.timedelta(days=1)
        latest = today + dt.timedelta(days=MAX_EXTENSION_DAYS)
        if until is None or not earliest <= until <= latest:
            raise StockInvalid({"until": [_("Choose a date from %(earliest)s to %(latest)s.") % {
                "earliest": earliest.strftime("%d-%m-%Y"), "latest": latest.strftime("%d-%m-%Y")}]})
        Card.objects.filter(pk=card.pk, status=Card.Status.READY).update(pickup_deadline=until)
        _event(card.pk, CardEvent.Kind.DEADLINE_EXTENDED, by=by, note=until.strftime("%d-%m-%Y"))
    return Card.objects.get(pk=card.pk)


def card_return(*, card_id: int, reason: str, by) -> Card:
    """An uncollected card goes back to the print office, which can send it
    again later. Only a card that arrived: one that never did is missing,
    and is reported lost instead."""
    reason = single_spaced(reason)
    if len(reason) < 5:
        raise StockInvalid({"reason": [_("Give the reason for returning the card.")]})
    with transaction.atomic():
        card = _pickup_card(card_id, by, "cards.manage_pickup")
        if not Card.objects.filter(pk=card.pk, status=Card.Status.READY).update(
            status=Card.Status.PRINTED, dispatch=None, handover=None, pickup_deadline=None, ready_at=None,
        ):
            raise StockInvalid({"non_field_errors": [_("Only a card waiting for pickup can be returned.")]})
        _event(card.pk, CardEvent.Kind.RETURNED, by=by, note=reason)
    return Card.objects.get(pk=card.pk)


REPRINT_REASONS = {
    Card.Kind.LOST: gettext_lazy("Lost"),
    Card.Kind.DAMAGED: gettext_lazy("Damaged"),
    Card.Kind.DATA_CHANGED: gettext_lazy("Household data changed"),
}


def card_reprint(*, card_id: int, kind: str, by, note: str = "", returned_damaged: bool = False,
                 perm: str = "cards.reprint_card") -> Card:
    """Replace a printed card: it is revoked at once (verification answers it is
    no longer valid) and a new card, the next copy, is queued. A damaged card
    handed back counts its blank as spoiled. Returns the new card."""
    if kind not in REPRINT_REASONS:
        raise StockInvalid({"kind": [_("Choose why the card is replaced: lost, damaged or data changed.")]})
    if returned_damaged and kind == Card.Kind.LOST:
        raise StockInvalid({"returned_damaged": [
            _("A lost card cannot be handed back; if the card was returned, choose damaged.")
        ]})
    note = single_spaced(note)
    reason = f"{REPRINT_REASONS[kind]}: {note}" if note else str(REPRINT_REASONS[kind])
    with transaction.atomic():
        # The stock row first, then the card, as card_spoil does: two of them
        # on one card never wait on each other.
        stock = _stock() if returned_damaged else None
        card = _pickup_card(card_id, by, perm)
        if card.status == Card.Status.QUEUED:
            raise StockInvalid({"non_field_errors": [
                _("Card %(number)s is not printed yet; it will be printed with the household's current data.")
                % {"number": card.number}
            ]})
        if card.status == Card.Status.PRINTING:
            raise StockInvalid({"non_field_errors": [
                _("Card %(number)s is being printed right now; try again when its batch is done.") % {"number": card.number}
            ]})
        if card.status not in PRINTED_STATUSES:
            raise StockInvalid({"non_field_errors": [
                _("Card %(number)s cannot be replaced (its status: %(status)s).")
                % {"number": card.number, "status": card.get_status_display()}
            ]})
        _revoke(card, reason=reason, by=by)
        if stock is not None:
            stock.consumed -= 1
            stock.spoiled += 1
            _write(stock, LedgerEntry.Kind.SPOILED, 1, card_id=card.pk, reason=_("Damaged card handed back"), by=by)
        return card_request(household=card.household, by=by, kind=kind, replaces=card)


def card_data_changed(*, household, by, note: str) -> Card | None:
    """The household's data changed (a member added or removed, a name
    corrected): its printed card no longer tells the truth, so it is replaced.
    A card not printed yet prints the new data anyway. Returns the new card."""
    live = Card.objects.filter(household=household).exclude(status__in=[Card.Status.CANCELLED, Card.Status.REVOKED]).first()
    if live is None or live.status == Card.Status.QUEUED:
        return None
    return card_reprint(card_id=live.pk, kind=Card.Kind.DATA_CHANGED, by=by, note=note, perm="registrations.change_member")


# --- Telling households: an outbox, and the daily deadline report ------------

NOTIFY_CHUNK = 100
MAX_ATTEMPTS = 5
# A message "being sent" for longer than this was lost with its worker.
SENDING_TIMEOUT = dt.timedelta(minutes=15)


def message_key(card: Card) -> str:
    """Which message a waiting card calls for: where it waits now."""
    return f"ready:{card.dispatch_id}:{card.handover_id or 0}"


def _queue_ready_messages(card_ids) -> None:
    """Outbox rows in the step's own transaction: the message is owed even if
    the broker is down at commit. A worker sends them after the commit, and
    the beat task ``notifications_retry`` picks up what is left."""
    from .models import Notification

    cards = Card.objects.filter(pk__in=card_ids).only("pk", "dispatch_id", "handover_id")
    Notification.objects.bulk_create(
        [Notification(card_id=card.pk, kind=message_key(card)) for card in cards], ignore_conflicts=True,
    )
    keys = {message_key(card) for card in cards}
    ids = sorted(Notification.objects.filter(card_id__in=card_ids, kind__in=keys, status=Notification.Status.PENDING)
                 .values_list("pk", flat=True))
    from .tasks import send_notifications

    for start in range(0, len(ids), NOTIFY_CHUNK):
        chunk = ids[start:start + NOTIFY_CHUNK]
        # Robust: a broker that is down is logged, never undoes the step.
        transaction.on_commit(lambda chunk=chunk: send_notifications.delay(chunk), robust=True)


def notification_send(*, notification_id: int) -> str:
    """Send one outbox message through the configured channel; never raises.

    Claimed with a compare-and-set (pending or failed -> sending), so two
    workers never send the same message; no lock is held while the channel
    answers, so a slow gateway holds up nobody.
    """
    import logging

    from django.conf import settings
    from django.db.models import F
    from django.utils import translation

    from kartusehat import notifications
    from kartusehat.logging import mask_identity_numbers

    from .models import Notification

    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status__in=[Notification.Status.PENDING, Notification.Status.FAILED], attempts__lt=MAX_ATTEMPTS,
    ).update(status=Notification.Status.SENDING, attempts=F("attempts") + 1, tried_at=now)
    if not claimed:
        return Notification.objects.filter(pk=notification_id).values_list("status", flat=True).first() or "unknown"
    notification = Notification.objects.select_related("card__household", "card__dispatch", "card__handover").get(pk=notification_id)
    card = notification.card
    channel = notifications.backend()
    if card.status != Card.Status.READY or message_key(card) != notification.kind:
        status, recipient, error = Notification.Status.SKIPPED, "", "the card moved on before the message was sent"
    else:
        with translation.override(settings.LANGUAGE_CODE):
            message = notifications.Message(
                phone=card.household.phone, email=card.household.email,
                subject=_("Your Kartu Sehat is ready"),
                text=_(
                    "Your household's Kartu Sehat (card %(number)s) is ready. Collect it at %(place)s by "
                    "%(deadline)s; bring the e-KTP or the KK. Questions: %(hotline)s."
                ) % {
                    "number": card.number, "place": card.pickup_place,
                    "deadline": card.pickup_deadline.strftime("%d-%m-%Y"), "hotline": settings.KARTUSEHAT_CITY["hotline"],
                },
            )
        status, recipient, error = Notification.Status.SENT, "", ""
        try:
            recipient = channel.send(message)
        except notifications.NotificationSkipped as exc:
            status, error = Notification.Status.SKIPPED, str(exc)
        except Exception as exc:  # noqa: BLE001 - any failure of the channel is recorded, never raised
            status, error = Notification.Status.FAILED, mask_identity_numbers(f"{type(exc).__name__}: {exc}")
            logging.getLogger(__name__).warning("Notification %s failed: %s", notification_id, error)
    with transaction.atomic():
        Notification.objects.filter(pk=notification_id, status=Notification.Status.SENDING).update(
            status=status, backend=channel.name, recipient=recipient[:100], error=error[:300],
            sent_at=timezone.now() if status == Notification.Status.SENT else None,
        )
        if status == Notification.Status.SENT:
            _event(card.pk, CardEvent.Kind.NOTIFIED, note=f"{channel.name}: {recipient}")
    return status


def notifications_retry(*, now=None) -> int:
    """Send what is still owed: messages never handed to a worker, failed ones
    (up to ``MAX_ATTEMPTS``), and ones whose worker died while sending."""
    from .models import Notification

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


# Days after which a dispatch nobody confirmed is reported to its kelurahan.
DISPATCH_CONFIRM_DAYS = 7


def pickup_overdue_report(*, today: dt.date | None = None) -> dict:
    """Per kelurahan: cards waiting past their pickup deadline, and dispatches
    sent more than ``DISPATCH_CONFIRM_DAYS`` ago that nobody confirmed (their
    cards are unaccounted for). Each kelurahan's staff with an email address
    get the counts (names stay in the admin, not in mail).

    Returns ``{kelurahan code: {"overdue": n, "unconfirmed": m}}``.
    """
    import logging

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail
    from django.db.models import Count
    from django.utils import translation
    from django.utils.translation import ngettext

    from .selectors import cards_overdue

    today = today or timezone.localdate()
    report: dict = {}
    overdue = (cards_overdue(on=today).values_list("household__kelurahan__code")
               .annotate(n=Count("pk")).values_list("household__kelurahan__code", "n"))
    for code, n in overdue:
        report.setdefault(code, {"overdue": 0, "unconfirmed": 0})["overdue"] = n
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=DISPATCH_CONFIRM_DAYS), dt.time.min))
    unconfirmed = (Dispatch.objects.filter(status=Dispatch.Status.SENT, created_at__lt=cutoff)
                   .values_list("kelurahan__code").annotate(n=Count("pk")).values_list("kelurahan__code", "n"))
    for code, n in unconfirmed:
        report.setdefault(code, {"overdue": 0, "unconfirmed": 0})["unconfirmed"] = n
    staff = get_user_model().objects.filter(is_active=True, staff_area__region__code__in=list(report)).exclude(email="")
    with translation.override(settings.LANGUAGE_CODE):
        for user in staff.select_related("staff_area__region"):
            region, counts = user.staff_area.region, report[user.staff_area.region.code]
            lines = []
            if counts["overdue"]:
                lines.append(ngettext(
                    "%(count)d card is past its pickup deadline and not collected. In the staff admin, open Cards at "
                    "the kelurahan and filter by Past the deadline, then extend its deadline or return it.",
                    "%(count)d cards are past their pickup deadline and not collected. In the staff admin, open Cards "
                    "at the kelurahan and filter by Past the deadline, then extend their deadline or return them.",
                    counts["overdue"],
                ) % {"count": counts["overdue"]})
            if counts["unconfirmed"]:
                lines.append(ngettext(
                    "%(count)d dispatch sent to the kelurahan more than %(days)d days ago has not been confirmed. "
                    "Confirm it arrived, and report any card that is not there.",
                    "%(count)d dispatches sent to the kelurahan more than %(days)d days ago have not been confirmed. "
                    "Confirm they arrived, and report any card that is not there.",
                    counts["unconfirmed"],
                ) % {"count": counts["unconfirmed"], "days": DISPATCH_CONFIRM_DAYS})
            try:
                send_mail(
                    _("Kartu Sehat: cards waiting in %(kelurahan)s") % {"kelurahan": region.name},
                    "\n\n".join(lines), None, [user.email],
                )
            except Exception as exc:  # noqa: BLE001 - one mail failing must not stop the others
                logging.getLogger(__name__).warning("Report to user %s failed: %s", user.pk, exc)
    return report
