"""The kelurahan's work on the admin home page (kelurahan and kecamatan staff,
and the city's population office): registrations to decide, hospitals waiting,
imports to review. Counts over the user's area, each linking to its list."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kartusehat import areas
from kartusehat.home import Figure, Section, changelist, section

from .models import HouseholdImport, Registration
from .selectors import household_imports_for


def registration_work_counts(user) -> dict:
    """``{"waiting", "oldest_at", "urgent", "imports_to_review"}`` in the user's
    area: two queries (the area's kelurahan ids are read once per request).
    The registrations are counted from the partial index ``registration_waiting``
    alone (``count(*)``: no column outside the index is read)."""
    waiting = areas.scope(Registration.objects.filter(status=Registration.Status.SUBMITTED), user).aggregate(
        waiting=Count("*"), oldest_at=Min("submitted_at"),
        # count() of a column counts its non-null values: the urgent ones.
        urgent=Count("urgent_requested_at"),
    )
    imports = household_imports_for(user).filter(status=HouseholdImport.Status.CHECKED).count()
    return {**waiting, "imports_to_review": imports}


def _oldest_first() -> str:
    """The registrations list's ordering parameter for "submitted, oldest first"."""
    list_display = list(admin.site._registry[Registration].list_display)
    return str(list_display.index("submitted_at") + 1)


@section(order=10)
def registrations_section(request):
    user = request.user
    if not user.has_perm("registrations.verify_registration"):
        return None
    counts = registration_work_counts(user)
    note = ""
    if counts["oldest_at"] is not None:
        days = (timezone.localdate() - timezone.localdate(counts["oldest_at"])).days
        note = ngettext("the oldest has waited %(days)d day", "the oldest has waited %(days)d days", days) % {
            "days": days}
    figures = [
        Figure(_("Registrations waiting for a decision"), counts["waiting"],
               changelist("registrations.Registration", status__exact=Registration.Status.SUBMITTED,
                          o=_oldest_first()),
               note, key="waiting"),
        Figure(_("Urgent: a hospital is waiting"), counts["urgent"],
               changelist("registrations.Registration", darurat="menunggu"), key="urgent"),
    ]
    if user.has_perm("registrations.view_householdimport"):
        figures.append(Figure(
            _("Imports waiting for review"), counts["imports_to_review"],
            changelist("registrations.HouseholdImport", status__exact=HouseholdImport.Status.CHECKED),
            key="imports"))
    # The area's coverage against its target (verified households / KK total)
    # belongs here too: it comes from the figures app (issue #15, the figures
    # engine), which computes it once for the dashboards and this page.
    return Section("registrations", _("Registrations in your area"), figures)
