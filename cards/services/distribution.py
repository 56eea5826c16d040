"""Distribution: the print office sends printed cards to a kelurahan, which
confirms receipt, may pass an RW's cards to its coordinator, records who
collected each card, extends deadlines and returns uncollected cards.

Locks are taken in one order everywhere: the dispatch, then households, then
cards (``select_for_update(of=("self",))``: never the joined rows, so work in
one kelurahan does not queue behind its region row).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kartusehat import identity
from kartusehat.areas import kelurahan_ids_in_area
from kartusehat.refusals import Conflict, Invalid, require_perm
from kartusehat.text import (
    clean_full_name,
    identity_message,
    normalize_phone,
    normalize_rt_rw,
    phone_message,
    rw_message,
    single_spaced,
)
from registrations.models import Household, Region, Relationship

from ..models import Card, CardEvent, Dispatch, DispatchItem, Handover
from ..selectors import printed_not_sent
from .common import event, events, lock_card_in_area, require_area
from .outbox import queue_ready_messages
from .queue import card_request, card_revoke


def default_pickup_place(kelurahan_name: str) -> str:
    return f"Kantor Kelurahan {kelurahan_name}"


def dispatch_create(*, kelurahan_code: str, by, pickup_place: str = "",
    pickup_deadline: dt.date | None = None) -> Dispatch:
    """Send every printed card of one kelurahan that is not on its way yet.

    The cards are ``dispatched`` from now; the manifest (PDF, CSV) lists them
    for the courier. ``pickup_place`` and ``pickup_deadline`` default to the
    kelurahan office and ``PICKUP_DAYS`` from today.
    """
    require_perm(by, "cards.add_dispatch")
    kelurahan = Region.objects.filter(code=kelurahan_code, level=Region.Level.KELURAHAN).first()
    if kelurahan is None:
        raise Invalid({"kelurahan": [_("Choose a kelurahan.")]})
    require_area(by, kelurahan.code)
    today = timezone.localdate()
    pickup_deadline = pickup_deadline or today + dt.timedelta(days=settings.PICKUP_DAYS)
    pickup_place = single_spaced(pickup_place) or default_pickup_place(kelurahan.name)
    if pickup_deadline <= today:
        raise Invalid({"pickup_deadline": [_("The pickup deadline must be after today.")]})
    with transaction.atomic():
        ids = list(printed_not_sent().filter(household__kelurahan=kelurahan).select_for_update(of=("self",))
                   .values_list("pk", flat=True))
        if not ids:
            raise Conflict(
                _("No printed card is waiting to be sent to Kelurahan %(kelurahan)s.") % {"kelurahan": kelurahan.name}
            )
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
        events(ids, CardEvent.Kind.DISPATCHED, by=by, note=_("Dispatch #%(id)d") % {"id": dispatch.pk})
    return dispatch


def dispatch_create_all(*, by, pickup_deadline: dt.date | None = None) -> list[Dispatch]:
    """One dispatch for each kelurahan with printed cards waiting (in the user's area)."""
    codes = (
        printed_not_sent().filter(household__kelurahan_id__in=kelurahan_ids_in_area(by))
        .values_list("household__kelurahan__code", flat=True).distinct().order_by("household__kelurahan__code")
    )
    dispatches = []
    for code in list(codes):
        try:
            dispatches.append(dispatch_create(kelurahan_code=code, by=by, pickup_deadline=pickup_deadline))
        except Conflict:
            continue  # another clerk sent them meanwhile
    if not dispatches:
        raise Conflict(_("No printed card is waiting to be sent to any kelurahan."))
    return dispatches


def dispatch_receive(*, dispatch_id: int, by, missing_card_ids=()) -> Dispatch:
    """The kelurahan confirms a dispatch arrived: its cards are ready for pickup
    (place and deadline of the dispatch) and their households are told.

    Cards listed as missing are revoked at once, so nobody can use a card
    whose whereabouts are unknown, and a replacement is queued for each.
    Confirming again changes nothing; listing missing cards on a dispatch
    someone already confirmed is refused (they are reported lost instead).
    """
    require_perm(by, "cards.receive_dispatch")
    try:
        missing = {int(card_id) for card_id in missing_card_ids}
    except (TypeError, ValueError):
        raise Invalid({"missing": [_("Only cards of this dispatch can be reported missing.")]}) from None
    with transaction.atomic():
        dispatch = Dispatch.objects.select_for_update(of=("self",)).select_related("kelurahan",
            "received_by").get(pk=dispatch_id)
        require_area(by, dispatch.kelurahan.code)
        if dispatch.status == Dispatch.Status.RECEIVED:
            if missing:
                raise Conflict(
                    _("%(user)s already confirmed this dispatch at %(at)s. Report a card that is not there as lost "
                      "(Cards at the kelurahan → Lost or damaged: reprint).")
                    % {"user": dispatch.received_by,
                        "at": timezone.localtime(dispatch.received_at).strftime("%d-%m-%Y %H:%M")}
                )
            return dispatch
        waiting = Card.objects.filter(dispatch=dispatch, status=Card.Status.DISPATCHED)
        if missing:
            list(Household.objects.select_for_update(of=("self",
                )).filter(cards__in=missing).order_by("pk").values_list("pk", flat=True))
        cards = {card.pk: card for card in waiting.select_for_update(of=("self",)).order_by("pk")}
        if missing - set(cards):
            raise Invalid({"missing": [_("Only cards of this dispatch can be reported missing.")]})
        now = timezone.now()
        arrived = [pk for pk in cards if pk not in missing]
        Card.objects.filter(pk__in=arrived, status=Card.Status.DISPATCHED).update(
            status=Card.Status.READY, ready_at=now, pickup_deadline=dispatch.pickup_deadline,
        )
        events(arrived, CardEvent.Kind.READY, by=by, note=dispatch.pickup_place, at=now)
        for pk in sorted(missing):
            reason = _("Missing from dispatch #%(id)d") % {"id": dispatch.pk}
            card_revoke(cards[pk], reason=reason, by=by, kind=CardEvent.Kind.MISSING)
            card_request(household=cards[pk].household, by=by, kind=Card.Kind.LOST, replaces=cards[pk])
        dispatch.status, dispatch.received_at, dispatch.received_by = Dispatch.Status.RECEIVED, now, by
        dispatch.missing_count = len(missing)
        dispatch.save(update_fields=["status", "received_at", "received_by", "missing_count"])
        queue_ready_messages(arrived)
    return dispatch


def dispatch_hand_over(*, dispatch_id: int, rw: str, coordinator_name: str, pickup_place: str, by,
                       coordinator_phone: str = "") -> Handover:
    """Pass the waiting cards of one RW to its coordinator, where residents then
    collect them (their households are told the new place)."""
    require_perm(by, "cards.receive_dispatch")
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
        raise Invalid(errors)
    with transaction.atomic():
        dispatch = Dispatch.objects.select_for_update(of=("self",)).select_related("kelurahan").get(pk=dispatch_id)
        require_area(by, dispatch.kelurahan.code)
        if dispatch.status != Dispatch.Status.RECEIVED:
            raise Conflict(_("Confirm the dispatch arrived before passing cards on."))
        if Handover.objects.filter(dispatch=dispatch, rw=rw_digits).exists():
            raise Conflict({"rw": [_("The cards of RW %(rw)s have already been passed on.") % {"rw": rw_digits}]})
        ids = list(
            Card.objects.select_for_update(of=("self",))
            .filter(dispatch=dispatch, status=Card.Status.READY, handover__isnull=True, household__rw=rw_digits)
            .values_list("pk", flat=True)
        )
        if not ids:
            raise Conflict({"rw": [_("No card of RW %(rw)s is waiting in this dispatch.") % {"rw": rw_digits}]})
        handover = Handover.objects.create(
            dispatch=dispatch, rw=rw_digits, coordinator_name=coordinator_name[:150], coordinator_phone=phone,
            pickup_place=pickup_place[:200], created_by=by,
        )
        Card.objects.filter(pk__in=ids, status=Card.Status.READY).update(handover=handover)
        DispatchItem.objects.filter(dispatch=dispatch, card_id__in=ids).update(handover=handover)
        events(ids, CardEvent.Kind.HANDED_OVER, by=by, note=f"{coordinator_name} — {pickup_place}")
        queue_ready_messages(ids)
    return handover


def card_collect(*, card_id: int, by, collector: str, member_id: int | None = None, proxy_name: str = "",
                 proxy_id_number: str = "") -> Card:
    """Record who collected a card: the head, a member (checked against the
    household's members) or a proxy with name and NIK. Recording it again is
    harmless: the first record stands."""
    with transaction.atomic():
        card = lock_card_in_area(card_id, by, "cards.collect_card")
        if card.status == Card.Status.COLLECTED:
            return card
        if card.status != Card.Status.READY:
            raise Conflict(
                _("Card %(number)s is not waiting at the kelurahan (now: %(status)s).")
                % {"number": card.number, "status": card.get_status_display()}
            )
        members = card.household.members.filter(end_date__isnull=True)
        if collector == Card.Collector.HEAD:
            person = members.filter(relationship=Relationship.KEPALA_KELUARGA).first()
            if person is None:
                raise Conflict({"collector": [_("This household has no head of household on the roster.")]})
            name, number = person.full_name, person.nik
        elif collector == Card.Collector.MEMBER:
            person = members.filter(pk=member_id).first() if member_id else None
            if person is None:
                raise Invalid({"member": [_("Choose a current member of this household.")]})
            name, number = person.full_name, person.nik
        elif collector == Card.Collector.PROXY:
            errors = {}
            name, name_error = clean_full_name(proxy_name)
            if name_error:
                errors["proxy_name"] = [name_error]
            try:
                number = identity.parse_nik(proxy_id_number).nik
            except identity.InvalidNumber as exc:
                errors["proxy_id_number"] = [identity_message(exc)]
            if errors:
                raise Invalid(errors)
        else:
            raise Invalid({"collector": [_("Choose who collected the card.")]})
        Card.objects.filter(pk=card.pk, status=Card.Status.READY).update(
            status=Card.Status.COLLECTED, collected_at=timezone.now(), collected_by_kind=collector,
            collected_name=name[:150], collected_id_number=number, collection_recorded_by=by,
        )
        event(card.pk, CardEvent.Kind.COLLECTED, by=by, note=f"{Card.Collector(collector).label}: {name}")
    return Card.objects.get(pk=card.pk)


# A card waits a year at most, however often it is given more time.
MAX_EXTENSION_DAYS = 365


def card_extend_deadline(*, card_id: int, until: dt.date, by) -> Card:
    """Give a waiting card more time to be collected."""
    today = timezone.localdate()
    with transaction.atomic():
        card = lock_card_in_area(card_id, by, "cards.manage_pickup")
        if card.status != Card.Status.READY:
            raise Conflict(_("Only a card waiting for pickup can get more time."))
        earliest = max(card.pickup_deadline, today) + dt.timedelta(days=1)
        latest = today + dt.timedelta(days=MAX_EXTENSION_DAYS)
        if until is None or not earliest <= until <= latest:
            raise Invalid({"until": [_("Choose a date from %(earliest)s to %(latest)s.") % {
                "earliest": earliest.strftime("%d-%m-%Y"), "latest": latest.strftime("%d-%m-%Y")}]})
        Card.objects.filter(pk=card.pk, status=Card.Status.READY).update(pickup_deadline=until)
        event(card.pk, CardEvent.Kind.DEADLINE_EXTENDED, by=by, note=until.strftime("%d-%m-%Y"))
    return Card.objects.get(pk=card.pk)


def card_return(*, card_id: int, reason: str, by) -> Card:
    """An uncollected card goes back to the print office, which can send it
    again later. Only a card that arrived: one that never did is missing,
    and is reported lost instead."""
    reason = single_spaced(reason)
    if len(reason) < 5:
        raise Invalid({"reason": [_("Give the reason for returning the card.")]})
    with transaction.atomic():
        card = lock_card_in_area(card_id, by, "cards.manage_pickup")
        if not Card.objects.filter(pk=card.pk, status=Card.Status.READY).update(
            status=Card.Status.PRINTED, dispatch=None, handover=None, pickup_deadline=None, ready_at=None,
        ):
            raise Conflict(_("Only a card waiting for pickup can be returned."))
        event(card.pk, CardEvent.Kind.RETURNED, by=by, note=reason)
    return Card.objects.get(pk=card.pk)
