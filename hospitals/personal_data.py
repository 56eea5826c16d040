"""What this app holds about a person, for data-subject access
(``kartusehat.personal_data``): every coverage check of their NIK or of one of
their cards, and every emergency card a hospital asked for them.

The hospital's letter is health data about the person, but it is a document
of the hospital: its kind and size are listed, and staff allowed to open it
can print it for the person while it is kept (``LETTER_RETENTION_DAYS``).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from cards.selectors import person_cards
from kartusehat.personal_data import Section, labels_of, section

from .admin.audit import RESULT_LABELS
from .models import EmergencyRequest, VerificationLog
from .validation import nik_hash


@section(order=40)
def hospitals(nik: str) -> list[Section]:
    checks = (
        VerificationLog.objects.filter(Q(query_hash=nik_hash(nik)) | Q(card__in=person_cards(nik)))
        .select_related("facility", "card").order_by("at", "id")
    )
    requests = EmergencyRequest.objects.filter(nik=nik).select_related("facility", "card").order_by("created_at", "id")
    check_fields = ["at", "facility", "purpose", "channel", "method", "query", "result", "eligible"]
    request_fields = ["created_at", "facility", "reason", "notes", "card", "letter_content_type", "letter_size",
                      "letter_deleted_at"]
    return [
        Section(
            key="coverage_checks", title=_("Coverage checks by hospitals"),
            labels=labels_of(VerificationLog, check_fields),
            note=_("Every time a hospital checked this NIK or one of these cards, and the answer it got."),
            records=[{
                "at": check.at, "facility": check.facility.name if check.facility_id else "",
                "purpose": check.get_purpose_display(), "channel": check.get_channel_display(),
                "method": check.get_method_display(), "query": check.query,
                "result": str(RESULT_LABELS.get(check.result, check.result)),
                "eligible": check.eligible,
            } for check in checks],
        ),
        Section(
            key="emergency_requests", title=_("Emergency card requests from hospitals"),
            labels=labels_of(EmergencyRequest, request_fields),
            note=_("The hospital's letter itself is not in this file; staff allowed to open it can print it while "
                   "it is kept."),
            records=[{
                "created_at": request.created_at, "facility": request.facility.name,
                "reason": request.get_reason_display(), "notes": request.notes, "card": request.card.number or "",
                "letter_content_type": request.letter_content_type, "letter_size": request.letter_size,
                "letter_deleted_at": request.letter_deleted_at,
            } for request in requests],
            refs=[ref for request in requests
                  for ref in (("emergency_request", request.pk), ("emergency_letter", request.pk))],
        ),
    ]
