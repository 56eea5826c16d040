"""The daily report of cards waiting too long, for each kelurahan's staff."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Dispatch
from ..selectors import cards_overdue

logger = logging.getLogger(__name__)

# Days after which a dispatch nobody confirmed is reported to its kelurahan.
DISPATCH_CONFIRM_DAYS = 7


def pickup_overdue_report(*, today: dt.date | None = None) -> dict:
    """Per kelurahan: cards waiting past their pickup deadline, and dispatches
    sent more than ``DISPATCH_CONFIRM_DAYS`` ago that nobody confirmed (their
    cards are unaccounted for). Each kelurahan's staff with an email address
    get the counts (names stay in the admin, not in mail;
    ``templates/cards/email/pickup_overdue.txt``).

    Returns ``{kelurahan code: {"overdue": n, "unconfirmed": m}}``.
    """
    today = today or timezone.localdate()
    report: dict = {}
    overdue = (cards_overdue(on=today).values_list("household__kelurahan__code")
               .annotate(n=Count("pk")).values_list("household__kelurahan__code", "n"))
    for code, n in overdue:
        report.setdefault(code, {"overdue": 0, "unconfirmed": 0})["overdue"] = n
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=DISPATCH_CONFIRM_DAYS), dt.time.min))
    unconfirmed = (Dispatch.objects.filter(status=Dispatch.Status.SENT, created_at__lt=cutoff)
                   .values_list("kelurahan__code").annotate(n=Count("pk")).values_list("kelurahan__code", "n"))
    for code, n in unconfirmed:
        report.setdefault(code, {"overdue": 0, "unconfirmed": 0})["unconfirmed"] = n
    staff = get_user_model().objects.filter(is_active=True, staff_area__region__code__in=list(report)).exclude(email="")
    with translation.override(settings.LANGUAGE_CODE):
        for user in staff.select_related("staff_area__region"):
            region, counts = user.staff_area.region, report[user.staff_area.region.code]
            body = render_to_string("cards/email/pickup_overdue.txt", {**counts, "days": DISPATCH_CONFIRM_DAYS}).strip()
            try:
                send_mail(_("Kartu Sehat: cards waiting in %(kelurahan)s") % {"kelurahan": region.name}, body, None,
                    [user.email])
            except Exception as exc:  # noqa: BLE001 - one mail failing must not stop the others
                logger.warning("Report to user %s failed: %s", user.pk, exc)
    return report
