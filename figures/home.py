"""The area's coverage against its target, at the top of the admin home page of
everyone who reads figures (kelurahan and kecamatan staff, the population
office, the auditor, the mayor's office): read from the figures rollup
(``selectors.coverage``, the same rows as ``/api/v1/stats/coverage/``), so the
page costs a few small queries whatever the city's size."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kartusehat.home import Figure, Section, Table, changelist, section

from .api import FIGURES_PERMISSION
from .selectors import coverage, figures_area


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{formats.number_format(value, 1)} %"


@section(order=5)
def coverage_section(request):
    user = request.user
    if not user.has_perm(FIGURES_PERMISSION):
        return None
    area = figures_area(user)
    if area is None:
        return None
    figures = coverage(area)
    row = figures["area"]
    # Links only where the user may open the list behind the count (not the mayor's office).
    households = (changelist("registrations.Household", status__exact="active")
                  if user.has_perm("registrations.view_household") else "")
    pending = (changelist("registrations.Registration", status__exact="submitted")
               if user.has_perm("registrations.view_registration") else "")
    target = figures["target_pct"]
    total = row["households_total"]
    of_total = (_("of %(total)s KK") % {"total": formats.number_format(total, force_grouping=True)}
                if total is not None else _("KK total not entered yet"))
    found = [
        Figure(_("Coverage"), _pct(row["coverage_pct"]), note=_("target %(target)s") % {"target": _pct(target)},
               key="coverage_pct"),
        Figure(_("Households covered (verified)"), row["households_verified"], households, of_total,
               key="households_verified"),
        Figure(_("People covered"), row["people_covered"], key="people_covered"),
        Figure(_("Households waiting for verification"), row["households_pending"], pending,
               key="households_pending"),
    ]
    tables = []
    if figures["children"]:
        tables.append(Table(
            _("Coverage by area"), [_("Area"), _("Covered"), _("KK total"), _("Coverage")],
            [[(child["name"], ""), (child["households_verified"], ""),
              (child["households_total"] if child["households_total"] is not None else "–", ""),
              (_pct(child["coverage_pct"]), "")] for child in figures["children"]],
            key="coverage-by-area",
        ))
    as_of = timezone.localtime(figures["as_of"])
    notes = [_("Figures as of %(time)s; recounted every few minutes.") % {
        "time": formats.date_format(as_of, "DATETIME_FORMAT")}]
    return Section("coverage", _("Coverage of %(area)s") % {"area": area.region.name}, found, tables, notes)
