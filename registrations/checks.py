from django.conf import settings
from django.core.checks import Error, register

from .regions import wilayah_file


@register()
def city_has_wilayah(app_configs, **kwargs):
    """The configured city must ship its kelurahan list, or nobody can register."""
    code = settings.CITY_REGION_CODE
    if not wilayah_file(code).exists():
        return [
            Error(
                f"No kelurahan list for CITY_REGION_CODE={code}.",
                hint=f"Add {wilayah_file(code)} (columns code,name,level) from the Kemendagri table.",
                id="kartusehat.E001",
            )
        ]
    return []


@register()
def rates_are_valid(app_configs, **kwargs):
    """A mistyped RATE_* must stop the start-up, not fail every lookup later."""
    from django.core.exceptions import ImproperlyConfigured

    from kartusehat.throttling import Rate

    errors = []
    for scope, text in settings.KARTUSEHAT_RATES.items():
        try:
            Rate.parse(text)
        except ImproperlyConfigured as exc:
            errors.append(Error(f"KARTUSEHAT_RATES[{scope!r}]: {exc}", hint="e.g. RATE_…=30/hour", id="kartusehat.E002"))
    return errors
