"""complaint_update: status and note by the desk, with who and when."""

import pytest
from django.core.exceptions import PermissionDenied

from complaints import services
from complaints.models import Complaint
from kartusehat.refusals import Conflict, Invalid
from tests.complaints.helpers import desk_user, submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_sets_status_note_and_handler_as_the_author_of_the_change():
    complaint = submit()
    desk = desk_user()

    services.complaint_update(complaint_id=complaint.pk, by=desk, status="in_progress", note="  Ditelepon.  ")

    complaint.refresh_from_db()
    assert (complaint.status, complaint.staff_note, complaint.handled_by) == ("in_progress", "Ditelepon.", desk)
    change = complaint.history.first()
    assert change.history_user == desk and change.history_change_reason == str(Complaint.Status.IN_PROGRESS.label)


def test_it_stamps_resolution_and_clears_it_when_reopened():
    complaint = submit()
    desk = desk_user()

    services.complaint_update(complaint_id=complaint.pk, by=desk, status="resolved", note="Selesai.")
    complaint.refresh_from_db()
    resolved_at = complaint.resolved_at
    services.complaint_update(complaint_id=complaint.pk, by=desk, status="resolved", note="Selesai, kartu diambil.")
    complaint.refresh_from_db()
    assert resolved_at is not None and complaint.resolved_at == resolved_at  # a note edit keeps the time

    services.complaint_update(complaint_id=complaint.pk, by=desk, status="in_progress", note="Dibuka lagi.")

    complaint.refresh_from_db()
    assert complaint.status == "in_progress" and complaint.resolved_at is None


def test_it_refuses_a_user_without_the_change_permission():
    complaint = submit()

    with pytest.raises(PermissionDenied):
        services.complaint_update(complaint_id=complaint.pk, by=UserFactory(), status="resolved", note="x")

    complaint.refresh_from_db()
    assert complaint.status == "new"


@pytest.mark.parametrize("status", ["closed", "", "RESOLVED"])
def test_it_refuses_a_status_outside_the_list(status):
    complaint = submit()

    with pytest.raises(Invalid):
        services.complaint_update(complaint_id=complaint.pk, by=desk_user(), status=status, note="")

    assert Complaint.objects.get(pk=complaint.pk).status == "new"


def test_it_refuses_a_note_with_control_characters():
    complaint = submit()

    with pytest.raises(Invalid):
        services.complaint_update(complaint_id=complaint.pk, by=desk_user(), status="in_progress", note="a\x00b")

    assert Complaint.objects.get(pk=complaint.pk).status == "new"


def test_it_refuses_when_the_status_changed_since_it_was_seen():
    complaint = submit()
    first, second = desk_user(), desk_user()
    services.complaint_update(complaint_id=complaint.pk, by=first, status="resolved", note="Beres.")

    with pytest.raises(Conflict):
        services.complaint_update(
            complaint_id=complaint.pk, by=second, status="in_progress", note="Saya cek.", expected_status="new",
        )

    complaint.refresh_from_db()
    assert (complaint.status, complaint.handled_by) == ("resolved", first)


def test_it_writes_no_history_when_nothing_changes():
    complaint = submit()

    services.complaint_update(complaint_id=complaint.pk, by=desk_user(), status="new", note="")

    assert complaint.history.count() == 1
