"""The health office (Dinas Kesehatan) works here: the roster and its
agreements (with CSV import/export), hospital users and their API keys, and
the audit of coverage checks. The print office reads emergency requests and
their letters here too.

Writes that carry a rule go through ``services`` (hospital users, keys,
confirming a demo agreement); the roster itself is plain data whose rules are
the models' constraints, checked by the admin forms and by every import row.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from kartusehat import audit, identity
from kartusehat.admin import (
    AuditedReadsMixin,
    HistoryMixin,
    NoAddDeleteMixin,
    RobustChangelistMixin,
    ServiceActionsMixin,
    form_page,
    refusal_to_form,
)
from kartusehat.refusals import Refused
from registrations.models import Region

from . import selectors, services
from .models import Agreement, ApiToken, EmergencyRequest, Facility, HospitalStaff, VerificationLog
from .resources import AgreementResource, FacilityResource, RosterCSV
from .validation import nik_search_hash


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
    list_filter = [InForceFilter, "type", CityKecamatanFilter, "inpatient", "emergency_24h", "poned"]
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
    HistoryMixin, AllOrNothingImportMixin, ImportExportMixin, ServiceActionsMixin, RobustChangelistMixin,
    SimpleHistoryAdmin,
):
    resource_classes = [AgreementResource]
    formats = [RosterCSV]
    list_display = ["pks_number", "facility", "start_date", "end_date", "in_force", "is_demo", "confirmed_by"]
    list_filter = [InForceFilter, "is_demo", "facility__type"]
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


class HospitalStaffAddForm(forms.Form):
    username = forms.CharField(label=_("username"), max_length=150)
    full_name = forms.CharField(label=_("name"), max_length=150, help_text=_("The person, or the hospital system."))
    facility = forms.ModelChoiceField(label=_("facility"), queryset=Facility.objects.order_by("name"))
    password1 = forms.CharField(label=_("password"), widget=forms.PasswordInput, strip=False,
                                help_text=password_validators_help_text_html())
    password2 = forms.CharField(label=_("password again"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class HospitalStaffChangeForm(forms.ModelForm):
    class Meta:
        model = HospitalStaff
        fields = ["facility"]


@admin.register(HospitalStaff)
class HospitalStaffAdmin(HistoryMixin, ServiceActionsMixin, RobustChangelistMixin, SimpleHistoryAdmin):
    list_display = ["username", "full_name", "facility", "active", "created_at", "created_by"]
    list_filter = ["facility", "user__is_active"]
    search_fields = ["user__username", "user__first_name", "facility__name"]
    list_select_related = ["user", "facility", "created_by"]
    readonly_fields = ["username", "full_name", "active", "created_at", "created_by"]
    actions = ["suspend_selected", "reactivate_selected"]

    form = HospitalStaffChangeForm
    fields = ["username", "full_name", "facility", "active", "created_at", "created_by"]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = HospitalStaffAddForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                staff = services.hospital_staff_create(
                    username=data["username"], full_name=data["full_name"], password=data["password1"],
                    facility=data["facility"], by=request.user,
                )
            except Refused as exc:
                refusal_to_form(form, exc, renames={"password": "password1"})
            else:
                self.log_addition(request, staff, [{"added": {}}])
                self.message_user(request, _("Hospital user %(username)s created for %(facility)s.") % {
                    "username": staff.user.username, "facility": staff.facility.name,
                }, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:hospitals_hospitalstaff_changelist"))
        return form_page(
            self, request, form, title=_("Add a hospital user"),
            intro=_("Hospital users log in at the hospital desk page (/rs/) and check coverage or request "
                    "emergency cards for their own facility. They cannot open this admin."),
        )

    @admin.display(description=_("username"), ordering="user__username")
    def username(self, obj):
        return obj.user.username

    @admin.display(description=_("name"), ordering="user__first_name")
    def full_name(self, obj):
        return obj.user.get_full_name() or obj.user.first_name

    @admin.display(description=_("active"), boolean=True, ordering="user__is_active")
    def active(self, obj):
        return obj.user.is_active

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Suspend the selected hospital users (their keys are revoked)"), permissions=["change"])
    def suspend_selected(self, request, queryset):
        self.apply_each(
            request, queryset,
            lambda staff: services.hospital_staff_set_active(staff_id=staff.pk, active=False, by=request.user),
            lambda n: ngettext("%(count)d hospital user suspended.", "%(count)d hospital users suspended.",
                n) % {"count": n},
        )

    @admin.action(description=_("Reactivate the selected hospital users"), permissions=["change"])
    def reactivate_selected(self, request, queryset):
        self.apply_each(
            request, queryset,
            lambda staff: services.hospital_staff_set_active(staff_id=staff.pk, active=True, by=request.user),
            lambda n: ngettext("%(count)d hospital user reactivated.", "%(count)d hospital users reactivated.",
                n) % {"count": n},
        )


class ApiTokenAddForm(forms.Form):
    staff = forms.ModelChoiceField(
        label=_("hospital user"), queryset=HospitalStaff.objects.select_related("user",
            "facility").filter(user__is_active=True),
        help_text=_("The key acts as this user, for their facility."),
    )
    name = forms.CharField(label=_("name"), max_length=100, help_text=_("What uses it, e.g. SIMRS front desk."))


@admin.register(ApiToken)
class ApiTokenAdmin(ServiceActionsMixin, RobustChangelistMixin, admin.ModelAdmin):
    list_display = ["name", "prefix_shown", "staff", "facility", "created_at", "last_used_at", "active", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "staff__facility"]
    search_fields = ["name", "prefix", "staff__user__username", "staff__facility__name"]
    list_select_related = ["staff__user", "staff__facility"]
    readonly_fields = ["name", "prefix_shown", "staff", "facility", "created_at", "created_by", "last_used_at",
                       "revoked_at", "revoked_by"]
    fields = readonly_fields
    actions = ["revoke_selected"]

    def has_change_permission(self, request, obj=None):
        # Revoking is the only change, and it is an action; the page is read-only.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ApiTokenAddForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                token, key = services.token_create(
                    staff=form.cleaned_data["staff"], name=form.cleaned_data["name"], by=request.user
                )
            except Refused as exc:
                refusal_to_form(form, exc)
            else:
                self.log_addition(request, token, [{"added": {}}])
                # Shown on this page only, never stored or put in a message
                # (messages may travel in a cookie).
                response = TemplateResponse(request, "admin/hospitals/token_created.html", {
                    **self.admin_site.each_context(request),
                    "title": _("API key created"), "opts": self.model._meta, "token": token, "key": key,
                })
                response["Cache-Control"] = "no-store"
                return response
        return form_page(
            self, request, form, title=_("Create an API key"),
            intro=_("A key lets a hospital information system check coverage and send emergency requests as "
                    "the chosen hospital user. It opens nothing else. The key is shown once."),
        )

    @admin.display(description=_("key starts with"))
    def prefix_shown(self, obj):
        return f"{obj.prefix}…"

    @admin.display(description=_("facility"))
    def facility(self, obj):
        return obj.staff.facility

    @admin.display(description=_("active"), boolean=True)
    def active(self, obj):
        return obj.is_active

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        self.apply_each(
            request, queryset,
            lambda token: services.token_revoke(token_id=token.pk, by=request.user),
            lambda n: ngettext("%(count)d key revoked.", "%(count)d keys revoked.", n) % {"count": n},
        )


# --- Audit and emergency requests (read-only) ---------------------------------


class ReadOnlyAdmin(NoAddDeleteMixin, AuditedReadsMixin, RobustChangelistMixin, admin.ModelAdmin):
    """Records that cannot change. Reading them is itself recorded: the
    audit of coverage checks shows where a person went for care."""

    def has_change_permission(self, request, obj=None):
        return False


RESULT_LABELS = {
    "eligible": _("Covered"),
    "not_registered": _("Not registered"),
    "registration_pending": _("Registration waiting for verification"),
    "registration_rejected": _("Registration rejected"),
    "household_inactive": _("Household no longer active"),
    "outside_city": _("KK issued outside the city"),
    "card_revoked": _("Card revoked"),
    "card_unknown": _("No such card"),
    "qr_forged": _("Forged QR code"),
    "invalid_input": _("Input refused"),
    "forbidden": _("Refused: not allowed"),
    "rate_limited": _("Refused: too many requests"),
    "key_revoked": _("Refused: revoked key"),
    "user_suspended": _("Refused: suspended user"),
    "emergency_queued": _("Emergency card queued"),
    "emergency_repeated": _("Emergency request sent again"),
}


class ResultFilter(admin.SimpleListFilter):
    title = _("result")
    parameter_name = "result"

    def lookups(self, request, model_admin):
        return list(RESULT_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(result=self.value()) if self.value() else queryset


@admin.register(VerificationLog)
class VerificationLogAdmin(ReadOnlyAdmin):
    audit_type = "coverage_check"
    list_display = ["at", "facility", "user", "token", "purpose", "channel", "method", "query", "http_status",
        "eligible",
                    "result_shown"]
    list_filter = [ResultFilter, "purpose", "method", "channel", "http_status", "facility", ("at",
        admin.DateFieldListFilter)]
    search_fields = ["query", "user__username"]
    search_help_text = _("A NIK (all 16 digits), a card number or a username")
    date_hierarchy = "at"
    list_select_related = ["facility", "user", "token"]
    exclude = ["query_hash"]

    @admin.display(description=_("result"), ordering="result")
    def result_shown(self, obj):
        return RESULT_LABELS.get(obj.result, obj.result)

    def get_search_results(self, request, queryset, search_term):
        # NIKs are stored masked; a full NIK is found through its keyed hash.
        nik_hash = nik_search_hash(search_term)
        if nik_hash:
            return queryset.filter(query_hash=nik_hash), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(EmergencyRequest)
class EmergencyRequestAdmin(ReadOnlyAdmin):
    audit_type = "emergency_request"
    list_display = ["created_at", "facility", "reason", "card_number", "card_status", "priority", "nik_masked",
        "letter_link"]
    list_filter = ["reason", "facility", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["card__number", "facility__name"]
    date_hierarchy = "created_at"
    list_select_related = ["facility", "card", "requested_by"]
    fields = ["created_at", "facility", "requested_by", "token", "reason", "nik_masked", "patient", "kk_masked",
              "card_number", "card_status", "priority", "notes", "letter_link", "letter_content_type", "letter_size"]
    readonly_fields = fields

    @admin.display(description=_("NIK"))
    def nik_masked(self, obj):
        return identity.mask(obj.nik)

    @admin.display(description=_("patient"))
    def patient(self, obj):
        member = obj.household.members.filter(nik=obj.nik).order_by("end_date").first()
        return member.full_name if member else "—"

    @admin.display(description=_("KK number"))
    def kk_masked(self, obj):
        return identity.mask(obj.household.kk_number)

    @admin.display(description=_("card"), ordering="card__number")
    def card_number(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:cards_card_change", args=[obj.card_id]),
            obj.card.number)

    @admin.display(description=_("card status"))
    def card_status(self, obj):
        return obj.card.get_status_display()

    @admin.display(description=_("priority"))
    def priority(self, obj):
        return obj.card.get_priority_display()

    @admin.display(description=_("hospital letter"))
    def letter_link(self, obj):
        if not obj.letter:
            return _("deleted after the retention period")
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>',
                           reverse("admin:hospitals_emergencyrequest_letter", args=[obj.pk]), _("Open"))

    def get_urls(self):
        return [
            path("<int:request_id>/letter/", self.admin_site.admin_view(self.letter_view),
                 name="hospitals_emergencyrequest_letter"),
            *super().get_urls(),
        ]

    def letter_view(self, request, request_id: int):
        """The letter (health data): for those who may see emergency requests; every opening is logged."""
        emergency = EmergencyRequest.objects.filter(pk=request_id).exclude(letter="").first()
        if emergency is None or not self.has_view_permission(request, emergency):
            audit.record(request, audit.Action.DENIED, "emergency_letter", object_id=request_id)
            raise Http404
        audit.record(request, audit.Action.VIEW, "emergency_letter", object_id=emergency.pk)
        response = FileResponse(emergency.letter.open("rb"), content_type=emergency.letter_content_type)
        response["Content-Disposition"] = f'inline; filename="surat-rs-{emergency.pk}{emergency.extension}"'
        response["Cache-Control"] = "private, no-store"
        return response

