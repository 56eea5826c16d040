"""Services of the mayor's monthly report: make it (PDF in private storage) and email it."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from . import monthly, tasks
from .models import MonthlyReport
from .report_pdf import monthly_report_pdf

logger = logging.getLogger(__name__)


def _filename(report: MonthlyReport) -> str:
    return f"kartu-sehat-laporan-{report.month:%Y-%m}.pdf"


def monthly_report_create(*, month: dt.date, by=None) -> MonthlyReport:
    """Make (or make again) the report of ``month``; emailed after commit when recipients are set."""
    first = month.replace(day=1)
    if first > timezone.localdate():
        raise ValueError(_("A month that has not begun has no report."))
    # The report is the city's document, in the city's language, whoever asks for it.
    with translation.override(settings.LANGUAGE_CODE):
        data = monthly.monthly_report_data(first)
        pdf = monthly_report_pdf(data, city=settings.KARTUSEHAT_CITY["name"])
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().filter(month=first).first() or MonthlyReport(month=first)
        # The replaced file (if any) is no row's any more: the orphan sweep deletes it.
        report.pdf.save(f"{first:%Y-%m}.pdf", ContentFile(pdf), save=False)
        report.created_at = timezone.now()
        report.created_by = by if getattr(by, "is_authenticated", False) else None
        report.emailed_to, report.emailed_at = "", None
        report.save()
        if recipients():
            report_id = report.pk
            transaction.on_commit(lambda: tasks.monthly_report_email.delay(report_id))
    return report


def recipients() -> list[str]:
    return [address.strip() for address in settings.MONTHLY_REPORT_RECIPIENTS.split(",") if address.strip()]


def monthly_report_email(*, report_id: int) -> bool:
    """Send the report to ``MONTHLY_REPORT_RECIPIENTS`` with its PDF; False when nobody is set."""
    to = recipients()
    report = MonthlyReport.objects.filter(pk=report_id).first()
    if not to or report is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        month = formats.date_format(report.month, "F Y")
        subject = _("Kartu Sehat %(city)s: monthly report, %(month)s") % {
            "city": settings.KARTUSEHAT_CITY["name"], "month": month}
        body = _("The programme's report for %(month)s is attached (PDF). It holds counts only, "
                 "no personal data.") % {"month": month}
    message = EmailMessage(subject, body, None, to)
    with report.pdf.open("rb") as pdf:
        message.attach(_filename(report), pdf.read(), "application/pdf")
    message.send(fail_silently=False)
    MonthlyReport.objects.filter(pk=report.pk).update(emailed_to=", ".join(to), emailed_at=timezone.now())
    logger.info("monthly report %s emailed to %d recipient(s)", report, len(to))
    return True
