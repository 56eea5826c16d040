"""What this app holds about a person, for data-subject access
(``kartusehat.personal_data``): the cards of their households while they were
a member, each with its timeline. And the fonts the readable PDF uses, so any
name prints as on the cards.

Who collected a card is named only when it was this person: a proxy's or
another member's name and NIK are theirs (the kind of collector is shown).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kartusehat.personal_data import Section, labels_of, pdf_fonts, section

from . import rendering
from .models import Card, CardEvent
from .selectors import person_cards


@pdf_fonts
def fonts() -> tuple[str, str]:
    rendering.fonts()
    return rendering.FONT_REGULAR, rendering.FONT_BOLD


@section(order=30)
def cards(nik: str) -> list[Section]:
    records, refs = [], []
    for card in person_cards(nik).select_related("dispatch", "handover").prefetch_related("events"):
        collected_by_them = card.collected_id_number == nik
        records.append({
            "number": card.number or "",
            "copy": card.copy,
            "kind": card.get_kind_display(),
            "status": card.get_status_display(),
            "priority": card.get_priority_display(),
            "reason": card.get_reason_display() if card.reason else "",
            "requested_at": card.requested_at,
            "printed_at": card.printed_at,
            "pickup_place": card.pickup_place,
            "pickup_deadline": card.pickup_deadline,
            "collected_at": card.collected_at,
            "collected_by_kind": card.get_collected_by_kind_display() if card.collected_by_kind else "",
            "collected_name": card.collected_name if collected_by_them else "",
            "revoked_at": card.revoked_at,
            "revoked_reason": card.revoked_reason,
            "timeline": [
                {"at": event.at, "kind": event.get_kind_display(),
                 # A collection's note names the collector: only this person's own name is theirs to see.
                 "note": event.note if event.kind != CardEvent.Kind.COLLECTED or collected_by_them else ""}
                for event in sorted(card.events.all(), key=lambda e: (e.at, e.pk))
            ],
        })
        refs.append(("card", card.pk))
    labels = {
        **labels_of(Card, ["number", "copy", "kind", "status", "priority", "reason", "requested_at", "printed_at",
                           "pickup_deadline", "collected_at", "collected_by_kind", "collected_name", "revoked_at",
                           "revoked_reason"]),
        **labels_of(CardEvent, ["at", "kind", "note"]),
        "pickup_place": _("pickup place"), "timeline": _("timeline"),
    }
    return [Section(
        key="cards", title=_("Kartu Sehat cards"), records=records, labels=labels, refs=refs,
        note=_("The cards of each household while this person was a member of it, with every step of each card. "
               "Who collected a card is named only if it was this person."),
    )]
