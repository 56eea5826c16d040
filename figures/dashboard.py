"""The staff dashboard (``/admin/figures/dashboard/``): coverage, cards and the
blanko stock of the user's area, each as a server-drawn chart with its data
table beside it, and every table as CSV and XLSX.

Read from the figures rollup (``selectors.coverage`` and ``cards``, the same
rows as the stats API) and the blanko forecast of ``cards.selectors``: a fixed
number of small queries whatever the city's size. Counts only, never a person,
so no access-log row is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from cards import selectors as card_selectors
from cards.models import Stock
from kartusehat.spreadsheets import escape_cell

from . import charts, selectors, services
from .api import FIGURES_PERMISSION

STOCK_PERMISSION = "cards.view_stock"
CHECKS_PERMISSION = "hospitals.view_verificationlog"
STAGE_LABELS = {
    "queued": gettext_lazy("Queued"), "printed": gettext_lazy("Printed"),
    "dispatched": gettext_lazy("On the way to the kelurahan"),
    "ready_for_pickup": gettext_lazy("Ready for pickup"), "collected": gettext_lazy("Collected"),
    "revoked": gettext_lazy("Revoked"),
}


@dataclass
class DataTable:
    """One table of the page, and the file it downloads as (``key``)."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[object]]
    chart: dict | None = None
    notes: list[str] = field(default_factory=list)


def may_open(user) -> bool:
    return user.is_active and user.is_staff and any(
        user.has_perm(permission) for permission in (FIGURES_PERMISSION, STOCK_PERMISSION, CHECKS_PERMISSION))


def _sees_blanko(user, area: selectors.Area | None) -> bool:
    # The stock is the city's, one for all: the print office and the auditor read it,
    # and so do figure readers whose area is the whole city (the population office, the mayor's office).
    return user.has_perm(STOCK_PERMISSION) or (
        user.has_perm(FIGURES_PERMISSION) and area is not None and area.region.code == settings.CITY_REGION_CODE)


def _sees_hospitals(user, area: selectors.Area | None) -> bool:
    # The facilities are the city's: the health office and the auditor (who read the checks'
    # log), and figure readers whose area is the whole city.
    return user.has_perm(CHECKS_PERMISSION) or (
        user.has_perm(FIGURES_PERMISSION) and area is not None and area.region.code == settings.CITY_REGION_CODE)


def _coverage_tables(area: selectors.Area) -> list[DataTable]:
    figures = selectors.coverage(area)
    rows = [figures["area"], *figures["children"]]
    table = DataTable(
        "coverage", _("Coverage of %(area)s") % {"area": area.region.name},
        [_("Area"), _("Code"), _("KK total"), _("Households covered"), _("Coverage (%)"), _("People covered"),
         _("Households waiting for verification")],
        [[row["name"], row["code"], row["households_total"], row["households_verified"], row["coverage_pct"],
          row["people_covered"], row["households_pending"]] for row in rows],
        chart=charts.coverage_bars([(row["name"], row["coverage_pct"]) for row in rows], figures["target_pct"]),
        notes=[_("Figures as of %(time)s; recounted every few minutes.") % {
            "time": formats.date_format(timezone.localtime(figures["as_of"]), "DATETIME_FORMAT")}],
    )
    return [table]


def _card_tables(area: selectors.Area) -> list[DataTable]:
    figures = selectors.cards(area)
    stages = [[str(STAGE_LABELS[status]), n] for status, n in figures["by_status"].items()]
    stages += [[_("Emergencies waiting to print"), figures["emergency_queued"]],
               [_("Past their pickup deadline"), figures["overdue_pickup"]]]
    weeks = [[row["week"], row["cards"]] for row in figures["printed_per_week"]]
    collected = selectors.cards_collected_on_time(area)
    # The area's own row first, then its kelurahan (a kelurahan user's area is one kelurahan: one row).
    on_time_rows = [collected["area"]] + (collected["kelurahan"] if len(collected["kelurahan"]) > 1 else [])
    return [
        DataTable("cards", _("Cards by stage"), [_("Stage"), _("Cards")], stages,
                  chart=charts.horizontal_bars([(str(label), n) for label, n in stages])),
        DataTable("cards-printed", _("Cards printed per week"), [_("Week (Monday)"), _("Cards printed")], weeks,
                  chart=charts.weekly_bars([(week, n) for week, n in weeks])),
        DataTable("cards-on-time", _("Cards collected within the pickup deadline"),
                  [_("Area"), _("Code"), _("Collected by the deadline"), _("Collected after the deadline"),
                   _("On time (%)")],
                  [[row["name"], row["code"], row["on_time"], row["late"], row["on_time_pct"]]
                   for row in on_time_rows],
                  chart=charts.horizontal_bars([(row["name"], row["on_time_pct"] or 0) for row in on_time_rows]),
                  notes=[_("Bars: the share of collected cards taken on or before their pickup deadline "
                           "(as it stands, extensions included).")]),
    ]


