from django.core.checks import run_checks


def test_it_reports_a_mistyped_rate(settings):
    settings.KARTUSEHAT_RATES = {**settings.KARTUSEHAT_RATES, "complaints_per_address": "30/hr"}

    assert "kartusehat.E002" in {error.id for error in run_checks()}


def test_it_accepts_the_default_rates():
    assert "kartusehat.E002" not in {error.id for error in run_checks()}
