"""The complaint desk sets status and note in the admin; it goes through the
service, keeps history and is recorded in the access log."""

import pytest
from django.urls import reverse

from complaints.models import Complaint
from registrations.models import AccessLog
from tests.complaints.helpers import desk_user, submit

pytestmark = pytest.mark.django_db


def _change_url(complaint):
    return reverse("admin:complaints_complaint_change", args=[complaint.pk])


def _save(client, complaint, *, status, note, seen=None):
    return client.post(_change_url(complaint), {
        "status": status, "staff_note": note, "initial-status": seen or complaint.status,
    })


def test_it_lets_the_desk_list_complaints_and_records_the_listing(client):
    complaint = submit()
    desk = desk_user()
    client.force_login(desk)

    response = client.get(reverse("admin:complaints_complaint_changelist"), {"status__exact": "new"})

    assert response.status_code == 200
    assert complaint.ticket in response.content.decode()
    entry = AccessLog.objects.get(action="list")
    assert (entry.user, entry.object_type, entry.detail) == (desk, "complaint", "status__exact=new")


def test_it_records_who_opened_a_complaint_by_its_ticket(client):
    complaint = submit()
    desk = desk_user()
    client.force_login(desk)

    response = client.get(_change_url(complaint))

    assert response.status_code == 200
    entry = AccessLog.objects.get(action="view")
    assert (entry.user, entry.object_type, entry.object_id) == (desk, "complaint", complaint.ticket)


def test_it_changes_the_status_through_the_service_with_history(client):
    complaint = submit()
    desk = desk_user()
    client.force_login(desk)

    response = _save(client, complaint, status="in_progress", note="Sudah dicek ke kelurahan.")

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.staff_note, complaint.handled_by) == (
        "in_progress", "Sudah dicek ke kelurahan.", desk,
    )
    assert complaint.resolved_at is None
    latest = complaint.history.first()
    assert (latest.history_type, latest.history_user, latest.status) == ("~", desk, "in_progress")


def test_it_records_when_a_complaint_is_resolved(client):
    complaint = submit()
    client.force_login(desk_user())

    _save(client, complaint, status="resolved", note="Kartu sudah diambil warga.")

    complaint.refresh_from_db()
    assert complaint.status == "resolved" and complaint.resolved_at is not None


def test_it_leaves_everything_but_status_and_note_read_only(client):
    complaint = submit()
    client.force_login(desk_user())

    client.post(_change_url(complaint), {
        "status": "in_progress", "staff_note": "", "initial-status": "new",
        "name": "Orang Lain", "phone": "+6289999999999", "message": "Diganti oleh petugas.", "category": "lainnya",
    })

    complaint.refresh_from_db()
    assert complaint.status == "in_progress"
    assert (complaint.name, complaint.phone, complaint.category) == (
        "Siti Aminah", "+6281234567890", "kartu_belum_jadi",
    )


def test_it_refuses_to_overwrite_a_change_made_since_the_page_was_opened(client):
    complaint = submit()
    client.force_login(desk_user())
    # Another officer resolved it after this page was opened with "new".
    Complaint.objects.filter(pk=complaint.pk).update(status="resolved", resolved_at=complaint.created_at)

    client.cookies["django_language"] = "en"

    response = _save(client, complaint, status="in_progress", note="Saya tangani.", seen="new")

    assert response.status_code == 200  # the form again, with the reason
    assert f"Complaint {complaint.ticket} was changed by someone else meanwhile (now: Resolved)" in (
        response.content.decode()
    )
    complaint.refresh_from_db()
    assert complaint.status == "resolved" and complaint.staff_note == ""


def test_it_adds_no_history_row_for_an_unchanged_save(client):
    complaint = submit()
    client.force_login(desk_user())

    _save(client, complaint, status="new", note="")

    assert complaint.history.count() == 1


def test_it_finds_a_complaint_by_its_ticket_as_people_type_it(client):
    complaint = submit()
    other = submit()
    client.force_login(desk_user())
    typed = complaint.ticket.lower().replace("-", " ")

    response = client.get(reverse("admin:complaints_complaint_changelist"), {"q": typed})

    html = response.content.decode()
    assert complaint.ticket in html and other.ticket not in html
    assert AccessLog.objects.filter(action="search", object_type="complaint").exists()