def _flow_tables(area: selectors.Area) -> list[DataTable]:
    flow = selectors.registration_flow(area)
    weeks = [[row["week"], row["online"], row["kelurahan"], row["import"], row["verified"], row["rejected"]]
             for row in flow["weeks"]]
    return [
        DataTable("registrations", _("Registrations per week"),
                  [_("Week (Monday)"), _("Online"), _("At the kelurahan office"), _("Import"), _("Verified"),
                   _("Rejected")], weeks,
                  chart=charts.weekly_bars([(row[0], sum(row[1:4])) for row in weeks]),
                  notes=[_("Bars: registrations submitted in the week, all channels; verified and rejected are "
                           "the decisions taken that week.")]),
        DataTable("rejection-reasons", _("Rejection reasons (last 12 weeks)"), [_("Reason"), _("Rejected")],
                  [[row["reason"], row["rejected"]] for row in flow["reasons"]],
                  chart=charts.horizontal_bars([(row["reason"], row["rejected"]) for row in flow["reasons"]])),
        DataTable("decision-times", _("Time from submission to decision (last 12 weeks)"),
                  [_("Kelurahan"), _("Code"), _("Decided"), _("Median (hours)"), _("90th percentile (hours)")],
                  [[row["name"], row["code"], row["decided"], row["median_hours"], row["p90_hours"]]
                   for row in flow["decision_times"]]),
    ]


def _blanko_tables() -> list[DataTable]:
    stock = Stock.objects.get(pk=1)
    forecast = card_selectors.blanko_forecast(stock=stock)
    need = card_selectors.blanko_budget_need()
    weeks = card_selectors.blanko_consumption_per_week(weeks=12)
    position = [
        [_("On hand"), stock.on_hand],
        [_("Reserved for batches"), stock.reserved],
        [_("Emergency reserve"), stock.emergency_reserve],
        [_("Available for regular cards"), stock.available_for_regular],
        [_("Used per week (last 4 weeks)"), forecast["consumption_per_week"]],
        [_("Regular printing stops on"), forecast["regular_runs_out_on"]],
        [_("Emergency reserve runs out on"), forecast["emergency_reserve_runs_out_on"]],
        [_("Blanko needed in budget year %(year)s") % {"year": need["budget_year"]}, need["need"]],
    ]
    used = [[row["week"], row["blanks"]] for row in weeks]
    burn = card_selectors.blanko_burn_down(stock=stock)
    marks = {"week": _("Forecast"), "regular": _("Forecast: regular printing stops"),
             "emergency": _("Forecast: the emergency reserve runs out")}
    burn_rows = [[row["week"], row["on_hand"], ""] for row in burn["weeks"]]
    burn_rows.append([burn["today"], burn["on_hand"], _("Today")])
    burn_rows += [[row["on"], row["on_hand"], str(marks[row["point"]])] for row in burn["projection"]]
    week = dt.timedelta(weeks=1)
    # A week's row is its Monday; the chart puts its figure at the week's end.
    chart = charts.burn_down(
        [(row["week"] + week, row["on_hand"]) for row in burn["weeks"]] + [(burn["today"], burn["on_hand"])],
        [(row["on"] + week if row["point"] == "week" else row["on"], row["on_hand"], row["point"])
         for row in burn["projection"]])
    return [
        DataTable("blanko", _("Blanko stock and forecast"), [_("Figure"), _("Value")], position,
                  notes=[_("The forecast assumes the average use of the last 4 full weeks; the need adds the "
                           "cards queued, the registrations and reprints expected at the observed rates.")]),
        DataTable("blanko-used", _("Blanko used per week"), [_("Week (Monday)"), _("Blanko used")], used,
                  chart=charts.weekly_bars([(week, n) for week, n in used])),
        DataTable("blanko-burn-down", _("Blanko on hand and the forecast"),
                  [_("Week (Monday) or date"), _("On hand"), _("Forecast")], burn_rows, chart=chart,
                  notes=[_("On hand at the end of each week, from the ledger; then, at the average use of the last "
                           "4 full weeks, at the end of each coming week and on the dates regular printing stops "
                           "and the emergency reserve runs out.") if burn["projection"] else
                         _("Nothing was used in the last 4 full weeks: no forecast.")]),
    ]


