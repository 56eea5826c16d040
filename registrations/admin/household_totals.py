"""The number of KK per kelurahan (the coverage's denominator), kept by the city."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from kartusehat import areas
from kartusehat.admin import AreaScopedMixin, CheckedChoicesMixin, HistoryMixin, RobustChangelistMixin

from ..models import KelurahanHouseholdTotal, Region
from ..resources import KelurahanHouseholdTotalResource, TotalsCSV


def works_for_the_city(user) -> bool:
    """The city's totals are the city's data: kept by staff whose area is the
    whole city (the population office), never by one kelurahan for itself."""
    if areas.sees_everything(user):
        return True
    region = areas.staff_region(user)
    return region is not None and region.level == Region.Level.KABUPATEN_KOTA


@admin.register(KelurahanHouseholdTotal)
class KelurahanHouseholdTotalAdmin(
    AreaScopedMixin, HistoryMixin, CheckedChoicesMixin, ImportExportMixin, RobustChangelistMixin, SimpleHistoryAdmin,
):
    resource_classes = [KelurahanHouseholdTotalResource]
    formats = [TotalsCSV]
    list_display = ["kelurahan_code", "kelurahan_name", "kecamatan_name", "households_total", "updated_at"]
    search_fields = ["kelurahan__code", "kelurahan__name"]
    list_select_related = ["kelurahan__parent"]
    fields = ["kelurahan", "households_total", "updated_at"]
    readonly_fields = ["updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # The kelurahan of a saved total stays: a wrong one is deleted by the administrator.
        return [*self.readonly_fields, "kelurahan"] if obj is not None else self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "kelurahan":
            kwargs["queryset"] = areas.kelurahan_in_area(request.user).filter(household_total__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and works_for_the_city(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and works_for_the_city(request.user)

    def has_import_permission(self, request):
        return super().has_import_permission(request) and works_for_the_city(request.user)

    def has_delete_permission(self, request, obj=None):
        return areas.sees_everything(request.user) and super().has_delete_permission(request, obj)

    def process_dataset(self, dataset, form, request, **kwargs):
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().process_dataset(dataset, form, request, **kwargs)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            self.message_user(request, _(
                "Nothing was imported: some rows are no longer valid. Import the file again to see them."
            ), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:registrations_kelurahanhouseholdtotal_import"))
        return super().process_result(result, request)

    @admin.display(description=_("code"), ordering="kelurahan__code")
    def kelurahan_code(self, obj):
        return obj.kelurahan.code

    @admin.display(description=_("kelurahan"), ordering="kelurahan__name")
    def kelurahan_name(self, obj):
        return obj.kelurahan.name

    @admin.display(description=_("kecamatan"))
    def kecamatan_name(self, obj):
        return obj.kelurahan.parent.name if obj.kelurahan.parent_id else ""
