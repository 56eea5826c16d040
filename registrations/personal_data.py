"""What this app holds about a person, for data-subject access
(``kartusehat.personal_data``): every registration that lists the NIK, and
every membership of a household on the roster, with their histories.

About the person: their own rows in full, and the household's own data
(KK number, address, RT/RW, the contact it gave), which is their address
too. About others: the co-members' names, NIKs and birth dates are left out;
only each one's relationship and membership dates are shown, enough to read
the household's story. Each co-member can ask for their own export.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kartusehat.personal_data import Section, labels_of, section

from .models import Household, Member, Registration, RegistrationDocument, RegistrationEvent, RegistrationMember


def _username(user) -> str:
    return user.username if user is not None else ""


def _others_note() -> str:
    return _("Other members of the household are shown by relationship and dates only: their names, NIKs and "
             "birth dates are their own personal data.")


@section(order=10)
def registrations(nik: str) -> list[Section]:
    applied = (
        Registration.objects.filter(members__nik=nik).select_related("kelurahan", "decided_by")
        .prefetch_related("members", "events", "documents").order_by("submitted_at", "id").distinct()
    )
    records, refs = [], []
    for registration in applied:
        own = next(m for m in registration.members.all() if m.nik == nik)
        records.append({
            "reference": registration.reference,
            "status": registration.get_status_display(),
            "channel": registration.get_channel_display(),
            "submitted_at": registration.submitted_at,
            "decided_at": registration.decided_at,
            "decided_by": _username(registration.decided_by),
            "rejection_reason": registration.rejection_reason,
            "kk_number": registration.kk_number,
            "kelurahan": registration.kelurahan.name,
            "address": registration.address, "rt": registration.rt, "rw": registration.rw,
            "phone": registration.phone, "email": registration.email,
            "consent_at": registration.consent_at, "consent_version": registration.consent_version,
            "urgent_requested_at": registration.urgent_requested_at,
            "nik": own.nik, "full_name": own.full_name, "birth_date": own.birth_date, "sex": own.get_sex_display(),
            "relationship": own.get_relationship_display(),
            "other_members": [{"relationship": m.get_relationship_display()}
                              for m in registration.members.all() if m.nik != nik],
            "status_history": [{"status": e.get_status_display(), "at": e.at, "note": e.note}
                               for e in sorted(registration.events.all(), key=lambda e: (e.at, e.pk))],
            "documents": [{"kind": d.get_kind_display(), "uploaded_at": d.uploaded_at, "deleted_at": d.deleted_at}
                          for d in registration.documents.all()],
        })
        refs.append(("registration", registration.pk))
        refs += [("document", d.pk) for d in registration.documents.all()]
    labels = {
        **labels_of(Registration, ["reference", "status", "channel", "submitted_at", "decided_at", "decided_by",
                                   "rejection_reason", "kk_number", "kelurahan", "address", "rt", "rw", "phone",
                                   "email", "consent_at", "consent_version", "urgent_requested_at"]),
        **labels_of(RegistrationMember, ["nik", "full_name", "birth_date", "sex", "relationship"]),
        **labels_of(RegistrationEvent, ["at", "note"]),
        **labels_of(RegistrationDocument, ["kind", "uploaded_at", "deleted_at"]),
        "other_members": _("other members listed"), "status_history": _("status history"),
        "documents": _("scans sent"),
    }
    return [Section(
        key="registrations", title=_("Registrations that list this NIK"), records=records, labels=labels, refs=refs,
        note=_("Each application as it was sent, whatever its outcome. The scans themselves are not in this file "
               "(a KK scan shows every member); staff can open them with the registration while they are kept.")
        + " " + _others_note(),
    )]


@section(order=20)
def households(nik: str) -> list[Section]:
    memberships = Member.objects.filter(nik=nik).select_related("household__kelurahan").order_by("start_date", "id")
    records, refs = [], []
    for member in memberships:
        household = member.household
        others = household.members.exclude(pk=member.pk).order_by("start_date", "id")
        records.append({
            "kk_number": household.kk_number,
            "kelurahan": household.kelurahan.name,
            "address": household.address, "rt": household.rt, "rw": household.rw,
            "phone": household.phone, "email": household.email,
            "household_status": household.get_status_display(),
            "nik": member.nik, "full_name": member.full_name, "birth_date": member.birth_date,
            "sex": member.get_sex_display(), "relationship": member.get_relationship_display(),
            "start_date": member.start_date, "end_date": member.end_date, "end_reason": member.end_reason,
            "other_members": [{"relationship": m.get_relationship_display(), "start_date": m.start_date,
                               "end_date": m.end_date} for m in others],
            "member_changes": [
                {"at": h.history_date, "change": h.get_history_type_display(), "full_name": h.full_name,
                 "relationship": h.get_relationship_display(), "end_date": h.end_date,
                 "by": _username(h.history_user)}
                for h in member.history.select_related("history_user").order_by("history_date", "history_id")
            ],
            "household_changes": [
                {"at": h.history_date, "change": h.get_history_type_display(), "address": h.address, "rt": h.rt,
                 "rw": h.rw, "phone": h.phone, "email": h.email, "by": _username(h.history_user)}
                for h in household.history.select_related("history_user").order_by("history_date", "history_id")
            ],
        })
        refs += [("household", household.pk), ("member", member.pk)]
    labels = {
        **labels_of(Household, ["kk_number", "kelurahan", "address", "rt", "rw", "phone", "email"]),
        **labels_of(Member, ["nik", "full_name", "birth_date", "sex", "relationship", "start_date", "end_date",
                             "end_reason"]),
        "household_status": _("household status"), "other_members": _("other members"),
        "member_changes": _("changes to this membership"), "household_changes": _("changes to the household"),
        "at": _("at"), "change": _("change"), "by": _("by"),
    }
    return [Section(
        key="households", title=_("Households on the roster (memberships)"), records=records, labels=labels,
        refs=refs,
        note=_("Each membership of a Kartu Keluarga, with every change to it and to the household's address and "
               "contact, and who made it.") + " " + _others_note(),
    )]
