"""What this app holds about a person, for data-subject access
(``kartusehat.personal_data``): the complaints that give their NIK, with the
desk's handling. A complaint sent without a NIK cannot be told apart from
anyone else's and is not included."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kartusehat.personal_data import Section, labels_of, section

from .models import Complaint


@section(order=50)
def complaints(nik: str) -> list[Section]:
    fields = ["ticket", "created_at", "category", "name", "phone", "nik", "message", "status", "staff_note",
              "resolved_at"]
    found = Complaint.objects.filter(nik=nik).order_by("created_at", "id")
    return [Section(
        key="complaints", title=_("Complaints"), labels=labels_of(Complaint, fields),
        note=_("Complaints sent with this NIK, and how the complaint desk handled them."),
        records=[{
            "ticket": complaint.ticket, "created_at": complaint.created_at,
            "category": complaint.get_category_display(),
            "name": complaint.name, "phone": complaint.phone, "nik": complaint.nik, "message": complaint.message,
            "status": complaint.get_status_display(), "staff_note": complaint.staff_note,
            "resolved_at": complaint.resolved_at,
        } for complaint in found],
        # The complaint desk's access log names a complaint by its ticket.
        refs=[("complaint", complaint.ticket) for complaint in found],
    )]
