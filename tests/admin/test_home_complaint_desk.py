"""The complaint desk opens the admin on open complaints by category and age."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from complaints.models import Complaint
from complaints.roles import COMPLAINT_DESK
from tests.admin.home_helpers import count, home_page, listed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def complaint(category, status="new", days_old=0):
    now = timezone.now()
    return Complaint.objects.create(
        name="Warga", phone="+6281234567890", category=category, message="Kartu belum jadi", status=status,
        created_at=now - dt.timedelta(days=days_old, minutes=1), resolved_at=now if status == "resolved" else None)


@pytest.fixture
def client():
    user = UserFactory(username="aduan")
    user.groups.add(Group.objects.get(name=COMPLAINT_DESK))
    client = Client()
    client.force_login(user)
    return client


def test_it_counts_open_complaints_by_category_and_age_linking_to_them(client):
    complaint("kartu_belum_jadi", days_old=1)
    complaint("kartu_belum_jadi", "in_progress", days_old=4)
    complaint("kartu_belum_jadi", days_old=9)
    complaint("kartu_belum_jadi", "resolved", days_old=20)
    complaint("data_salah", days_old=8)

    page = home_page(client)

    rows = {row[0][0]: row for row in page.tables["complaints-open"]}
    now = timezone.now()
    open_ = Complaint.objects.exclude(status="resolved")
    for category, label in Complaint.Category.choices:
        row = rows[_id(label)]
        mine = open_.filter(category=category)
        for (text, url), older in zip(row[1:4], [0, 3, 7], strict=True):
            expected = set(mine.filter(created_at__lt=now - dt.timedelta(days=older)).values_list("pk", flat=True))
            assert int(text) == len(expected), (category, older)
            assert listed(client, url) == expected, (category, older)
    cards = rows[_id(Complaint.Category.KARTU_BELUM_JADI.label)]
    assert [text for text, _url in cards[1:]] == ["3", "2", "1", "9"]
    assert count(page, "open") == 4
    assert listed(client, page.figures["open"][1]) == set(open_.values_list("pk", flat=True))


def _id(label) -> str:
    from django.utils import translation

    with translation.override("id"):
        return str(label)
