"""This app's part of ``manage.py load_city``: a card for every verified
household, at every stage of its way (queued, printed, on its way, waiting at
the kelurahan, collected; a few lost and queued again), with the batches,
dispatches, timeline and blanko ledger that brought each there, all
consistent with every constraint of ``cards.models``.
"""

from __future__ import annotations

import datetime as dt
import time

from django.utils import timezone

from kartusehat import bulk, city

from .models import Batch, Card, CardEvent, Dispatch, DispatchItem, LedgerEntry, Lot, Stock
from .numbers import card_number

# Shares of verified households by where their card is (Kota Bekasi in 2018:
# most cards collected, a backlog queued once the blanko ran out).
STAGES = {"queued": 14, "printed": 3, "dispatched": 3, "ready_for_pickup": 10, "collected": 70}
LOST_SHARE = 0.01  # collected, reported lost, queued again (copy 2)
EMERGENCY_SHARE = 0.002
BATCH_SIZE = 500
STOCK_LEFT = 5_000


class _Timeline:
    def __init__(self):
        self.rows = []
        self.next_id = bulk.next_id(CardEvent)
        self.make = bulk.row_maker(CardEvent, note="")

    def add(self, card_id, kind, at, by_id, note=""):
        self.rows.append(self.make(id=self.next_id, card_id=card_id, kind=kind, at=at, by_id=by_id, note=note))
        self.next_id += 1


