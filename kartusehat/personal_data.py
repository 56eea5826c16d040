"""Data-subject access (UU No. 27/2022): everything held about one NIK, as
JSON and as a readable PDF, in one ZIP.

Each app says what it holds about a person in ``<app>/personal_data.py``: a
function registered with :func:`section` that takes a NIK and returns
:class:`Section` objects (found the way the admin finds ``admin.py``, so the
platform names no app). The platform adds the access-log entries about the
records those sections list (:attr:`Section.refs`) and about earlier exports
of the same person, and renders the result.

What is "about" the person, and what is left out because it is about
someone else (household co-members, a proxy who collected a card), is each
section's decision, written in its :attr:`Section.note`; README, "Personal
data", sums it up.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import io
import json
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import reportlab
from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FORMAT = "kartusehat/personal-data/v1"
# What the access log names an export by: never the NIK itself.
OBJECT_TYPE = "person"


@dataclass
class Section:
    """What one app holds about the person, of one kind (registrations, cards…).

    ``records`` are JSON-ready dicts (English keys; values are text, numbers,
    dates, booleans, None, or lists of such dicts); ``labels`` name each key
    for the PDF. ``refs`` are the (object type, object id) pairs the access log
    uses for these records, so the entries about them can be added.
    """

    key: str
    title: str
    records: list[dict]
    labels: dict[str, str] = field(default_factory=dict)
    note: str = ""
    refs: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Export:
    nik: str
    at: dt.datetime
    by: str
    sections: list[Section]

    @property
    def empty(self) -> bool:
        return not any(section.records for section in self.sections)


_SECTIONS: list[tuple[int, str, Callable[[str], list[Section]]]] = []
_FONTS: list[Callable[[], tuple[str, str]]] = []


def section(order: int):
    """Register what an app holds about a NIK; lower ``order`` comes first."""

    def register(function: Callable[[str], list[Section]]):
        _SECTIONS.append((order, f"{function.__module__}.{function.__qualname__}", function))
        return function

    return register


def pdf_fonts(function: Callable[[], tuple[str, str]]):
    """Register the (regular, bold) fonts an app ships for printing any name;
    without one, the PDF uses ReportLab's own Vera fonts."""
    _FONTS.append(function)
    return function


