"""A constructed consumption history: ledger rows at chosen local times."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from cards.models import LedgerEntry

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """``day`` at this hour in the city (Asia/Jakarta), as an aware time."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=JAKARTA)


def used(when: dt.datetime, quantity: int, *, kind: str = LedgerEntry.Kind.CONSUMED, card=None,
         reason: str = "") -> LedgerEntry:
    """A ledger row as the services write it, at ``when`` (the counters after are not what is tested)."""
    if kind in (LedgerEntry.Kind.SPOILED, LedgerEntry.Kind.ADJUSTMENT) and not reason:
        reason = "rusak di mesin"
    return LedgerEntry.objects.create(at=when, kind=kind, quantity=quantity, card=card, reason=reason,
                                      on_hand_after=0, reserved_after=0)
