"""The monthly report is made on the 1st by Celery beat for the month before
(the entry names a registered task, and the task makes that month's report),
and emailed after commit with its PDF to MONTHLY_REPORT_RECIPIENTS; with no
recipient it is kept and nothing is sent."""

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.utils import timezone

from figures import monthly, reports, tasks
from figures.models import MonthlyReport
from kartusehat.celery import app

pytestmark = pytest.mark.django_db


def test_beat_makes_it_on_the_first_of_each_month():
    entry = settings.CELERY_BEAT_SCHEDULE["monthly-report"]

    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert isinstance(entry["schedule"], crontab)
    assert entry["schedule"].day_of_month == {1}


def test_the_task_reports_the_month_before(settings):
    settings.MONTHLY_REPORT_RECIPIENTS = ""

    tasks.monthly_report_previous_month.apply()

    report = MonthlyReport.objects.get()
    assert report.month == monthly.previous_month(timezone.localdate())
    assert report.pdf.name.startswith("monthly-reports/")
    assert mail.outbox == []
    assert report.emailed_at is None


def test_it_emails_the_pdf_to_each_recipient(settings, django_capture_on_commit_callbacks):
    settings.MONTHLY_REPORT_RECIPIENTS = " walikota@bekasikota.go.id, disdukcapil@bekasikota.go.id ,"

    with django_capture_on_commit_callbacks(execute=True):
        report = reports.monthly_report_create(month=timezone.localdate())

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["walikota@bekasikota.go.id", "disdukcapil@bekasikota.go.id"]
    assert "Laporan bulanan" in message.subject
    (name, content, mimetype), = message.attachments
    assert name == f"kartu-sehat-laporan-{report.month:%Y-%m}.pdf"
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    report.refresh_from_db()
    assert report.emailed_at is not None
    assert report.emailed_to == "walikota@bekasikota.go.id, disdukcapil@bekasikota.go.id"
