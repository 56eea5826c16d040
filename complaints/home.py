"""The complaint desk's work on the admin home page: open complaints by
category and age. City-wide, as the desk's list."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kartusehat.home import Figure, Section, Table, changelist, date_param, section

from .models import Complaint

OPEN = [Complaint.Status.NEW, Complaint.Status.IN_PROGRESS]
# Ages a complaint is counted in: a citizen is told they hear back within days, not weeks.
AGES = (3, 7)


def open_complaint_counts(*, now: dt.datetime | None = None) -> dict:
    """Open complaints per category: how many, how many older than 3 and
    7 days, and since when the oldest waits. One query."""
    now = now or timezone.now()
    cutoffs = {days: now - dt.timedelta(days=days) for days in AGES}
    rows = (
        Complaint.objects.filter(status__in=OPEN).values("category")
        .annotate(open=Count("pk"), oldest=Min("created_at"),
                  **{f"over_{days}": Count("pk", filter=Q(created_at__lt=cutoff)) for days, cutoff in cutoffs.items()})
    )
    by_category = {row["category"]: row for row in rows}
    return {"by_category": by_category, "cutoffs": cutoffs, "now": now}


@section(order=50)
def complaints_section(request):
    if not request.user.has_perm("complaints.change_complaint"):
        return None
    counts = open_complaint_counts()
    cutoffs = counts["cutoffs"]
    open_filter = {"status__in": ",".join(OPEN)}
    rows, total = [], 0
    for category, label in Complaint.Category.choices:
        row = counts["by_category"].get(category, {})
        base = {"category__exact": category, **open_filter}
        cells = [(label, ""), (row.get("open", 0), changelist("complaints.Complaint", **base))]
        for days in AGES:
            cells.append((row.get(f"over_{days}", 0),
                          changelist("complaints.Complaint", **base, created_at__lt=date_param(cutoffs[days]))))
        oldest = row.get("oldest")
        cells.append(((timezone.localdate(counts["now"]) - timezone.localdate(oldest)).days if oldest else "—", ""))
        rows.append(cells)
        total += row.get("open", 0)
    table = Table(_("Open complaints by category and age"),
                  [_("category"), _("open"), _("older than 3 days"), _("older than 7 days"),
                   _("oldest (days)")], rows, key="complaints-open")
    figures = [Figure(_("Open complaints"), total, changelist("complaints.Complaint", **open_filter), key="open")]
    return Section("complaints", _("Complaint desk"), figures, [table])
