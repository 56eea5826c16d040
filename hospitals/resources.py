"""CSV import and export of the roster (django-import-export), for the health office.

Two files: facilities, and their agreements (each naming its facility). A
row is checked by the model's own rules (constraints included) before
anything is saved, and an import with any bad row saves nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats

from kartusehat.spreadsheets import escape_cell
from kartusehat.text import control_chars_message, has_control_chars
from registrations.models import Region

from .models import Agreement, Facility


class RosterCSV(base_formats.CSV):
    """CSV as the health office's spreadsheets save it: a file saved by a
    spreadsheet set to Indonesian uses ";" between cells, and is read as such.
    """

    def create_dataset(self, in_stream, **kwargs):
        text = in_stream.decode(self.encoding or "utf-8-sig") if isinstance(in_stream, bytes) else in_stream
        header = text.lstrip("\ufeff").split("\n", 1)[0]
        if header.count(";") > header.count(","):
            kwargs["delimiter"] = ";"
        return super().create_dataset(in_stream, **kwargs)


class EscapedResource(resources.ModelResource):
    """Cells no spreadsheet runs: a cell starting like a formula is exported
    behind an apostrophe (``kartusehat.spreadsheets``), and the apostrophe is
    dropped again on import (``TrimmedText``)."""

    def export_field(self, field, instance, **kwargs):
        return escape_cell(super().export_field(field, instance, **kwargs))


class YesNoWidget(widgets.BooleanWidget):
    """1/0, true/false and, as people type them here, ya/tidak."""

    TRUE_VALUES = [*widgets.BooleanWidget.TRUE_VALUES, "ya", "Ya", "YA", "y", "Y"]
    FALSE_VALUES = [*widgets.BooleanWidget.FALSE_VALUES, "tidak", "Tidak", "TIDAK", "t", "T", "n", "N"]

    def clean(self, value, row=None, **kwargs):
        value = value.strip() if isinstance(value, str) else value
        if value in self.NULL_VALUES:
            return False
        if value not in self.TRUE_VALUES and value not in self.FALSE_VALUES:
            raise ValueError(_("Write 1 or 0 (ya or tidak), not %(value)r.") % {"value": value})
        return value in self.TRUE_VALUES

    def render(self, value, obj=None, **kwargs):
        return "1" if value else "0"


class KecamatanWidget(widgets.ForeignKeyWidget):
    """A kecamatan of the city by its Kemendagri code (``32.75.04``); empty outside the city."""

    def __init__(self):
        super().__init__(Region, field="code")

    def get_queryset(self, value, row, *args, **kwargs):
        return Region.objects.filter(level="kecamatan", current=True, code__startswith=settings.CITY_REGION_CODE + ".")

    def clean(self, value, row=None, **kwargs):
        value = value.strip() if isinstance(value, str) else value
        if not value:
            return None
        try:
            return super().clean(value, row, **kwargs)
        except Region.DoesNotExist:
            raise ValueError(
                _("%(code)s is not a kecamatan of %(city)s.") % {"code": value,
                    "city": settings.KARTUSEHAT_CITY["name"]}
            ) from None


class TrimmedText(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        if has_control_chars(str(value or "")):
            raise ValueError(control_chars_message())
        text = " ".join(str(value or "").split())
        if text.startswith("'") and text[1:2] in {"=", "+", "-", "@"}:
            text = text[1:]  # escaped by RosterCSV on export
        return text


class IdWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        value = str(value or "").strip()
        if not value:
            return None
        if not value.isdigit():
            raise ValueError(_("Leave id empty for a new row, or keep the number from the export."))
        return int(value)


class DateWidget(widgets.DateWidget):
    """2026-12-31, 31-12-2026 or 31/12/2026."""

    def __init__(self):
        super().__init__(format="%Y-%m-%d")
        self.formats = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                _("Write the date as 2026-12-31 or 31-12-2026, not %(value)r.") % {"value": value}
            ) from None


class FacilityWidget(widgets.ForeignKeyWidget):
    """The facility of an agreement: its id, or its name if no other has it."""

    def __init__(self):
        super().__init__(Facility, field="name")

    def clean(self, value, row=None, **kwargs):
        value = " ".join(str(value or "").split())
        if not value:
            raise ValueError(_("Name the facility (or give its id from the facilities' export)."))
        found = list(Facility.objects.filter(pk=int(value)) if value.isdigit() else Facility.objects.filter(name=value))
        if not found:
            raise ValueError(_("No facility on the roster is %(value)r.") % {"value": value})
        if len(found) > 1:
            raise ValueError(
                _("Several facilities are named %(value)r: give the id from the facilities' export.") % {"value": value}
            )
        return found[0]


class FacilityResource(EscapedResource):
    id = fields.Field(attribute="id", column_name="id", widget=IdWidget())
    name = fields.Field(attribute="name", column_name="name", widget=TrimmedText())
    address = fields.Field(attribute="address", column_name="address", widget=TrimmedText())
    city = fields.Field(attribute="city", column_name="city", widget=TrimmedText())
    phone = fields.Field(attribute="phone", column_name="phone", widget=TrimmedText())
    kecamatan = fields.Field(attribute="kecamatan", column_name="kecamatan", widget=KecamatanWidget())
    inpatient = fields.Field(attribute="inpatient", column_name="inpatient", widget=YesNoWidget())
    emergency_24h = fields.Field(attribute="emergency_24h", column_name="emergency_24h", widget=YesNoWidget())
    poned = fields.Field(attribute="poned", column_name="poned", widget=YesNoWidget())

    class Meta:
        model = Facility
        fields = (
            "id", "name", "type", "hospital_class", "kemenkes_code", "address", "kecamatan", "city", "phone",
            "inpatient", "emergency_24h", "poned",
        )
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class AgreementResource(EscapedResource):
    id = fields.Field(attribute="id", column_name="id", widget=IdWidget())
    facility = fields.Field(attribute="facility", column_name="facility", widget=FacilityWidget())
    pks_number = fields.Field(attribute="pks_number", column_name="pks_number", widget=TrimmedText())
    start_date = fields.Field(attribute="start_date", column_name="start_date", widget=DateWidget())
    end_date = fields.Field(attribute="end_date", column_name="end_date", widget=DateWidget())
    notes = fields.Field(attribute="notes", column_name="notes", widget=TrimmedText())
    # Shown, never imported: a demo agreement is confirmed by an explicit action.
    is_demo = fields.Field(attribute="is_demo", column_name="is_demo", widget=YesNoWidget(), readonly=True)

    class Meta:
        model = Agreement
        fields = ("id", "facility", "pks_number", "start_date", "end_date", "notes", "is_demo")
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
