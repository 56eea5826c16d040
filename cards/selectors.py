"""Reads about cards, stock and the service mode, for pages, API and tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.db.models import Case, Count, F, Prefetch, Q, Sum, When
from django.utils import timezone
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
        "forecast": blanko_forecast(stock=stock),
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


# --- The blanko forecast -------------------------------------------------------
#
# Blanks leave the stock by printing (``consumed``) and by spoilage of blank
# cards (``spoiled`` without a card). A misprinted or damaged printed card
# (``spoiled`` with its card) moves a blank already counted as consumed, so it
# is not counted twice; its reprint consumes a new blank when it prints.
# Adjustments are corrections of a count, not use, and stay out.
BLANKS_USED = Q(kind=LedgerEntry.Kind.CONSUMED) | Q(kind=LedgerEntry.Kind.SPOILED, card__isnull=True)
FORECAST_WEEKS = 4
WEEKS_PER_YEAR = 52


def week_monday(day: dt.date) -> dt.date:
    """The Monday of ``day``'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in the city's time zone (weeks and days are the city's)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def blanko_consumption_per_week(*, weeks: int = 12, today: dt.date | None = None) -> list[dict]:
    """``[{"week": <Monday>, "blanks": n}, ...]`` for the ``weeks`` full ISO
    weeks before this one, oldest first: one query over the ledger's ``at`` index."""
    this_monday = week_monday(today or timezone.localdate())
    mondays = [this_monday - dt.timedelta(weeks=n) for n in range(weeks, 0, -1)]
    bounds = [local_midnight(monday) for monday in [*mondays, this_monday]]
    sums = LedgerEntry.objects.filter(BLANKS_USED, at__gte=bounds[0], at__lt=bounds[-1]).aggregate(**{
        f"w{index}": Sum("quantity", filter=Q(at__gte=bounds[index], at__lt=bounds[index + 1]))
        for index in range(weeks)
    })
    return [{"week": monday, "blanks": sums[f"w{index}"] or 0} for index, monday in enumerate(mondays)]


def _days_until_empty(available: int, used_in_window: int, window_days: int) -> int:
    """Whole days until ``available`` blanks are gone at ``used_in_window`` per
    ``window_days``: the day the last one is used (integers, no rounding drift)."""
    return -(-max(0, available) * window_days // used_in_window)


def blanko_forecast(*, stock: Stock | None = None, today: dt.date | None = None) -> dict:
    """``{"consumption_per_week", "regular_runs_out_on", "emergency_reserve_runs_out_on"}``
    (api-contract.md): consumption is the average of the last 4 full ISO weeks;
    at that rate, the day nothing is left for regular cards, and the day nothing
    is left at all (the emergency reserve used up too). Dates are None when
    nothing was used."""
    today = today or timezone.localdate()
    stock = stock or Stock.objects.get(pk=1)
    used = sum(week["blanks"] for week in blanko_consumption_per_week(weeks=FORECAST_WEEKS, today=today))
    forecast = {"consumption_per_week": round(used / FORECAST_WEEKS, 1), "regular_runs_out_on": None,
                "emergency_reserve_runs_out_on": None}
    if used > 0:
        window = FORECAST_WEEKS * 7
        forecast["regular_runs_out_on"] = today + dt.timedelta(
            days=_days_until_empty(stock.available_for_regular, used, window))
        forecast["emergency_reserve_runs_out_on"] = today + dt.timedelta(
            days=_days_until_empty(stock.available_for_emergency, used, window))
    return forecast


# How each ledger entry moves the blanks on hand: receipts and adjustments (signed) add,
# printed cards and blanks spoiled before printing take away. A misprint (spoiled with its
# card) only moves a blank already consumed to spoiled; reservations never leave the shelf.
ON_HAND_CHANGE = Case(
    When(kind__in=[LedgerEntry.Kind.RECEIVED, LedgerEntry.Kind.ADJUSTMENT], then=F("quantity")),
    When(BLANKS_USED, then=-F("quantity")),
    default=0,
)
BURN_DOWN_HORIZON = dt.timedelta(weeks=104)


def blanko_on_hand_per_week(*, stock: Stock, weeks: int = 12, today: dt.date | None = None) -> list[dict]:
    """``[{"week": <Monday>, "on_hand": n}, ...]``: the blanks on hand at the end of each of
    the ``weeks`` full ISO weeks before this one, oldest first, reconstructed from the ledger
    as ``stock.on_hand`` less what came in and plus what went out since the week ended.
    One query over the ledger's ``at`` index."""
    this_monday = week_monday(today or timezone.localdate())
    mondays = [this_monday - dt.timedelta(weeks=n) for n in range(weeks, 0, -1)]
    ends = [local_midnight(monday + dt.timedelta(weeks=1)) for monday in mondays]
    since = LedgerEntry.objects.filter(at__gte=ends[0]).aggregate(**{
        f"w{index}": Sum(ON_HAND_CHANGE, filter=Q(at__gte=end)) for index, end in enumerate(ends)})
    return [{"week": monday, "on_hand": stock.on_hand - (since[f"w{index}"] or 0)}
            for index, monday in enumerate(mondays)]


def blanko_burn_down(*, stock: Stock | None = None, today: dt.date | None = None) -> dict:
    """The stock burn-down: the last 12 weeks' ends from the ledger, and the forecast from
    today at the rate of ``blanko_forecast`` (none when nothing was used)::

        {"weeks": [{"week", "on_hand"}, ...], "today": date, "on_hand": n,
         "projection": [{"on", "on_hand", "point"}, ...]}

    ``point`` is "week" for the end of each coming week (its Monday in ``on``), then
    "regular" (regular printing stops: what is left is the reserve and the reservations)
    and "emergency" (the reserve is used up too), each on ``blanko_forecast``'s date.
    Coming weeks stop at the reserve's date or two years ahead, whichever is first."""
    today = today or timezone.localdate()
    stock = stock or Stock.objects.get(pk=1)
    forecast = blanko_forecast(stock=stock, today=today)
    found = {"weeks": blanko_on_hand_per_week(stock=stock, today=today), "today": today, "on_hand": stock.on_hand,
             "projection": []}
    used = sum(week["blanks"] for week in blanko_consumption_per_week(weeks=FORECAST_WEEKS, today=today))
    regular_on, emergency_on = forecast["regular_runs_out_on"], forecast["emergency_reserve_runs_out_on"]
    if not used or regular_on is None or emergency_on is None:
        return found
    regular_floor = stock.on_hand - stock.available_for_regular
    emergency_floor = stock.on_hand - stock.available_for_emergency

    def on_hand_on(day: dt.date) -> int:
        # The forecast's own rate, in whole blanks: never below what the reserve's date leaves.
        return max(emergency_floor, stock.on_hand - used * (day - today).days // (FORECAST_WEEKS * 7))

    monday = week_monday(today)
    last = min(emergency_on, today + BURN_DOWN_HORIZON)
    while monday + dt.timedelta(weeks=1) <= last:
        found["projection"].append({"on": monday, "on_hand": on_hand_on(monday + dt.timedelta(weeks=1)),
                                    "point": "week"})
        monday += dt.timedelta(weeks=1)
    found["projection"] += [{"on": regular_on, "on_hand": regular_floor, "point": "regular"},
                            {"on": emergency_on, "on_hand": emergency_floor, "point": "emergency"}]
    return found


def blanko_budget_need(*, today: dt.date | None = None) -> dict:
    """How many blanks the next budget year needs, for the procurement request::

        need = queued + min(52 x new cards per week, households without a card)
               + 52 x reprints per week + 52 x spoiled per week

    The rates are the averages of the last 4 full ISO weeks: new cards
    requested (each a newly verified household), reprints requested (lost,
    damaged, data changed), and spoiled blanks and misprints (each costs one
    blank more). Households without a card are the city's household target
    (``CITY_HOUSEHOLD_TARGET``) less the households that were ever given a
    card, so expected registrations never exceed the city. Four queries."""
    today = today or timezone.localdate()
    this_monday = week_monday(today)
    since, until = local_midnight(this_monday - dt.timedelta(weeks=FORECAST_WEEKS)), local_midnight(this_monday)
    requested = Card.objects.filter(requested_at__gte=since, requested_at__lt=until).aggregate(
        new=Count("pk", filter=Q(kind=Card.Kind.NEW)), reprints=Count("pk", filter=~Q(kind=Card.Kind.NEW)))
    spoiled = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.SPOILED, at__gte=since, at__lt=until).aggregate(
        n=Sum("quantity"))["n"] or 0
    queued = Card.objects.filter(status=Card.Status.QUEUED).count()
    ever_carded = Card.objects.filter(kind=Card.Kind.NEW).count()
    without_card = max(0, settings.KARTUSEHAT_CITY["household_target"] - ever_carded)
    per_year = {
        "new": requested["new"] * WEEKS_PER_YEAR // FORECAST_WEEKS,
        "reprints": requested["reprints"] * WEEKS_PER_YEAR // FORECAST_WEEKS,
        "spoiled": spoiled * WEEKS_PER_YEAR // FORECAST_WEEKS,
    }
    expected_registrations = min(per_year["new"], without_card)
    return {
        "budget_year": today.year + 1,
        "queued": queued,
        "expected_registrations": expected_registrations,
        "households_without_card": without_card,
        "reprints": per_year["reprints"],
        "spoiled": per_year["spoiled"],
        "need": queued + expected_registrations + per_year["reprints"] + per_year["spoiled"],
    }
