"""CSV import and export of the KK totals per kelurahan (django-import-export),
for the city's population office: ``code,households_total``.

A row is checked by the model's own rules before anything is saved, and a
file with any bad row saves nothing (``KelurahanHouseholdTotalAdmin``).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats

from .models import KelurahanHouseholdTotal, Region


class TotalsCSV(base_formats.CSV):
    """CSV as spreadsheets save it: one set to Indonesian writes ";" between cells."""

    def create_dataset(self, in_stream, **kwargs):
        text = in_stream.decode(self.encoding or "utf-8-sig") if isinstance(in_stream, bytes) else in_stream
        header = text.lstrip("\ufeff").split("\n", 1)[0]
        if header.count(";") > header.count(","):
            kwargs["delimiter"] = ";"
        return super().create_dataset(in_stream, **kwargs)


class KelurahanCodeWidget(widgets.ForeignKeyWidget):
    """A current kelurahan of the city by its Kemendagri code (``32.75.02.1002``)."""

    def __init__(self):
        super().__init__(Region, field="code")

    def get_queryset(self, value, row, *args, **kwargs):
        return Region.objects.filter(level=Region.Level.KELURAHAN, current=True,
                                     code__startswith=settings.CITY_REGION_CODE + ".")

    def clean(self, value, row=None, **kwargs):
        value = " ".join(str(value or "").split())
        if not value:
            raise ValueError(_("Give the kelurahan's code, e.g. 32.75.02.1002."))
        try:
            return super().clean(value, row, **kwargs)
        except Region.DoesNotExist:
            raise ValueError(_("%(code)s is not a kelurahan of %(city)s.")
                             % {"code": value, "city": settings.KARTUSEHAT_CITY["name"]}) from None


class TotalWidget(widgets.IntegerWidget):
    """A whole number of KK, as typed: ``12500``, ``12.500`` or ``12,500``."""

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().replace(".", "").replace(",", "").replace(" ", "")
        if not text.isdigit() or int(text) < 1:
            raise ValueError(_("Write the number of KK as a whole number above 0, not %(value)r.") % {"value": value})
        return int(text)


class KelurahanHouseholdTotalResource(resources.ModelResource):
    kelurahan = fields.Field(attribute="kelurahan", column_name="code", widget=KelurahanCodeWidget())
    households_total = fields.Field(attribute="households_total", column_name="households_total",
                                    widget=TotalWidget())

    class Meta:
        model = KelurahanHouseholdTotal
        fields = ("kelurahan", "households_total")
        export_order = fields
        import_id_fields = ("kelurahan",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