@city.loader(order=20, models=[Card, CardEvent, Batch, Dispatch, DispatchItem, LedgerEntry])
def load(context: city.CityContext) -> None:
    rng, now = context.rng, context.now
    households = context.shared["households"]
    office = context.users["cetak.disdukcapil"].pk
    city_staff = context.users["kota.bekasi"].pk
    kelurahan_staff = context.shared.get("kelurahan_staff", {})
    stage_names, weights = list(STAGES), list(STAGES.values())

    started = time.perf_counter()
    card_ids = iter(range(bulk.next_id(Card), 10**12))
    make_card = bulk.row_maker(
        Card, copy=1, kind="new", status="queued", priority="regular", reason="", raised_at=None, batch_id=None,
        printed_at=None, cancelled_reason="", replaces_id=None, dispatch_id=None, handover_id=None,
        pickup_deadline=None, ready_at=None, collected_at=None, collected_by_kind="", collected_name="",
        collected_id_number="", collection_recorded_by_id=None, revoked_at=None, revoked_reason="",
    )
    cards: dict[int, dict] = {}  # card id -> its values, until batches and dispatches are known
    printed: list[int] = []
    live: dict[int, tuple[int, str, str]] = {}  # household id -> (card id, status, number)
    revoked: dict[int, int] = {}  # revoked card id -> the copy queued in its place
    for household in households:
        household_id, decided = household[0], household[8]
        stage = rng.choices(stage_names, weights=weights)[0]
        card_id = next(card_ids)
        values = dict(id=card_id, household_id=household_id, number=card_number(card_id), requested_at=decided,
                      requested_by_id=kelurahan_staff.get(household[2], city_staff), status=stage)
        lost = stage == "collected" and rng.random() < LOST_SHARE
        if stage == "queued" and rng.random() < EMERGENCY_SHARE / STAGES["queued"] * 100:
            values.update(priority="emergency", reason=rng.choice(["rawat_inap", "gawat_darurat", "sakit"]),
                          raised_at=min(decided + dt.timedelta(days=rng.uniform(1, 30)), now))
        cards[card_id] = values
        if stage != "queued":
            printed.append(card_id)
        if lost:
            values["status"] = "revoked"
            values["_was"] = "collected"
            again = next(card_ids)
            revoked[card_id] = again
            cards[again] = dict(id=again, household_id=household_id, number=card_number(again), copy=2, kind="lost",
                                status="queued", requested_at=None, requested_by_id=values["requested_by_id"],
                                replaces_id=card_id)
            live[household_id] = (again, "queued", card_number(again))
        else:
            live[household_id] = (card_id, stage, values["number"])

    # Batches of 500, oldest requests first, each printed some days after its newest request.
    timeline = _Timeline()
    batch_make = bulk.row_maker(Batch, status="done", rendered=0, emergency_only=False, pdf="", error="",
                                lease_until=None, claim="", attempts=1,
                                created_by_id=office)
    ledger_make = bulk.row_maker(LedgerEntry, lot_id=None, batch_id=None, card_id=None, reason="", by_id=None)
    batches, ledger = [], []
    printed.sort(key=lambda card_id: cards[card_id]["requested_at"])
    batch_id = bulk.next_id(Batch)
    ledger_id = bulk.next_id(LedgerEntry)
    received = len(printed) + STOCK_LEFT
    lots = _lots(context, received)
    on_hand = 0
    for lot in lots:
        on_hand += lot.quantity
        ledger.append(ledger_make(id=ledger_id, at=_aware(lot.received_on), kind="received", quantity=lot.quantity,
                                  lot_id=lot.pk, by_id=office, on_hand_after=on_hand, reserved_after=0))
        ledger_id += 1
    for start in range(0, len(printed), BATCH_SIZE):
        chunk = printed[start:start + BATCH_SIZE]
        newest = max(cards[card_id]["requested_at"] for card_id in chunk)
        finished = min(newest + dt.timedelta(days=rng.uniform(2, 12)), now - dt.timedelta(days=1))
        claimed = finished - dt.timedelta(minutes=rng.uniform(2, 6))
        batches.append(batch_make(id=batch_id, size=BATCH_SIZE, cards_count=len(chunk), rendered=len(chunk),
                                  created_at=claimed, claimed_at=claimed, finished_at=finished))
        ledger.append(ledger_make(id=ledger_id, at=claimed, kind="reserved", quantity=len(chunk), batch_id=batch_id,
                                  on_hand_after=on_hand, reserved_after=len(chunk)))
        on_hand -= len(chunk)
        ledger.append(ledger_make(id=ledger_id + 1, at=finished, kind="consumed", quantity=len(chunk),
                                  batch_id=batch_id, on_hand_after=on_hand, reserved_after=0))
        ledger_id += 2
        for card_id in chunk:
            card = cards[card_id]
            card.update(batch_id=batch_id, printed_at=finished)
            timeline.add(card_id, "printing", claimed, None, f"Batch #{batch_id}")
            timeline.add(card_id, "printed", finished, None, f"Batch #{batch_id}")
        batch_id += 1

    # Dispatches: one per kelurahan and month of printing; the newest, still on their way.
    dispatch_make = bulk.row_maker(Dispatch, missing_count=0, received_at=None, received_by_id=None,
                                   created_by_id=office)
    item_make = bulk.row_maker(DispatchItem, handover_id=None)
    kelurahan_of = {household[0]: (household[1], household[2], household[5], household[6]) for household in households}
    groups: dict[tuple, list[int]] = {}
    for card_id in printed:
        card = cards[card_id]
        stage = card.get("_was", card["status"])
        if stage == "printed":
            continue
        kelurahan_id = kelurahan_of[card["household_id"]][0]
        key = (kelurahan_id, "sent" if stage == "dispatched" else card["printed_at"].strftime("%Y-%m"))
        groups.setdefault(key, []).append(card_id)
    dispatches, items = [], []
    dispatch_id, item_id = bulk.next_id(Dispatch), bulk.next_id(DispatchItem)
    for (kelurahan_id, month), members in sorted(groups.items(), key=lambda entry: (entry[0][1], entry[0][0])):
        code, _head, _nik = kelurahan_of[cards[members[0]]["household_id"]][1:]
        receiver = kelurahan_staff.get(code, city_staff)
        latest = max(cards[card_id]["printed_at"] for card_id in members)
        if month == "sent":
            created = min(latest + dt.timedelta(days=1), now) if latest > now - dt.timedelta(days=5) \
                else now - dt.timedelta(days=rng.uniform(0.5, 4))
            received_at = None
        else:
            created = min(latest + dt.timedelta(days=rng.uniform(1, 5)), now - dt.timedelta(hours=12))
            received_at = min(created + dt.timedelta(days=rng.uniform(0.5, 4)), now - dt.timedelta(hours=1))
        deadline = (received_at or created).date() + dt.timedelta(days=60)
        place = "Kantor Kelurahan"
        dispatches.append(dispatch_make(
            id=dispatch_id, kelurahan_id=kelurahan_id, status="sent" if received_at is None else "received",
            pickup_place=place, pickup_deadline=deadline, created_at=created, received_at=received_at,
            received_by_id=None if received_at is None else receiver, cards_count=len(members),
        ))
        for card_id in members:
            card = cards[card_id]
            head = kelurahan_of[card["household_id"]]
            card["dispatch_id"] = dispatch_id
            items.append(item_make(id=item_id, dispatch_id=dispatch_id, card_id=card_id))
            item_id += 1
            timeline.add(card_id, "dispatched", created, office, f"Dispatch #{dispatch_id}")
            if received_at is None:
                continue
            card.update(ready_at=received_at, pickup_deadline=deadline)
            timeline.add(card_id, "ready", received_at, receiver, place)
            if card.get("_was", card["status"]) == "collected":
                collected = min(received_at + dt.timedelta(days=rng.uniform(0.2, 45)), now - dt.timedelta(minutes=5))
                card.update(collected_at=collected, collected_by_kind="head", collected_name=head[2],
                            collected_id_number=head[3], collection_recorded_by_id=receiver)
                timeline.add(card_id, "collected", collected, receiver, f"Kepala keluarga: {head[2]}")
        dispatch_id += 1
    for card_id, again in revoked.items():
        card = cards[card_id]
        at = min((card["collected_at"] or card["printed_at"]) + dt.timedelta(days=rng.uniform(5, 200)),
                 now - dt.timedelta(minutes=2))
        card.update(revoked_at=at, revoked_reason="Hilang")
        timeline.add(card_id, "revoked", at, kelurahan_staff.get(kelurahan_of[card["household_id"]][1], city_staff),
                     "Hilang")
        cards[again]["requested_at"] = at
    for card_id, card in cards.items():
        timeline.add(card_id, "queued", card["requested_at"], card["requested_by_id"],
                     "" if card.get("replaces_id") is None else f"Menggantikan kartu "
                     f"{cards[card['replaces_id']]['number']}")
        if card.get("raised_at"):
            timeline.add(card_id, "raised", card["raised_at"], None, card["reason"])
    context.wrote(Card, bulk.write_rows(Card, (make_card(**_without_marks(card)) for card in cards.values())), started)
    for model, rows in ((Batch, batches), (Dispatch, dispatches), (DispatchItem, items), (LedgerEntry, ledger),
                        (CardEvent, timeline.rows)):
        started = time.perf_counter()
        context.wrote(model, bulk.write_rows(model, rows), started)
    Stock.objects.filter(pk=1).update(on_hand=on_hand, reserved=0, consumed=len(printed), spoiled=0,
                                      received=received, adjusted=0, emergency_reserve=500)
    context.shared["cards"] = live
    context.shared["revoked_cards"] = [(card_id, cards[card_id]["number"]) for card_id in revoked]


def _without_marks(card: dict) -> dict:
    return {key: value for key, value in card.items() if not key.startswith("_")}


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def _lots(context, received: int) -> list[Lot]:
    """The year's lot and a top-up, delivered before the first card was printed."""
    first = round(received * 0.85)
    lots = [
        Lot(budget_year=2018, quantity=first, received_on=dt.date(2018, 1, 8), reference="SPK-BLANKO-2018",
            received_by=context.users["cetak.disdukcapil"]),
        Lot(budget_year=2019, quantity=received - first, received_on=dt.date(2019, 1, 14), reference="SPK-BLANKO-2019",
            received_by=context.users["cetak.disdukcapil"]),
    ]
    for lot in lots:
        lot.save()
    return lots
