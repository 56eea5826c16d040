"""Reads about cards, stock and the service mode, for pages, API and tasks."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.db.models import Count, Prefetch, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registrations.models import Member, Relationship

from .models import Batch, Card, LedgerEntry, Lot, ServiceMode, Stock
from .rendering import CardData

NORMAL = ServiceMode.Mode.NORMAL.value
REGISTRATION_ONLY = ServiceMode.Mode.REGISTRATION_ONLY.value

# The card statuses of the API contract.
CARD_STATUSES = ("queued", "printed", "dispatched", "ready_for_pickup", "collected", "revoked")
# ... as citizens read them.
CARD_STATUS_LABELS = {
    "queued": gettext_lazy("Waiting to be printed"),
    "printed": gettext_lazy("Printed"),
    "dispatched": gettext_lazy("On its way to your kelurahan"),
    "ready_for_pickup": gettext_lazy("Ready for pickup"),
    "collected": gettext_lazy("Collected"),
    "revoked": gettext_lazy("Revoked"),
}


def effective_mode(stock: Stock, forced: str) -> str:
    """The mode now: the operator's override, else registration only once
    no blank is left for regular cards."""
    if forced:
        return forced
    return ServiceMode.Mode.NORMAL if stock.available_for_regular > 0 else ServiceMode.Mode.REGISTRATION_ONLY


def current_mode() -> tuple[str, ServiceMode, Stock]:
    stock = Stock.objects.get(pk=1)
    service = ServiceMode.objects.get(pk=1)
    return effective_mode(stock, service.forced), service, stock


def service_status() -> dict:
    """``{"mode", "message", "blanko_available"}`` as in the API contract."""
    mode, service, stock = current_mode()
    if service.forced and service.message:
        message = service.message
    elif mode == NORMAL:
        message = _("Registration is open and cards are printed in the order registrations are verified.")
    else:
        message = _(
            "Registration is open, but blank cards are held back for emergencies: only cards for people "
            "who are hospitalised or in an emergency, with a hospital letter, are printed now."
        )
    return {"mode": mode, "message": message, "blanko_available": stock.available_for_regular}


def stock_summary() -> dict:
    mode, _service, stock = current_mode()
    return {
        "on_hand": stock.on_hand,
        "reserved_for_batches": stock.reserved,
        "reserved_for_emergency": stock.emergency_reserve,
        "available_for_regular": stock.available_for_regular,
        "consumed": stock.consumed,
        "spoiled": stock.spoiled,
        "mode": mode,
        "lots": [
            {"id": lot.pk, "reference": lot.reference, "budget_year": lot.budget_year,
             "quantity": lot.quantity, "received_on": lot.received_on}
            for lot in Lot.objects.order_by("-received_on", "-id")
        ],
    }


def ledger_totals() -> dict:
    """The counters recomputed from the ledger alone (to check the stock row)."""
    sums = dict(LedgerEntry.objects.values_list("kind").annotate(total=Sum("quantity")).values_list("kind", "total"))
    received, adjusted = sums.get("received", 0), sums.get("adjustment", 0)
    consumed, spoiled = sums.get("consumed", 0), sums.get("spoiled", 0)
    # A spoiled printed card moved one blank from consumed to spoiled.
    respoiled = LedgerEntry.objects.filter(kind="spoiled", card__isnull=False).aggregate(n=Sum("quantity"))["n"] or 0
    consumed -= respoiled
    return {
        "received": received, "adjusted": adjusted, "consumed": consumed, "spoiled": spoiled,
        "on_hand": received + adjusted - consumed - spoiled,
        "reserved": sums.get("reserved", 0) - sums.get("released", 0) - (sums.get("consumed", 0)),
    }


def queue_counts() -> dict:
    """Queued cards per priority, for the print office."""
    return {
        priority: Card.objects.filter(status=Card.Status.QUEUED, priority=priority).count()
        for priority in Card.Priority.values
    }


def printable_now() -> bool:
    """Would a batch started now take any card?"""
    mode, _service, stock = current_mode()
    queued = Card.objects.filter(status=Card.Status.QUEUED)
    if stock.available_for_emergency and queued.filter(priority=Card.Priority.EMERGENCY).exists():
        return True
    return mode == NORMAL and stock.available_for_regular > 0 and queued.filter(priority=Card.Priority.REGULAR).exists()


def card_status(card: Card) -> str:
    """The card's status as the API contract names it (a card in a batch is still ``queued``)."""
    return {Card.Status.PRINTING: "queued"}.get(card.status, card.status)


