"""The mayor's monthly report as a PDF (ReportLab, with the cards' embedded fonts).

Drawn from ``figures.monthly.monthly_report_data`` alone: the numbers in the
PDF are the numbers of that dict, so a test of the dict and one of the PDF's
text check the same thing.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cards.rendering import FONT_BOLD, FONT_REGULAR, fonts
from complaints.models import Complaint
from registrations.models import Registration

WIDTH = 180 * mm


def _n(value) -> str:
    if value is None:
        return "—"
    return formats.number_format(value, force_grouping=True)


def _pct(value) -> str:
    return "—" if value is None else f"{formats.number_format(value, 1)} %"


def _date(value) -> str:
    return "—" if value is None else formats.date_format(value, "j F Y")


def _table(rows: list[list], widths: list[float], *, header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [("FONT", (0, 0), (-1, -1), FONT_REGULAR, 9), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
             ("ALIGN", (1, 0), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    if header:
        style += [("FONT", (0, 0), (-1, 0), FONT_BOLD, 9), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5"))]
    table.setStyle(TableStyle(style))
    return table


def coverage_chart(rows: list[dict], target: float) -> Drawing:
    """Coverage per kecamatan as horizontal bars, with the target as a line."""
    height = 20 + 14 * max(len(rows), 1)
    drawing = Drawing(WIDTH, height + 20)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 45 * mm, 15, WIDTH - 55 * mm, height
    chart.data = [[row["coverage_pct"] or 0 for row in reversed(rows)] or [0]]
    chart.categoryAxis.categoryNames = [row["name"] for row in reversed(rows)] or [""]
    chart.categoryAxis.labels.fontName = FONT_REGULAR
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = FONT_REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#0b5394")
    drawing.add(chart)
    x = chart.x + chart.width * target / 100
    drawing.add(Line(x, chart.y, x, chart.y + chart.height, strokeColor=colors.HexColor("#b36b00"), strokeWidth=1.5))
    drawing.add(String(x + 2, chart.y + chart.height + 4, _("target %(target)s %%") % {"target": _n(target)},
                       fontName=FONT_REGULAR, fontSize=7, fillColor=colors.HexColor("#b36b00")))
    return drawing


def monthly_report_pdf(data: dict, *, city: str) -> bytes:
    fonts()
    normal = ParagraphStyle("normal", fontName=FONT_REGULAR, fontSize=9, leading=11)
    heading = ParagraphStyle("heading", fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=4)
    section = ParagraphStyle("section", fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4)
    month = formats.date_format(data["month"], "F Y")
    title = _("Kartu Sehat %(city)s: monthly report, %(month)s") % {"city": city, "month": month}
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=title)
    story = [Paragraph(escape(title), heading),
             Paragraph(escape(_("Made %(at)s. Coverage, cards and blanko as counted on %(as_of)s; the month's "
                                "flows from the records of the month.") % {
                 "at": formats.date_format(timezone.localtime(data["made_at"]), "j F Y H:i"),
                 "as_of": formats.date_format(timezone.localtime(data["as_of"]), "j F Y H:i")
                 if data["as_of"] else "—"}), normal)]

    coverage = data["coverage"]
    story.append(Paragraph(escape(_("Coverage")), section))
    if coverage:
        city_row = coverage["area"]
        story.append(Paragraph(escape(_(
            "%(verified)s households covered of %(total)s KK: %(pct)s (target %(target)s %%); %(people)s people "
            "covered; %(pending)s registrations waiting for a decision.") % {
            "verified": _n(city_row["households_verified"]), "total": _n(city_row["households_total"]),
            "pct": _pct(city_row["coverage_pct"]), "target": _n(coverage["target_pct"]),
            "people": _n(city_row["people_covered"]), "pending": _n(city_row["households_pending"])}), normal))
        story += [Spacer(1, 3 * mm), coverage_chart(coverage["children"], coverage["target_pct"])]
        story.append(_table(
            [[_("Kecamatan"), _("Households covered"), _("KK registered"), _("Coverage"), _("Waiting")]]
            + [[row["name"], _n(row["households_verified"]), _n(row["households_total"]), _pct(row["coverage_pct"]),
                _n(row["households_pending"])] for row in coverage["children"]],
            [48 * mm, 36 * mm, 32 * mm, 32 * mm, 32 * mm]))

    registrations = data["registrations"]
    channels = dict(Registration.Channel.choices)
    story.append(Paragraph(escape(_("Registrations and decisions this month")), section))
    story.append(_table(
        [[_("Registrations received"), _n(registrations["submitted"])]]
        + [[f"  {channels[channel]}", _n(n)] for channel, n in registrations["by_channel"].items()]
        + [[_("Verified"), _n(registrations["verified"])], [_("Rejected"), _n(registrations["rejected"])]],
        [120 * mm, 60 * mm], header=False))
    if registrations["rejection_reasons"]:
        reasons = [[Paragraph(escape(reason), normal), _n(n)] for reason, n in registrations["rejection_reasons"]]
        if registrations["other_reasons"]:
            reasons.append([_("Other reasons"), _n(registrations["other_reasons"])])
        story += [Spacer(1, 2 * mm), _table([[_("Rejection reason"), _("Registrations")]] + reasons,
                                            [150 * mm, 30 * mm])]

    story.append(Paragraph(escape(_("Cards")), section))
    rows = [[_("Cards printed this month"), _n(data["cards"]["printed"])],
            [_("Cards collected this month"), _n(data["cards"]["collected"])]]
    if data["cards_now"]:
        now = data["cards_now"]
        rows += [[_("Waiting to be printed now (emergencies: %(n)s)") % {"n": _n(now["emergency_queued"])},
                  _n(now["by_status"]["queued"])],
                 [_("Ready for pickup now (past the deadline: %(n)s)") % {"n": _n(now["overdue_pickup"])},
                  _n(now["by_status"]["ready_for_pickup"])]]
    story.append(_table(rows, [120 * mm, 60 * mm], header=False))

    blanko = data["blanko"]
    forecast = blanko["forecast"]
    story.append(Paragraph(escape(_("Blanko")), section))
    story.append(_table([
        [_("On hand"), _n(blanko["on_hand"])],
        [_("Reserved for running batches"), _n(blanko["reserved_for_batches"])],
        [_("Emergency reserve"), _n(blanko["reserved_for_emergency"])],
        [_("Available for regular cards"), _n(blanko["available_for_regular"])],
        [_("Used per week (average of the last 4 weeks)"), _n(forecast["consumption_per_week"])],
        [_("Regular printing stops on"), _date(forecast["regular_runs_out_on"])],
        [_("The emergency reserve runs out on"), _date(forecast["emergency_reserve_runs_out_on"])],
        [_("Blanko needed for %(year)s") % {"year": blanko["budget_need"]["budget_year"]},
         _n(blanko["budget_need"]["need"])],
    ], [120 * mm, 60 * mm], header=False))

    hospitals = data["hospitals"]
    story.append(Paragraph(escape(_("Hospitals")), section))
    story.append(_table([
        [_("Coverage checks"), _n(hospitals["checks"])],
        ["  " + _("covered"), _n(hospitals["covered"])],
        ["  " + _("not covered"), _n(hospitals["not_covered"])],
        [_("Emergency card requests"), _n(hospitals["emergency_requests"])],
    ], [120 * mm, 60 * mm], header=False))

    complaints = data["complaints"]
    categories = dict(Complaint.Category.choices)
    story.append(Paragraph(escape(_("Complaints")), section))
    story.append(_table(
        [[_("Complaints received"), _n(complaints["received"])]]
        + [[f"  {categories[category]}", _n(n)] for category, n in complaints["by_category"].items()],
        [120 * mm, 60 * mm], header=False))
    doc.build(story)
    return out.getvalue()
