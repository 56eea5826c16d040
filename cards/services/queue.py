"""The print queue, and reprints.

A queued card *is* the print request: its priority decides its place. Cards
move between states with compare-and-set updates
(``filter(pk=…, status=X).update(status=Y)``, then check the count).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kartusehat.refusals import Conflict, Invalid, require_perm
from kartusehat.text import single_spaced
from registrations.models import Household

from ..models import PRINTED_STATUSES, Card, CardEvent, LedgerEntry
from ..numbers import card_number
from .common import event, lock_card_in_area, lock_stock, write_ledger


def card_request(*, household, by=None, kind: str = Card.Kind.NEW, replaces: Card | None = None) -> Card:
    """Queue the household's card at regular priority; its live card if it has one.

    Called by ``registrations.services.registration_verify`` in its
    transaction, and for reprints (``replaces``: the revoked card).
    """
    with transaction.atomic():
        # Lock the household first: without a card there is no row to lock,
        # and two requests at once must agree on one new card, not race.
        Household.objects.select_for_update().filter(pk=household.pk).first()
        live = Card.objects.filter(household=household).live().first()
        if live is not None:
            return live
        copy = (Card.objects.filter(household=household).order_by("-copy").values_list("copy",
            flat=True).first() or 0) + 1
        card = Card(household=household, copy=copy, kind=kind, requested_by=by, replaces=replaces)
        card._history_user = by
        card.save()
        card.number = card_number(card.pk)
        card.save(update_fields=["number"])
        note = _("Replaces card %(number)s") % {"number": replaces.number} if replaces is not None else ""
        event(card.pk, CardEvent.Kind.QUEUED, by=by, note=note)
    return card


def card_raise_to_emergency(*, household, reason: str, by) -> Card:
    """Emergency: the household's queued card jumps the queue (never a second card);
    without a live card one is queued at emergency priority.

    Called by ``hospitals.services.emergency_request_submit``, which keeps the
    hospital's letter with its request (the print office sees both)."""
    if reason not in Card.Reason.values:
        raise Invalid({"reason": [_("Choose rawat_inap, gawat_darurat or sakit.")]})
    with transaction.atomic():
        card = card_request(household=household, by=by)
        # A card in a batch is raised too: if the batch fails, it comes back
        # to the queue as the emergency it is. A printed card needs nothing.
        waiting = [Card.Status.QUEUED, Card.Status.PRINTING]
        if card.status not in waiting:
            return card
        fields = {"priority": Card.Priority.EMERGENCY, "reason": reason, "raised_at": timezone.now()}
        if Card.objects.filter(pk=card.pk, status__in=waiting).update(**fields):
            event(card.pk, CardEvent.Kind.RAISED, by=by, note=Card.Reason(reason).label)
        card.refresh_from_db()
    return card


def card_cancel(*, card_id: int, reason: str, by) -> Card:
    """Take a queued card off the queue. A card in a batch or printed cannot be cancelled."""
    require_perm(by, "cards.change_card")
    reason = single_spaced(reason)
    if len(reason) < 5:
        raise Invalid({"reason": [_("Give the reason for cancelling.")]})
    with transaction.atomic():
        if not Card.objects.filter(pk=card_id, status=Card.Status.QUEUED).update(
            status=Card.Status.CANCELLED, cancelled_reason=reason
        ):
            raise Conflict(_("Only a queued card can be cancelled; this one is in a batch or printed."))
        event(card_id, CardEvent.Kind.CANCELLED, by=by, note=reason)
    return Card.objects.get(pk=card_id)


def card_spoil(*, card_id: int, reason: str, by) -> Card:
    """A printed card came out wrong: its blank counts as spoiled, and the card
    goes back to the queue at its priority, to be printed again."""
    require_perm(by, "cards.add_ledgerentry")
    reason = single_spaced(reason)
    if len(reason) < 5:
        raise Invalid({"reason": [_("Say what is wrong with the printed card.")]})
    with transaction.atomic():
        stock = lock_stock()
        if not Card.objects.filter(pk=card_id, status=Card.Status.PRINTED).update(
            status=Card.Status.QUEUED, batch=None, printed_at=None
        ):
            raise Conflict(_("Only a printed card can be reported as spoiled."))
        stock.consumed -= 1
        stock.spoiled += 1
        write_ledger(stock, LedgerEntry.Kind.SPOILED, 1, card_id=card_id, reason=reason, by=by)
        event(card_id, CardEvent.Kind.MISPRINTED, by=by, note=reason)
    return Card.objects.get(pk=card_id)


def card_revoke(card: Card, *, reason: str, by, kind: str = CardEvent.Kind.REVOKED) -> None:
    """Revoke a printed card at once: from now on verification answers it is
    not valid. ``kind`` records why first (e.g. missing from a dispatch)."""
    if not Card.objects.filter(pk=card.pk, status__in=PRINTED_STATUSES).update(
        status=Card.Status.REVOKED, revoked_at=timezone.now(), revoked_reason=reason[:200]
    ):
        raise Conflict(_("Card %(number)s cannot be revoked now.") % {"number": card.number})
    if kind != CardEvent.Kind.REVOKED:
        event(card.pk, kind, by=by, note=reason)
    event(card.pk, CardEvent.Kind.REVOKED, by=by, note=reason)


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
        raise Invalid({"kind": [_("Choose why the card is replaced: lost, damaged or data changed.")]})
    if returned_damaged and kind == Card.Kind.LOST:
        raise Invalid({"returned_damaged": [
            _("A lost card cannot be handed back; if the card was returned, choose damaged.")
        ]})
    note = single_spaced(note)
    reason = f"{REPRINT_REASONS[kind]}: {note}" if note else str(REPRINT_REASONS[kind])
    with transaction.atomic():
        # The stock row first, then the card, as card_spoil does: two of them
        # on one card never wait on each other.
        stock = lock_stock() if returned_damaged else None
        card = lock_card_in_area(card_id, by, perm)
        if card.status == Card.Status.QUEUED:
            raise Conflict(
                _("Card %(number)s is not printed yet; it will be printed with the household's current data.")
                % {"number": card.number}
            )
        if card.status == Card.Status.PRINTING:
            raise Conflict(
                _("Card %(number)s is being printed right now; try again when its batch is done.")
                % {"number": card.number}
            )
        if card.status not in PRINTED_STATUSES:
            raise Conflict(
                _("Card %(number)s cannot be replaced (its status: %(status)s).")
                % {"number": card.number, "status": card.get_status_display()}
            )
        card_revoke(card, reason=reason, by=by)
        if stock is not None:
            stock.consumed -= 1
            stock.spoiled += 1
            write_ledger(stock, LedgerEntry.Kind.SPOILED, 1, card_id=card.pk, reason=_("Damaged card handed back"),
                by=by)
        return card_request(household=card.household, by=by, kind=kind, replaces=card)


def card_data_changed(*, household, by, note: str) -> Card | None:
    """The household's data changed (a member added or removed, a name
    corrected): its printed card no longer tells the truth, so it is replaced.
    A card not printed yet prints the new data anyway. Returns the new card."""
    live = Card.objects.filter(household=household).live().first()
    if live is None or live.status == Card.Status.QUEUED:
        return None
    return card_reprint(card_id=live.pk, kind=Card.Kind.DATA_CHANGED, by=by, note=note,
        perm="registrations.change_member")
