"""Manifests of a dispatch (for the courier and the kelurahan) and of a
handover to an RW coordinator: card number, head of household, RT/RW.

CSV for spreadsheets, PDF (A4, embedded fonts for any name) to print and
sign on handover.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kartusehat.spreadsheets import escape_cell

from .models import Card
from .rendering import FONT_BOLD, clean_text, fonts
from .rendering import FONT_REGULAR as FONT


@dataclass(frozen=True)
class Row:
    number: str
    head: str
    rt: str
    rw: str
    status: str


def manifest_rows(cards) -> list[Row]:
    """One row per card, by RW, RT and head's name: the order a courier walks."""
    rows = []
    for card in cards.select_related("household").prefetch_related("household__members"):
        household = card.household
        head = household.head()
        rows.append(Row(card.number, head.full_name if head else "", household.rt, household.rw,
            card.get_status_display()))
    return sorted(rows, key=lambda r: (r.rw, r.rt, r.head.casefold(), r.number))


def manifest_csv(rows: list[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["card_number", "head_of_household", "rt", "rw", "status"])
    for row in rows:
        writer.writerow([row.number, escape_cell(row.head), row.rt, row.rw, row.status])
    # With a BOM, spreadsheets read the names' accents right.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def manifest_pdf(rows: list[Row], *, title: str, lines: list[str]) -> bytes:
    fonts()  # registers the embedded fonts: any name prints, accents included
    normal = ParagraphStyle("normal", fontName=FONT, fontSize=9, leading=11)
    heading = ParagraphStyle("heading", fontName=FONT_BOLD, fontSize=13, leading=16, spaceAfter=4)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=title)
    table = Table(
        [["#", _("Card number"), _("Head of household"), "RT", "RW", _("Received (signature)")]]
        + [[str(i), r.number, Paragraph(escape(clean_text(r.head)), normal), r.rt, r.rw, ""]
           for i, r in enumerate(rows, start=1)],
        colWidths=[10 * mm, 35 * mm, 70 * mm, 12 * mm, 12 * mm, 41 * mm],
        repeatRows=1,
    )
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f3ee")),
    ]))
    story = [Paragraph(escape(title), heading)]
    story += [Paragraph(escape(line), normal) for line in lines]
    story += [
        Paragraph(_("Manifest printed %(at)s") % {"at": timezone.localtime().strftime("%d-%m-%Y %H:%M")} + " · "
                  + ngettext("%(count)d card", "%(count)d cards", len(rows)) % {"count": len(rows)}, normal),
        Spacer(1, 4 * mm), table, Spacer(1, 10 * mm),
        Table([[_("Sent by (courier)"), _("Received by (kelurahan)")], ["\n\n\n", "\n\n\n"],
               ["(________________________)", "(________________________)"]],
              colWidths=[90 * mm, 90 * mm], style=[("FONT", (0, 0), (-1, -1), FONT, 9), ("ALIGN", (0, 0), (-1, -1),
                  "CENTER")]),
    ]
    doc.build(story)
    return out.getvalue()


def dispatch_cards(dispatch, handover=None):
    """The cards that travelled in the dispatch (or were passed to the RW
    coordinator), as signed for: also those that later moved on."""
    items = dispatch.items.filter(handover=handover) if handover is not None else dispatch.items.all()
    return Card.objects.filter(pk__in=items.values("card_id"))
