"""The partner roster in the admin: facilities and their agreements (PKS), with
CSV import and export; demo agreements of the starting roster are confirmed here."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from kartusehat.admin import (
    CheckedChoicesMixin,
    HistoryMixin,
    RobustChangelistMixin,
    ServiceActionsMixin,
)
from registrations.models import Region

from .. import selectors, services
from ..models import Agreement, Facility
from ..resources import AgreementResource, FacilityResource, RosterCSV


def _demo_warning(model_admin, request) -> None:
    count = selectors.agreements_to_confirm()
    if count and request.method == "GET":
        model_admin.message_user(request, ngettext(
            "%(count)d agreement is demo data from the starting roster: check it against the signed PKS and "
            "confirm it, or correct or end it.",
            "%(count)d agreements are demo data from the starting roster: check each against the signed PKS and "
            "confirm it, or correct or end it.",
            count,
        ) % {"count": count}, messages.WARNING)


class AllOrNothingImportMixin:
    """A roster file is imported whole or not at all, at the confirmation too.

    The preview only offers "confirm" for a file without bad rows, but a row
    can turn bad before it is confirmed (a colleague imported the same file
    first): django-import-export would then save the good rows, drop the bad
    one and report success. Here the whole file is rolled back and the
    officer is told.
    """

    def process_dataset(self, dataset, form, request, **kwargs):
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().process_dataset(dataset, form, request, **kwargs)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            self.message_user(request, _(
                "Nothing was imported: some rows are no longer valid. Import the file again to see them."
            ), messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))
        return super().process_result(result, request)


class InForceFilter(admin.SimpleListFilter):
    title = _("agreement in force today")
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        return [("1", _("Yes")), ("0", _("No"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        field = "agreements__" if queryset.model is Facility else ""
        if self.value() == "1":
            return queryset.filter(selectors.in_force_q(today, field)).distinct()
        if self.value() == "0":
            return queryset.exclude(selectors.in_force_q(today, field))
        return queryset


class EndingFilter(admin.SimpleListFilter):
    """Agreements to renew: in force today, ending within 60 days."""

    title = _("ending soon")
    parameter_name = "berakhir"

    def lookups(self, request, model_admin):
        return [("60", _("In force, ends within 60 days"))]

    def queryset(self, request, queryset):
        if self.value() == "60":
            return queryset.filter(pk__in=selectors.agreements_ending(on=timezone.localdate()).values("pk"))
        return queryset


class ChecksStoppedFilter(admin.SimpleListFilter):
    """Desks that stopped checking coverage (none for 7 days, some in the 4 weeks before)."""

    title = _("coverage checks")
    parameter_name = "pemeriksaan"

    def lookups(self, request, model_admin):
        return [("berhenti", _("Stopped: none for 7 days"))]

    def queryset(self, request, queryset):
        if self.value() == "berhenti":
            return queryset.filter(pk__in=selectors.facilities_checks_stopped(now=timezone.now()).values("pk"))
        return queryset


class CityKecamatanFilter(admin.SimpleListFilter):
    title = _("kecamatan")
    parameter_name = "kecamatan"

    def lookups(self, request, model_admin):
        return [(r.code,
            r.name) for r in Region.objects.filter(Facility.kecamatan.field.get_limit_choices_to()).order_by("name")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(kecamatan__code=self.value())


class AgreementInline(admin.TabularInline):
    model = Agreement
    extra = 0
    fields = ["pks_number", "start_date", "end_date", "notes", "is_demo", "confirmed_at", "confirmed_by"]
    readonly_fields = ["is_demo", "confirmed_at", "confirmed_by"]
    can_delete = False


@admin.register(Facility)
class FacilityAdmin(
    HistoryMixin, AllOrNothingImportMixin, ImportExportMixin, RobustChangelistMixin, SimpleHistoryAdmin,
):
    resource_classes = [FacilityResource]
    formats = [RosterCSV]
    list_display = ["name", "type", "hospital_class", "place", "in_force", "valid_until", "inpatient", "emergency_24h",
        "poned"]
    list_filter = [InForceFilter, ChecksStoppedFilter, "type", CityKecamatanFilter, "inpatient", "emergency_24h",
                   "poned"]
    search_fields = ["name", "address", "kemenkes_code"]
    list_select_related = ["kecamatan"]
    inlines = [AgreementInline]
    fieldsets = [
        (None, {"fields": ["name", "type", "hospital_class", "kemenkes_code"]}),
        (_("Where"), {"fields": ["address", "kecamatan", "city", "phone"]}),
        (_("Services"), {"fields": ["inpatient", "emergency_24h", "poned"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("agreements")

    def has_delete_permission(self, request, obj=None):
        # A facility has agreements, checks and requests behind it: it leaves
        # the public list when its agreement ends, and stays on record.
        return False

    def changelist_view(self, request, extra_context=None):
        _demo_warning(self, request)
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("kecamatan / city"))
    def place(self, obj):
        return obj.kecamatan.name if obj.kecamatan_id else obj.city

    @admin.display(description=_("in force today"), boolean=True)
    def in_force(self, obj):
        today = timezone.localdate()
        return any(a.in_force_on(today) for a in obj.agreements.all())

    @admin.display(description=_("valid until"))
    def valid_until(self, obj):
        return selectors.valid_until(obj.agreements.all(), timezone.localdate()) or "—"


@admin.register(Agreement)
class AgreementAdmin(
    CheckedChoicesMixin, HistoryMixin, AllOrNothingImportMixin, ImportExportMixin, ServiceActionsMixin,
    RobustChangelistMixin, SimpleHistoryAdmin,
):
    resource_classes = [AgreementResource]
    formats = [RosterCSV]
    list_display = ["pks_number", "facility", "start_date", "end_date", "in_force", "is_demo", "confirmed_by"]
    list_filter = [InForceFilter, EndingFilter, "is_demo", "facility__type"]
    search_fields = ["pks_number", "facility__name"]
    list_select_related = ["facility", "confirmed_by"]
    autocomplete_fields = ["facility"]
    fields = ["facility", "pks_number", "start_date", "end_date", "notes", "is_demo", "confirmed_at", "confirmed_by"]
    readonly_fields = ["is_demo", "confirmed_at", "confirmed_by"]
    actions = ["confirm_selected"]

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        _demo_warning(self, request)
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("in force today"), boolean=True)
    def in_force(self, obj):
        return obj.in_force_on(timezone.localdate())

    @admin.action(description=_("Confirm the selected demo agreements (checked against the signed PKS)"),
        permissions=["change"])
    def confirm_selected(self, request, queryset):
        self.apply_each(
            request, queryset.filter(is_demo=True),
            lambda agreement: services.agreement_confirm(agreement_id=agreement.pk, by=request.user),
            lambda n: ngettext("%(count)d agreement confirmed.", "%(count)d agreements confirmed.", n) % {"count": n},
        )


# --- Hospital users and their keys -------------------------------------------
