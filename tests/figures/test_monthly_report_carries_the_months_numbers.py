"""The mayor's monthly report: the dict it is drawn from holds the month's
numbers (registrations by channel, decisions with reasons, cards printed and
collected, blanko and forecast, hospital checks, complaints) and coverage from
the rollup; the PDF opens and carries those numbers; records of another month
are left out."""

import datetime as dt

import pymupdf
import pytest
from django.utils import formats, timezone, translation

from cards.models import Card
from complaints.services import complaint_submit
from figures import monthly, reports, selectors, services
from figures.public import public_area
from registrations.models import Registration
from tests.factories import KRANJI, submit
from tests.figures.helpers import small_city

pytestmark = pytest.mark.django_db


def _text(report) -> str:
    with report.pdf.open("rb") as pdf:
        document = pymupdf.open(stream=pdf.read(), filetype="pdf")
    assert document.page_count >= 1
    return " ".join(" ".join(page.get_text().split()) for page in document)


def _n(value) -> str:
    with translation.override("id"):
        return formats.number_format(value, force_grouping=True)


def test_it_counts_the_month_and_prints_it():
    small_city()
    old = submit(KRANJI)
    last_month = monthly.previous_month(timezone.localdate())
    Registration.objects.filter(pk=old.pk).update(
        submitted_at=timezone.make_aware(dt.datetime.combine(last_month, dt.time(10))))
    complaint_submit(data={"name": "Warga", "phone": "081234567890", "category": "lainnya",
                           "message": "Kapan kartu saya jadi?"})
    services.figures_recompute()
    start, end = monthly.month_bounds(timezone.localdate())

    data = monthly.monthly_report_data(timezone.localdate())

    this_month = Registration.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    assert data["registrations"]["submitted"] == this_month.count() == Registration.objects.count() - 1
    assert data["registrations"]["by_channel"]["online"] == this_month.filter(channel="online").count()
    assert data["registrations"]["rejected"] == 1
    assert data["registrations"]["rejection_reasons"] == [("KK tidak terbaca", 1)]
    assert data["registrations"]["verified"] == Registration.objects.filter(status="verified").count()
    assert data["cards"]["printed"] == Card.objects.filter(printed_at__gte=start).count() > 0
    assert data["cards"]["collected"] == Card.objects.filter(collected_at__gte=start).count() == 2
    assert data["complaints"]["received"] == 1 and data["complaints"]["by_category"]["lainnya"] == 1
    assert data["coverage"] == selectors.coverage(public_area())
    assert data["blanko"]["on_hand"] >= 0 and "regular_runs_out_on" in data["blanko"]["forecast"]

    report = reports.monthly_report_create(month=timezone.localdate())
    text = _text(report)

    assert "Laporan bulanan" in text
    assert "KK tidak terbaca" in text
    for kecamatan in data["coverage"]["children"][:3]:
        assert kecamatan["name"] in text
    assert f"Kartu dicetak bulan ini {_n(data['cards']['printed'])}" in text
    assert f"Pendaftaran diterima {_n(data['registrations']['submitted'])}" in text
    assert f"Pengaduan diterima {_n(1)}" in text
    assert f"Ditolak {_n(1)}" in text


def test_a_month_made_again_replaces_its_report():
    first = reports.monthly_report_create(month=timezone.localdate())
    again = reports.monthly_report_create(month=timezone.localdate().replace(day=1))

    assert first.pk == again.pk
    assert _text(again)


def test_a_month_not_begun_is_refused():
    with pytest.raises(ValueError):
        reports.monthly_report_create(month=timezone.localdate() + dt.timedelta(days=40))
