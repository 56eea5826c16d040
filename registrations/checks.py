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
