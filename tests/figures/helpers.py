"""Shared set-up for the figures tests: a small city with households, pending
and rejected registrations and cards at every stage in three kelurahan of two
kecamatan, and the figures counted again from the raw tables, row by row in
Python (no GROUP BY), to hold the rollup against."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from cards import services as card_services
from cards.models import Card
from registrations import services as registration_services
from registrations.models import Household, Member, Region, Registration
from tests.cards.distribution_helpers import head_of, printed_cards, ready, sent
from tests.cards.queue_helpers import raise_to_emergency
from tests.factories import BINTARA, KRANJI, MARGAJAYA, submit, superuser, verified

KELURAHAN = [BINTARA, KRANJI, MARGAJAYA]


def small_city() -> dict:
    """Cards printed, on their way, ready, collected, reprinted, overdue and queued
    (one an emergency); pending and rejected registrations; a membership ended."""
    root = superuser()
    _dispatch, (collected, lost, overdue, waiting) = ready(4, KRANJI)
    on_its_way, (travelling,) = sent(1, MARGAJAYA)
    printed_cards(1, BINTARA)
    card_services.card_collect(card_id=collected.pk, by=root, collector="head")
    card_services.card_collect(card_id=lost.pk, by=root, collector="head")
    card_services.card_reprint(card_id=lost.pk, kind=Card.Kind.LOST, by=root)
    Card.objects.filter(pk=overdue.pk).update(pickup_deadline=timezone.localdate() - dt.timedelta(days=1))
    emergency = verified(KRANJI)
    raise_to_emergency(Card.objects.get(household=emergency.household))
    verified(MARGAJAYA)
    pending = [submit(MARGAJAYA), submit(MARGAJAYA), submit(BINTARA)]
    registration_services.registration_reject(registration_id=pending[1].pk, by=root, reason="KK tidak terbaca")
    return {"waiting": waiting, "pending": pending[0], "bintara_pending": pending[2], "root": root,
            "dispatch": on_its_way, "travelling": travelling}


def end_a_membership(card: Card) -> None:
    """A member who is not the head leaves (the household's printed card is replaced)."""
    household = Card.objects.get(pk=card.pk).household
    member = household.members.filter(end_date__isnull=True).exclude(pk=head_of(card).pk).first()
    registration_services.member_end(member_id=member.pk, by=superuser(), reason="Pindah domisili")


STATUS_COLUMN = {"queued": "cards_queued", "printing": "cards_queued", "printed": "cards_printed",
                 "dispatched": "cards_dispatched", "ready_for_pickup": "cards_ready_for_pickup",
                 "collected": "cards_collected", "revoked": "cards_revoked"}


def recount() -> tuple[dict, dict]:
    """Per kelurahan id: every figure, from every row; and cards printed per (kelurahan id, Monday)."""
    rows: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    active = {h.pk: h for h in Household.objects.all() if h.status == "active"}
    for household in active.values():
        rows[household.kelurahan_id]["households_verified"] += 1
    for member in Member.objects.all():
        if member.end_date is None and member.household_id in active:
            rows[active[member.household_id].kelurahan_id]["people_covered"] += 1
    on_roster = {h.kk_number for h in active.values()}
    for registration in Registration.objects.all():
        if registration.status == "submitted" and registration.kk_number not in on_roster:
            rows[registration.kelurahan_id]["households_pending"] += 1
    today = timezone.localdate()
    weekly: dict = defaultdict(int)
    for card in Card.objects.select_related("household"):
        row = rows[card.household.kelurahan_id]
        if card.status in STATUS_COLUMN:
            row[STATUS_COLUMN[card.status]] += 1
        if card.status in ("queued", "printing") and card.priority == "emergency":
            row["emergency_queued"] += 1
        if card.status == "ready_for_pickup" and card.pickup_deadline < today:
            row["overdue_pickup"] += 1
        if card.printed_at is not None:
            day = timezone.localdate(card.printed_at)
            weekly[(card.household.kelurahan_id, day - dt.timedelta(days=day.weekday()))] += 1
    return {k: dict(v) for k, v in rows.items()}, dict(weekly)


def region_id(code: str) -> int:
    return Region.objects.get(code=code).pk


def city_staff(username: str, group: str | None):
    """A staff user of ``group`` (None: no role) whose area is the whole city."""
    from django.contrib.auth.models import Group

    from registrations.models import StaffArea
    from tests.factories import CITY, UserFactory

    user = UserFactory(username=username)
    if group:
        user.groups.add(Group.objects.get(name=group))
    StaffArea.objects.create(user=user, region=Region.objects.get(code=CITY))
    return user
