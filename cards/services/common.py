"""What every card service shares: the locked stock row and its ledger, the
card timeline, and the lock on a card inside the user's area."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from kartusehat.areas import user_covers
from kartusehat.refusals import Forbidden, require_perm

from ..models import Card, CardEvent, LedgerEntry, Stock


def is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def lock_stock() -> Stock:
    """The one stock row, locked to the end of the transaction."""
    return Stock.objects.select_for_update().get(pk=1)


def write_ledger(stock: Stock, kind: str, quantity: int, **fields) -> LedgerEntry:
    """Save the counters and the ledger entry that explains them, together."""
    stock.save()
    return LedgerEntry.objects.create(
        kind=kind, quantity=quantity, on_hand_after=stock.on_hand, reserved_after=stock.reserved, **fields
    )


def event(card_id: int, kind: str, *, by=None, note: str = "", at=None) -> CardEvent:
    return CardEvent.objects.create(card_id=card_id, kind=kind, by=by, note=str(note)[:300], at=at or timezone.now())


def events(card_ids, kind: str, *, by=None, note: str = "", at=None) -> None:
    """The same step for many cards at once (a batch, a dispatch)."""
    at = at or timezone.now()
    CardEvent.objects.bulk_create(
        CardEvent(card_id=card_id, kind=kind, by=by, note=str(note)[:300], at=at) for card_id in card_ids
    )


def require_area(by, kelurahan_code: str) -> None:
    if not user_covers(by, kelurahan_code):
        raise Forbidden(_("This card or dispatch belongs to another area."))


def lock_card_in_area(card_id: int, by, perm: str) -> Card:
    """The card, locked (never its joined rows), if ``by`` may do ``perm`` in its area."""
    require_perm(by, perm)
    card = Card.objects.select_for_update(of=("self",)).select_related("household__kelurahan").get(pk=card_id)
    require_area(by, card.household.kelurahan.code)
    return card