def card_for_household(household) -> dict | None:
    """``{"status", "pickup_location", "pickup_deadline", "history"}`` of the
    household's newest card, or None. A place and deadline only while the
    card waits to be collected."""
    card = (
        Card.objects.filter(household=household).exclude(status=Card.Status.CANCELLED)
        .select_related("dispatch", "handover").order_by("-copy").first()
    )
    if card is None:
        return None
    waiting = card.status == Card.Status.READY
    return {
        "status": card_status(card),
        "pickup_location": card.pickup_place if waiting else None,
        "pickup_deadline": card.pickup_deadline if waiting else None,
        "history": card_timeline_for_citizen(card),
    }


def batch_card_data(batch: Batch) -> list[CardData]:
    """What the renderer draws for each card of the batch, emergencies first.

    Two queries whatever the batch's size: the cards with their households
    and regions, and the households' current members.
    """
    labels = dict(Relationship.choices)
    current = Member.objects.filter(end_date__isnull=True).order_by("id")
    cards = (
        Card.objects.filter(batch=batch)
        .select_related("household__kelurahan__parent")
        .prefetch_related(Prefetch("household__members", queryset=current, to_attr="current_members"))
        .order_by("priority", "requested_at", "id")
    )
    data = []
    for card in cards:
        household = card.household
        members = household.current_members
        head = next((m for m in members if m.relationship == Relationship.KEPALA_KELUARGA),
            members[0] if members else None)
        data.append(CardData(
            card_number=card.number,
            head_name=head.full_name if head else "",
            kk_number=household.kk_number,
            kelurahan=household.kelurahan.name,
            kecamatan=household.kelurahan.parent.name if household.kelurahan.parent else "",
            issue_date=(batch.claimed_at or batch.created_at).date(),
            members=[(m.full_name, str(labels.get(m.relationship, m.relationship))) for m in members],
            copy_number=card.copy,
        ))
    return data


def counting(items: Iterable, callback: Callable[[int], None]) -> Iterator:
    """Yield ``items``, calling ``callback(n)`` after each (progress reports)."""
    for n, item in enumerate(items, start=1):
        yield item
        callback(n)



def cards_overdue(*, on):
    """Cards waiting at a kelurahan (or its RW coordinators) past their pickup deadline."""
    return Card.objects.filter(status=Card.Status.READY, pickup_deadline__lt=on)


# What citizens see of a card's timeline (not the print office's internals).
CITIZEN_EVENTS = {
    "queued": gettext_lazy("Waiting to be printed"),
    "printed": gettext_lazy("Printed"),
    "misprinted": gettext_lazy("Misprinted; printed again"),
    "dispatched": gettext_lazy("Sent to your kelurahan"),
    "ready": gettext_lazy("Ready for pickup"),
    "handed_over": gettext_lazy("Passed to your RW coordinator"),
    "extended": gettext_lazy("Pickup deadline extended"),
    "returned": gettext_lazy("Returned to the print office (not collected in time)"),
    "collected": gettext_lazy("Collected"),
    "revoked": gettext_lazy("Revoked"),
}


CITIZEN_EVENT_KINDS = tuple(CITIZEN_EVENTS)


def card_timeline_for_citizen(card: Card) -> list[dict]:
    return [
        {"event": event.kind, "at": event.at}
        for event in card.events.filter(kind__in=list(CITIZEN_EVENTS)).order_by("at", "id")
    ]


def printed_not_sent():
    """Printed cards at the print office, not on their way to a kelurahan."""
    return Card.objects.filter(status=Card.Status.PRINTED, dispatch__isnull=True)


def printed_waiting_by_kelurahan(kelurahan_ids: list[int]) -> list[tuple[str, str, int]]:
    """(code, name, count) of each of these kelurahan with printed cards not yet sent."""
    rows = (
        printed_not_sent().filter(household__kelurahan_id__in=kelurahan_ids)
        .values_list("household__kelurahan__code", "household__kelurahan__name")
        .annotate(n=Count("pk")).order_by("household__kelurahan__name")
    )
    return [(code, name, n) for code, name, n in rows]


def person_cards(nik: str):
    """The cards of each household a person belonged to, asked for while they
    were a member (a card lists the members of its time), oldest first."""
    during = Q()
    for start, end, household_id in Member.objects.filter(nik=nik).values_list("start_date", "end_date",
                                                                                "household_id"):
        while_member = Q(household_id=household_id, requested_at__date__gte=start)
        during |= while_member & Q(requested_at__date__lte=end) if end else while_member
    if not during:
        return Card.objects.none()
    return Card.objects.filter(during).order_by("requested_at", "id")