def subject_ref(nik: str) -> str:
    """How the access log names the person of an export: a keyed hash of the
    NIK, so earlier exports of the same person can be found, and nobody can
    read or test a NIK from the log alone."""
    digest = hmac.new(settings.SIGNING_KEY.encode(), f"kartusehat/person:{nik}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def labels_of(model, names) -> dict[str, str]:
    """The models' own field names as labels (``verbose_name``), for the PDF."""
    return {name: str(model._meta.get_field(name).verbose_name) for name in names}


def collect(nik: str, *, by) -> Export:
    """Everything every app holds about ``nik``, and the access log about it."""
    autodiscover_modules("personal_data")
    sections: list[Section] = []
    for _order, _name, function in sorted(_SECTIONS, key=lambda entry: entry[:2]):
        sections.extend(function(nik))
    sections.append(_access_log(nik, [ref for each in sections for ref in each.refs]))
    return Export(nik=nik, at=timezone.now(), by=getattr(by, "username", ""), sections=sections)


def _access_log(nik: str, refs: list[tuple[str, str]]) -> Section:
    model = apps.get_model(settings.KARTUSEHAT_ACCESS_LOG_MODEL)
    about = Q(object_type=OBJECT_TYPE, object_id=subject_ref(nik))
    for object_type, object_id in set(refs):
        about |= Q(object_type=object_type, object_id=str(object_id))
    entries = model.objects.filter(about).select_related("user").order_by("at", "id")
    return Section(
        key="access_log",
        title=_("Who read these records"),
        note=_("Every time staff listed, opened, searched or exported one of the records above (and every refused "
               "attempt), with the staff member's username. Lists and searches name no single person and are "
               "not included."),
        labels={**labels_of(model, ["at", "action", "object_type", "object_id", "ip_address"]), "user": _("staff")},
        records=[{
            "at": entry.at, "user": entry.user.username if entry.user_id else "", "action": entry.get_action_display(),
            "object_type": entry.object_type, "object_id": entry.object_id if entry.object_type != OBJECT_TYPE else "",
            "ip_address": entry.ip_address,
        } for entry in entries],
    )


# --- Rendering -------------------------------------------------------------------


def _plain(value):
    """JSON-ready: local times, nested records as lists of dicts."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    if isinstance(value, list):
        return [{key: _plain(item) for key, item in record.items()} for record in value]
    return value


def as_json(export: Export) -> bytes:
    body = {
        "format": FORMAT,
        "nik": export.nik,
        "exported_at": _plain(export.at),
        "exported_by": export.by,
        "controller": settings.KARTUSEHAT_CITY["name"],
        "programme": settings.KARTUSEHAT_CITY["program_name"],
        "sections": {
            each.key: {"title": str(each.title), "note": str(each.note),
                       "records": [{key: _plain(value) for key, value in record.items()} for record in each.records]}
            for each in export.sections
        },
    }
    return json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return _plain(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return unicodedata.normalize("NFC", str(value))


@functools.cache
def _vera() -> tuple[str, str]:
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont("KSVera", str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("KSVeraBold", str(folder / "VeraBd.ttf")))
    return "KSVera", "KSVeraBold"


def as_pdf(export: Export) -> bytes:
    """The same content, readable: one heading per section, one table per record."""
    autodiscover_modules("personal_data")
    regular, bold = _FONTS[0]() if _FONTS else _vera()
    normal = ParagraphStyle("normal", fontName=regular, fontSize=8.5, leading=10.5)
    small = ParagraphStyle("small", parent=normal, fontSize=7.5, leading=9)
    label = ParagraphStyle("label", parent=normal, fontName=bold)
    heading = ParagraphStyle("heading", fontName=bold, fontSize=13, leading=16, spaceBefore=8, spaceAfter=4)
    title = _("Personal data held about NIK %(nik)s") % {"nik": export.nik}
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=title)
    width = A4[0] - 30 * mm
    grid = TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#e8f3ee")),
    ])

    def text(value, style=normal):
        return Paragraph(escape(_shown(value)).replace("\n", "<br/>"), style)

    def nested(rows: list[dict], labels: dict) -> Table | Paragraph:
        if not rows:
            return text(None)
        keys = list(rows[0])
        table = Table([[Paragraph(escape(labels.get(key, key)), small) for key in keys]]
                      + [[text(row.get(key), small) for key in keys] for row in rows],
                      colWidths=[(width * 0.7 - 4 * mm) / len(keys)] * len(keys), repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2"))]))
        return table

    story = [
        Paragraph(escape(title), ParagraphStyle("title", parent=heading, fontSize=15, leading=19)),
        text(_("%(programme)s, %(city)s. Exported %(at)s by %(by)s.") % {
            "programme": settings.KARTUSEHAT_CITY["program_name"], "city": settings.KARTUSEHAT_CITY["name"],
            "at": _shown(export.at), "by": export.by}),
        text(_("This document lists everything the portal holds about this person. The same data is in the JSON "
               "file beside it, for other systems.")),
    ]
    for each in export.sections:
        # The heading stays with its note and first record, never alone at a page's foot.
        top = [Paragraph(escape(str(each.title)), heading)]
        if each.note:
            top += [text(each.note, small), Spacer(1, 2 * mm)]
        if not each.records:
            story.append(KeepTogether([*top, text(_("Nothing held."))]))
            continue
        labels = each.labels
        for index, record in enumerate(each.records):
            rows = [[Paragraph(escape(labels.get(key, key)), label),
                     nested(value, labels) if isinstance(value, list) else text(value)]
                    for key, value in record.items()]
            table = Table(rows, colWidths=[width * 0.3, width * 0.7])
            table.setStyle(grid)
            block = [*top, table] if index == 0 else [table]
            story += [*([KeepTogether(block)] if len(rows) < 25 else block), Spacer(1, 3 * mm)]
    doc.build(story)
    return out.getvalue()


def archive(export: Export) -> bytes:
    """One ZIP: ``data-pribadi.json`` and ``data-pribadi.pdf``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("data-pribadi.json", as_json(export))
        bundle.writestr("data-pribadi.pdf", as_pdf(export))
    return out.getvalue()