def _hospital_tables() -> list[DataTable]:
    checks = selectors.hospital_checks()
    per_day: dict = {}
    for row in checks["days"]:
        per_day[row["day"]] = per_day.get(row["day"], 0) + row["covered"] + row["not_covered"]
    today = timezone.localdate(checks["as_of"])
    days = services.hospital_days(today)
    return [
        DataTable("hospital-facilities", _("Coverage checks and emergency requests per facility (last 14 days)"),
                  [_("Facility"), _("Covered"), _("Not covered"), _("Not covered (%)"), _("Emergency requests")],
                  [[row["facility"], row["covered"], row["not_covered"], row["not_covered_pct"],
                    row["emergency_requests"]] for row in checks["facilities"]],
                  chart=charts.horizontal_bars([(row["facility"], row["covered"] + row["not_covered"])
                                                for row in checks["facilities"]])),
        DataTable("hospital-days", _("Coverage checks per facility per day (last 14 days)"),
                  [_("Facility"), _("Day"), _("Covered"), _("Not covered"), _("Emergency requests")],
                  [[row["facility"], row["day"], row["covered"], row["not_covered"], row["emergency_requests"]]
                   for row in checks["days"]],
                  chart=charts.weekly_bars([(day, per_day.get(day, 0)) for day in days]),
                  notes=[_("Bars: checks of all facilities per day.")]),
        DataTable("not-covered-reasons", _("Why checks answered not covered (last 14 days)"),
                  [_("Reason"), _("Checks"), _("Share (%)")],
                  [[row["reason"], row["checks"], row["pct"]] for row in checks["reasons"]],
                  chart=charts.horizontal_bars([(row["reason"], row["checks"]) for row in checks["reasons"]])),
    ]


# The section each downloadable table belongs to: a download reads its own section only.
TABLE_SECTIONS = {"coverage": "coverage", "registrations": "flow", "rejection-reasons": "flow",
                  "decision-times": "flow", "cards": "cards", "cards-printed": "cards",
                  "cards-on-time": "cards", "blanko": "blanko",
                  "blanko-used": "blanko", "blanko-burn-down": "blanko", "hospital-facilities": "hospitals",
                  "hospital-days": "hospitals",
                  "not-covered-reasons": "hospitals"}


def dashboard_tables(user, *, only: str | None = None) -> tuple[selectors.Area | None, dict[str, list[DataTable]]]:
    """The user's area and its sections: ``{"coverage": [...], "flow": [...], "cards": [...], "blanko": [...],
    "hospitals": [...]}``, each present only for a role that reads it (and only ``only``, when given)."""
    area = selectors.figures_area(user)
    figures = user.has_perm(FIGURES_PERMISSION) and area is not None
    readers = {"coverage": (figures, lambda: _coverage_tables(area)), "flow": (figures, lambda: _flow_tables(area)),
               "cards": (figures, lambda: _card_tables(area)),
               "blanko": (_sees_blanko(user, area), _blanko_tables),
               "hospitals": (_sees_hospitals(user, area), _hospital_tables)}
    return area, {key: read() for key, (allowed, read) in readers.items() if allowed and only in (None, key)}


SECTION_TITLES = {"coverage": gettext_lazy("Coverage"), "flow": gettext_lazy("Registration flow"),
                  "cards": gettext_lazy("Cards"), "blanko": gettext_lazy("Blanko"),
                  "hospitals": gettext_lazy("Hospitals")}


def dashboard_view(request):
    if not may_open(request.user):
        raise PermissionDenied
    area, sections = dashboard_tables(request.user)
    return TemplateResponse(request, "figures/dashboard.html", {
        **admin.site.each_context(request),
        "title": _("Dashboards"), "area": area,
        "sections": [(key, SECTION_TITLES[key], tables) for key, tables in sections.items()],
        "no_area": area is None and request.user.has_perm(FIGURES_PERMISSION),
    })


def _cell(value):
    return "" if value is None else value


def _csv(table: DataTable) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([escape_cell(_cell(str(value) if isinstance(value, dt.date) else value)) for value in row])
    # A byte-order mark so that Excel reads the names' letters right.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(table: DataTable) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.key[:31])
    sheet.append(table.headers)
    for row in table.rows:
        sheet.append([escape_cell(_cell(value)) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FORMATS = {"csv": ("text/csv; charset=utf-8", _csv),
           "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _xlsx)}


def export_view(request, key: str, fmt: str):
    if not may_open(request.user):
        raise PermissionDenied
    if fmt not in FORMATS:
        raise Http404
    if key not in TABLE_SECTIONS:
        raise Http404
    _area, sections = dashboard_tables(request.user, only=TABLE_SECTIONS[key])
    table = next((table for tables in sections.values() for table in tables if table.key == key), None)
    if table is None:  # a table this role does not read, or none of that name
        raise Http404
    content_type, write = FORMATS[fmt]
    response = HttpResponse(write(table), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{table.key}.{fmt}"'
    return response
