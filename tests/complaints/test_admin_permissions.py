"""Only users with complaint permissions see complaints; nobody adds or deletes one."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from complaints.models import Complaint
from complaints.roles import COMPLAINT_DESK
from registrations.models import AccessLog
from tests.complaints.helpers import desk_user, submit
from tests.factories import KRANJI, UserFactory, staff_user

pytestmark = pytest.mark.django_db


def test_it_gives_the_complaint_desk_group_view_and_change_only():
    group = Group.objects.get(name=COMPLAINT_DESK)

    assert set(group.permissions.values_list("codename", flat=True)) == {"view_complaint", "change_complaint"}


@pytest.mark.parametrize("make_user", [lambda: UserFactory(), lambda: staff_user(KRANJI)])
def test_it_refuses_staff_without_complaint_permissions(client, make_user):
    complaint = submit()
    client.force_login(make_user())

    listing = client.get(reverse("admin:complaints_complaint_changelist"))
    detail = client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))
    post = client.post(
        reverse("admin:complaints_complaint_change", args=[complaint.pk]),
        {"status": "resolved", "staff_note": "x", "initial-status": "new"},
    )

    assert listing.status_code == 403
    assert detail.status_code == 403
    assert post.status_code == 403
    assert complaint.ticket not in detail.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == "new"
    assert not AccessLog.objects.filter(object_type="complaint").exists()


def test_it_offers_no_add_and_no_delete_even_to_a_superuser(client):
    complaint = submit()
    client.force_login(UserFactory(username="root", is_superuser=True))

    add = client.get(reverse("admin:complaints_complaint_add"))
    delete = client.post(reverse("admin:complaints_complaint_delete", args=[complaint.pk]), {"post": "yes"})

    assert add.status_code == 403
    assert delete.status_code == 403
    assert Complaint.objects.filter(pk=complaint.pk).exists()


def test_it_lets_a_view_only_user_read_but_not_change(client):
    from django.contrib.auth.models import Permission

    complaint = submit()
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_complaint"))
    client.force_login(user)

    assert client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk])).status_code == 200
    response = client.post(
        reverse("admin:complaints_complaint_change", args=[complaint.pk]),
        {"status": "resolved", "staff_note": "x", "initial-status": "new"},
    )

    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == "new"


def test_it_shows_the_admin_entry_only_to_the_desk(client):
    desk = desk_user()
    client.force_login(desk)

    assert reverse("admin:complaints_complaint_changelist") in client.get(reverse("admin:index")).content.decode()
