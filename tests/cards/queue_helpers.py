"""Shared set-up for the stock, mode, queue and batch tests.

Households are written with the ORM (the registration flow has its own
tests, and 200 verified registrations would be slow); their cards are then
queued through ``cards.services``, exactly as ``registration_verify`` does.
Batches are created as rows and driven with ``batch_claim`` /
``batch_complete`` / ``batch_fail``: ``batch_create`` would also hand the
batch to the render task after commit, which these tests do not want.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time

from django.db import connection, transaction
from django.utils import timezone

from cards import selectors, services
from cards.models import Batch, Card, LedgerEntry, Stock
from registrations.models import Household, Region
from tests.factories import KRANJI, superuser

_kk = itertools.count(1)
_lot = itertools.count(1)


def operator():
    """A superuser: every print-office permission."""
    return superuser()


def stock() -> Stock:
    return Stock.objects.get(pk=1)


def receive(quantity: int, *, emergency_reserve: int | None = None, reference: str | None = None):
    lot = services.stock_receive(
        budget_year=2026, quantity=quantity, received_on=dt.date(2026, 1, 5),
        reference=reference or f"SPK-{next(_lot):05d}/2026", by=operator(),
    )
    if emergency_reserve is not None:
        services.stock_set_emergency_reserve(count=emergency_reserve, by=operator())
    return lot


def household() -> Household:
    kelurahan = Region.objects.get(code=KRANJI)
    return Household.objects.create(
        kk_number=f"3275{next(_kk) + 10**11:012d}", kelurahan=kelurahan, address="Jl. Kenari 4",
        rt="001", rw="002", phone="+6281234567890",
    )


def queue(count: int, *, start: dt.datetime | None = None) -> list[Card]:
    """``count`` queued regular cards, one per new household, requested one
    second apart (oldest first)."""
    start = start or timezone.now() - dt.timedelta(days=1)
    cards = []
    for index in range(count):
        with transaction.atomic():
            card = services.card_request(household=household())
            Card.objects.filter(pk=card.pk).update(requested_at=start + dt.timedelta(seconds=index))
        cards.append(card)
    return cards


def raise_to_emergency(card: Card, reason: str = "rawat_inap") -> Card:
    return services.card_raise_to_emergency(household=card.household, reason=reason, by=operator())


def new_batch(size: int) -> Batch:
    return Batch.objects.create(size=size)


def claimed(size: int) -> Batch:
    return services.batch_claim(batch_id=new_batch(size).pk)


def batch_card_ids(batch: Batch) -> list[int]:
    return list(Card.objects.filter(batch=batch).values_list("pk", flat=True))


def assert_ledger_balances() -> None:
    """The ledger alone explains the counters, and the counters explain the cards."""
    row = stock()
    totals = selectors.ledger_totals()
    assert totals == {
        "received": row.received, "adjusted": row.adjusted, "consumed": row.consumed,
        "spoiled": row.spoiled, "on_hand": row.on_hand, "reserved": row.reserved,
    }, (totals, row.__dict__)
    assert row.received + row.adjusted == row.on_hand + row.consumed + row.spoiled
    assert 0 <= row.reserved <= row.on_hand
    assert row.reserved == Card.objects.filter(status=Card.Status.PRINTING).count()
    assert row.consumed == Card.objects.filter(status=Card.Status.PRINTED).count()


def start_threads(targets, *, timeout: float = 60):
    """Start each callable in its own thread (its own DB connection), all
    released together by a barrier; returns ``join()``, which waits for them
    and gives each one's result or the exception it raised."""
    barrier = threading.Barrier(len(targets), timeout=30)
    results: list = [None] * len(targets)

    def run(index, target):
        try:
            barrier.wait()
            results[index] = target()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t), daemon=True) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()

    def join() -> list:
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.1, deadline - time.monotonic()))
        assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
        return results

    return join


def assert_ledger_replays() -> None:
    """Replayed in order, every ledger entry's ``on_hand_after`` and
    ``reserved_after`` follow from the one before: no change was lost to a
    race, and the stock was never below zero nor over-reserved at any point.
    (Entries are written under the stock row lock, so their ids are in the
    order the changes were made.)"""
    on_hand = reserved = 0
    for entry in LedgerEntry.objects.order_by("id"):
        q = entry.quantity
        if entry.kind in ("received", "adjustment"):
            on_hand += q
        elif entry.kind == "reserved":
            reserved += q
        elif entry.kind == "released":
            reserved -= q
        elif entry.kind == "consumed":
            on_hand, reserved = on_hand - q, reserved - q
        elif entry.kind == "spoiled" and entry.card_id is None:
            on_hand -= q
        assert (entry.on_hand_after, entry.reserved_after) == (on_hand, reserved), entry
        assert 0 <= reserved <= on_hand, entry
    row = stock()
    assert (row.on_hand, row.reserved) == (on_hand, reserved)


def run_threads(targets, *, timeout: float = 60) -> list:
    return start_threads(targets, timeout=timeout)()


def assert_no_errors(results) -> None:
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors


def wait_for_lock_waiters(count: int, *, timeout: float = 20) -> None:
    """PostgreSQL: block until ``count`` other sessions wait on a row lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            # Inside a transaction the activity view is a cached snapshot.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] >= count:
                return
        time.sleep(0.02)
    raise AssertionError(f"fewer than {count} sessions ever waited on a lock")
