"""The monthly reports in the admin: the population office (the city as its
area) makes one on demand and downloads its PDF, which is written to the
access log; a kelurahan user of the same role gets 403; a month not begun is
refused beside the field, never an error page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from figures.models import MonthlyReport
from registrations.models import AccessLog
from tests.factories import CITY, KRANJI, staff_user

pytestmark = pytest.mark.django_db
ADD = "/admin/figures/monthlyreport/add/"


def test_the_population_office_makes_and_downloads_a_report(client, settings):
    settings.MONTHLY_REPORT_RECIPIENTS = ""
    user = staff_user(CITY, username="kota.uji")
    client.force_login(user)

    response = client.post(ADD, {"month": timezone.localdate().strftime("%d/%m/%Y")})

    assert response.status_code == 302, response.content.decode()[:2000]
    report = MonthlyReport.objects.get()
    assert report.month == timezone.localdate().replace(day=1) and report.created_by == user
    download = client.get(reverse("admin:figures_monthlyreport_pdf", args=[report.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    log = AccessLog.objects.get(object_type="monthly_report")
    assert log.action == "export" and log.user == user and log.object_id == str(report.pk)


def test_a_kelurahan_user_gets_403(client):
    report = MonthlyReport.objects.create(month=dt.date(2026, 11, 1), pdf="monthly-reports/x.pdf")
    client.force_login(staff_user(KRANJI))

    assert client.get("/admin/figures/monthlyreport/").status_code == 403
    assert client.get(ADD).status_code == 403
    assert client.get(reverse("admin:figures_monthlyreport_pdf", args=[report.pk])).status_code == 403


def test_a_month_not_begun_is_refused_beside_the_field(client):
    client.force_login(staff_user(CITY, username="kota.uji"))
    later = timezone.localdate() + dt.timedelta(days=40)

    response = client.post(ADD, {"month": later.strftime("%d/%m/%Y")})

    assert response.status_code == 200
    assert not MonthlyReport.objects.exists()
    assert "errorlist" in response.content.decode()
