"""Writes for complaints (HackSoft style: the API, the web form and the admin call these)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kartusehat.db import constraint_of
from kartusehat.refusals import Conflict, Invalid, require_perm
from kartusehat.text import control_chars_message, has_control_chars

from .models import Complaint, new_ticket
from .validation import clean_complaint

# Rate limit shared by the API and the web form (kartusehat.throttling).
RATE_SCOPE = "complaints_per_address"
NOTE_MAX = 4000
# SQLite names the column of a failed unique index, PostgreSQL the constraint.
_TICKET_TAKEN = {"complaint_ticket_unique", "complaints_complaint.ticket"}
_TICKET_ATTEMPTS = 5


def changed_meanwhile_message(complaint: Complaint) -> str:
    return _(
        "Complaint %(ticket)s was changed by someone else meanwhile (now: %(status)s). "
        "Reload it and check before saving."
    ) % {"ticket": complaint.ticket, "status": complaint.get_status_display()}


def complaint_submit(*, data: dict, today: dt.date | None = None) -> Complaint:
    """Validate raw input and store a new complaint with a fresh ticket.

    Raises :class:`~kartusehat.refusals.Invalid` with contract-shaped errors;
    nothing is stored then.
    """
    clean = clean_complaint(data, today=today)
    for attempt in range(_TICKET_ATTEMPTS):
        try:
            with transaction.atomic():
                complaint = Complaint(ticket=new_ticket(), **clean)
                # Sent by a citizen: no staff member is its author, even if
                # the browser happens to hold a staff session.
                complaint._history_user = None
                complaint.save()
            return complaint
        except IntegrityError as exc:
            # 40 random bits: a ticket already taken is rare; draw another.
            if constraint_of(exc) not in _TICKET_TAKEN or attempt == _TICKET_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def complaint_update(
    *,
    complaint_id: int,
    by,
    status: str,
    note: str,
    expected_status: str | None = None,
) -> Complaint:
    """Set a complaint's status and staff note, as ``by``.

    ``expected_status`` is the status the staff member saw when they opened
    the complaint: if someone else changed it since, nothing is saved
    (:class:`~kartusehat.refusals.Conflict`). Resolving records when;
    reopening clears it.
    """
    require_perm(by, "complaints.change_complaint", _("You are not allowed to handle complaints."))
    if status not in Complaint.Status.values:
        raise Invalid({"status": [_("Choose a valid status.")]})
    if has_control_chars(note):
        raise Invalid({"staff_note": [control_chars_message()]})
    note = str(note or "").replace("\r\n", "\n").strip()
    if len(note) > NOTE_MAX:
        raise Invalid({"staff_note": [_("The staff note may be at most %(max)d characters.") % {"max": NOTE_MAX}]})

    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint_id)
        if expected_status is not None and complaint.status != expected_status:
            raise Conflict(changed_meanwhile_message(complaint))
        if complaint.status == status and complaint.staff_note == note:
            return complaint  # nothing changed: no history row
        if status != complaint.status:
            complaint._change_reason = str(Complaint.Status(status).label)
        if status == Complaint.Status.RESOLVED and complaint.status != Complaint.Status.RESOLVED:
            complaint.resolved_at = timezone.now()
        elif status != Complaint.Status.RESOLVED:
            complaint.resolved_at = None
        complaint.status = status
        complaint.staff_note = note
        complaint.handled_by = by
        complaint._history_user = by
        complaint.save(update_fields=["status", "staff_note", "handled_by", "resolved_at"])
    return complaint
