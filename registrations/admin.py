"""Kelurahan staff work here: registrations, households and their members.

Every list, search, page and action is scoped to the staff user's area
(``kartusehat.admin.AreaScopedMixin``); objects outside it behave as if they
did not exist. Full NIK/KK digits are shown only inside the area, and every
list, search, record and history page opened is written to the access log
(``AuditedReadsMixin``).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from kartusehat import areas, audit
from kartusehat.admin import (
    AreaKelurahanFilter,
    AreaScopedMixin,
    AuditedReadsMixin,
    HistoryMixin,
    NoAddDeleteMixin,
    ReadOnlyInline,
    RobustChangelistMixin,
    form_page,
    refusal_to_form,
    shown_number,
)
from kartusehat.refusals import Refused
from kartusehat.text import one_line

from . import services, validation
from .models import (
    AccessLog,
    Household,
    Member,
    Region,
    Registration,
    RegistrationDocument,
    RegistrationEvent,
    RegistrationMember,
    Relationship,
    Sex,
    StaffArea,
    looks_like_reference,
    normalize_reference,
)


class StaffAdmin(NoAddDeleteMixin, AreaScopedMixin, AuditedReadsMixin, HistoryMixin, SimpleHistoryAdmin):
    """Registrations, households and members: scoped, audited, history kept."""


class RegistrationMemberInline(ReadOnlyInline):
    model = RegistrationMember
    fields = ["position_number", "nik_shown", "full_name", "birth_date", "sex", "relationship"]
    readonly_fields = fields
    verbose_name = _("member applied for")
    verbose_name_plural = _("members applied for")

    @admin.display(description="#")
    def position_number(self, obj):
        return obj.position + 1

    def get_queryset(self, request):
        return areas.annotate_full_view(super().get_queryset(request), request.user, "registration__kelurahan")

    @admin.display(description=_("NIK"))
    def nik_shown(self, obj):
        return shown_number(obj, obj.nik)


class RegistrationEventInline(ReadOnlyInline):
    model = RegistrationEvent
    fields = ["status", "at", "by", "note"]
    readonly_fields = fields
    verbose_name_plural = _("status history")


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=5,
        max_length=1000,
        help_text=_("The applicant reads this on the status page: say what to fix."),
    )


class EndMembershipForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason the membership ends"),
        min_length=3,
        max_length=200,
        help_text=_("E.g. moved to another KK, died."),
    )


class RegistrationDocumentInline(ReadOnlyInline):
    model = RegistrationDocument
    fields = ["kind", "open_link", "content_type", "size", "uploaded_at", "deleted_at"]
    readonly_fields = fields
    verbose_name_plural = _("scans sent with the registration")

    @admin.display(description=_("file"))
    def open_link(self, obj):
        if not obj.file:
            return _("deleted after the retention period")
        url = reverse("admin:registrations_registration_document", args=[obj.registration_id, obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Open"))


class UrgentFilter(admin.SimpleListFilter):
    """Registrations a hospital is waiting for (an emergency request arrived)."""

    title = _("emergency request from a hospital")
    parameter_name = "darurat"

    def lookups(self, request, model_admin):
        return [("menunggu", _("Waiting: verify today")), ("semua", _("All with a request"))]

    def queryset(self, request, queryset):
        if self.value() == "menunggu":
            return queryset.filter(urgent_requested_at__isnull=False, status=Registration.Status.SUBMITTED)
        if self.value() == "semua":
            return queryset.filter(urgent_requested_at__isnull=False)
        return queryset


@admin.register(Registration)
class RegistrationAdmin(StaffAdmin):
    list_display = [
        "reference", "status", "urgent", "kk_shown", "head_name", "kelurahan_name", "channel",
        "submitted_at", "kk_kecamatan_mismatch",
    ]
    list_filter = [
        "status", UrgentFilter, AreaKelurahanFilter, "channel", ("submitted_at", admin.DateFieldListFilter),
        "kk_kecamatan_mismatch",
    ]
    search_fields = ["reference", "kk_number", "members__nik", "members__full_name"]
    date_hierarchy = "submitted_at"
    list_select_related = ["kelurahan"]
    actions = ["verify_selected", "reject_selected"]
    inlines = [RegistrationMemberInline, RegistrationDocumentInline, RegistrationEventInline]
    readonly_fields = [
        "reference", "status", "channel", "kk_shown", "kelurahan", "address", "rt", "rw", "phone", "email",
        "kk_kecamatan_mismatch", "consent_at", "consent_version", "submitted_at", "submitted_by",
        "decided_at", "decided_by", "rejection_reason", "household", "urgent_requested_at", "urgent_note",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "status", "channel", "submitted_at", "submitted_by"]}),
        (_("Emergency request from a hospital"), {"fields": ["urgent_requested_at", "urgent_note"]}),
        (_("Household"), {"fields": ["kk_shown", "kk_kecamatan_mismatch", "kelurahan", "address", ("rt", "rw"),
            "phone", "email"]}),
        (_("Consent"), {"fields": ["consent_at", "consent_version"]}),
        (_("Decision"), {"fields": ["decided_at", "decided_by", "rejection_reason", "household"]}),
    ]
    audit_type = "registration"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("members")

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            waiting = self.get_queryset(request).filter(
                urgent_requested_at__isnull=False, status=Registration.Status.SUBMITTED
            ).count()
            if waiting:
                self.message_user(request, ngettext(
                    "%(count)d registration has an emergency request from a hospital: verify it today.",
                    "%(count)d registrations have an emergency request from a hospital: verify them today.",
                    waiting,
                ) % {"count": waiting}, messages.WARNING)
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("hospital waiting"), boolean=True, ordering="urgent_requested_at")
    def urgent(self, obj):
        return obj.urgent_requested_at is not None and obj.status == Registration.Status.SUBMITTED

    def get_urls(self):
        view = self.admin_site.admin_view(self.document_view)
        return [
            path("<int:registration_id>/document/<int:document_id>/", view, name="registrations_registration_document"),
            *super().get_urls(),
        ]

    def document_view(self, request, registration_id: int, document_id: int):
        """A scan, for staff of the registration's area only; every opening is logged."""
        registration = self.get_queryset(request).filter(pk=registration_id).first()
        if (
            registration is None
            or not self.has_view_permission(request, registration)
            or not request.user.has_perm("registrations.view_registrationdocument")
        ):
            audit.record(request, audit.Action.DENIED, "document", object_id=document_id)
            raise Http404
        document = registration.documents.filter(pk=document_id).first()
        if document is None or not document.file:
            raise Http404
        audit.record(
            request, audit.Action.VIEW, "document", object_id=document.pk,
            detail=f"{registration.reference} {document.kind}",
        )
        response = FileResponse(document.file.open("rb"), content_type=document.content_type)
        filename = f"{registration.reference}-{document.kind}{document.extension}"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response

    def get_search_results(self, request, queryset, search_term):
        # A reference read off a receipt (any case, dashes or not) is looked
        # up as a reference as well as the usual way, so that "3275-0604-0523"
        # still finds a KK and a 12-letter name still finds the name.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = one_line(search_term)
        reference = normalize_reference(term) if looks_like_reference(term) else ""
        if reference:
            results = results | queryset.filter(reference=reference)
        return results, may_have_duplicates

    @admin.display(description=_("KK number"), ordering="kk_number")
    def kk_shown(self, obj):
        return shown_number(obj, obj.kk_number)

    @admin.display(description=_("head of household"))
    def head_name(self, obj):
        head = next((m for m in obj.members.all() if m.relationship == Relationship.KEPALA_KELUARGA), None)
        return head.full_name if head else "—"

    @admin.display(description=_("kelurahan"), ordering="kelurahan__name")
    def kelurahan_name(self, obj):
        return obj.kelurahan.name

    def has_verify_permission(self, request):
        return request.user.has_perm("registrations.verify_registration")

    @admin.action(description=_("Verify selected registrations"), permissions=["verify"])
    def verify_selected(self, request, queryset):
        self.apply_each(
            request, queryset,
            lambda r: services.registration_verify(registration_id=r.pk, by=request.user),
            lambda n: ngettext("%(count)d registration verified.", "%(count)d registrations verified.",
                n) % {"count": n},
        )

    @admin.action(description=_("Reject selected registrations (reason required)"), permissions=["verify"])
    def reject_selected(self, request, queryset):
        return self.apply_with_reason(
            request, queryset, RejectForm,
            lambda r, reason: services.registration_reject(registration_id=r.pk, by=request.user, reason=reason),
            lambda n: ngettext("%(count)d registration rejected.", "%(count)d registrations rejected.",
                n) % {"count": n},
            action="reject_selected", title=_("Reject registrations"),
            intro=_("These registrations will be rejected. The household roster does not change; "
                    "the applicant sees the reason on the status page."),
            submit_label=_("Reject"),
        )


class MemberInline(ReadOnlyInline):
    model = Member
    fields = ["nik_shown", "full_name", "birth_date", "sex", "relationship", "start_date", "end_date", "end_reason"]
    readonly_fields = fields
    ordering = ["end_date", "start_date"]

    def get_queryset(self, request):
        return areas.annotate_full_view(super().get_queryset(request), request.user, "household__kelurahan")

    @admin.display(description=_("NIK"))
    def nik_shown(self, obj):
        return shown_number(obj, obj.nik)


class HouseholdForm(forms.ModelForm):
    """Staff may correct contact details; the same rules as registration apply."""

    class Meta:
        model = Household
        fields = ["address", "rt", "rw", "phone", "email"]

    def clean(self):
        # The very rules of an application (validation.clean_contact), so a
        # correction can never store what registration would refuse.
        cleaned = super().clean()
        values, errors = validation.clean_contact(self.data)
        for field, messages_ in errors.items():
            if field not in self.errors:  # one message per field, as the field's own check comes first
                self.add_error(field, messages_)
        cleaned.update({field: value for field, value in values.items() if field not in errors})
        return cleaned


class MemberAddForm(forms.Form):
    nik = forms.CharField(label=_("NIK"), max_length=30)
    full_name = forms.CharField(label=_("full name"), max_length=150, help_text=_("As written on the KK."))
    birth_date = forms.DateField(label=_("birth date"), widget=forms.DateInput(attrs={"type": "date"}))
    sex = forms.ChoiceField(label=_("sex"), choices=Sex.choices)
    relationship = forms.ChoiceField(
        label=_("relationship"), choices=[c for c in Relationship.choices if c[0] != Relationship.KEPALA_KELUARGA],
    )


class NameForm(forms.Form):
    full_name = forms.CharField(label=_("full name"), max_length=150, help_text=_("As written on the KK."))


@admin.register(Household)
class HouseholdAdmin(StaffAdmin):
    form = HouseholdForm
    list_display = ["kk_shown", "head_name", "kelurahan_name", "rt", "rw", "status", "eligible",
        "kk_kecamatan_mismatch"]
    list_filter = ["status", AreaKelurahanFilter]
    search_fields = ["kk_number", "members__nik", "members__full_name"]
    list_select_related = ["kelurahan", "kelurahan__parent"]
    inlines = [MemberInline]
    readonly_fields = ["kk_shown", "kelurahan", "status", "created_at", "updated_at", "eligible",
        "kk_kecamatan_mismatch"]
    fields = ["kk_shown", "kelurahan", "address", ("rt", "rw"), "phone", "email", "status", "eligible",
        "kk_kecamatan_mismatch", "created_at", "updated_at"]
    audit_type = "household"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("members")

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "add_member_link"]

    def get_fields(self, request, obj=None):
        return [*self.fields, "add_member_link"]

    @admin.display(description=_("members"))
    def add_member_link(self, obj):
        if obj.pk is None or obj.status != Household.Status.ACTIVE:
            return "—"
        return format_html('<a class="button" href="{}">{}</a>',
                           reverse("admin:registrations_household_add_member", args=[obj.pk]), _("Add a member"))

    def get_urls(self):
        return [
            path("<int:household_id>/add-member/", self.admin_site.admin_view(self.add_member_view),
                 name="registrations_household_add_member"),
            *super().get_urls(),
        ]

    def add_member_view(self, request, household_id: int):
        """A birth, a marriage, a move in: a printed card is replaced to list the new member."""
        if self._out_of_area(request, household_id):
            raise Http404
        if not request.user.has_perm("registrations.change_member"):
            raise PermissionDenied
        household = self.get_queryset(request).get(pk=household_id)
        form = MemberAddForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = {**form.cleaned_data, "birth_date": form.cleaned_data["birth_date"].isoformat()}
            try:
                member = services.member_add(household_id=household.pk, data=data, by=request.user)
            except Refused as exc:
                refusal_to_form(form, exc)
            else:
                self.message_user(request, _("%(name)s added to the household. A printed card is replaced by a new one "
                                             "that lists every member.") % {"name": member.full_name}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:registrations_household_change", args=[household.pk]))
        return form_page(
            self, request, form,
            title=_("Add a member to KK %(kk)s") % {"kk": shown_number(household, household.kk_number)},
            intro=_("Enter the new member as written on the updated KK. If the household's card is already "
                    "printed, it is revoked and a new card is printed."),
            submit_label=_("Add member"),
            cancel_url=reverse("admin:registrations_household_change", args=[household.pk]),
        )

    @admin.display(description=_("KK number"), ordering="kk_number")
    def kk_shown(self, obj):
        return shown_number(obj, obj.kk_number)

    @admin.display(description=_("head of household"))
    def head_name(self, obj):
        head = obj.head()
        return head.full_name if head else "—"

    @admin.display(description=_("kelurahan"), ordering="kelurahan__name")
    def kelurahan_name(self, obj):
        return obj.kelurahan.name

    @admin.display(description=_("eligible"), boolean=True)
    def eligible(self, obj):
        return obj.is_eligible

    @admin.display(description=_("KK issued in another kecamatan"), boolean=True)
    def kk_kecamatan_mismatch(self, obj):
        return obj.kk_kecamatan_mismatch



@admin.register(Member)
class MemberAdmin(StaffAdmin):
    """Members of the roster: where a kelurahan records that someone left."""

    kelurahan_path = "household__kelurahan"
    audit_type = "member"
    list_display = ["nik_shown", "full_name", "relationship", "household_kk", "start_date", "end_date", "end_reason"]
    list_filter = [("end_date", admin.EmptyFieldListFilter), "relationship"]
    search_fields = ["nik", "full_name", "household__kk_number"]
    list_select_related = ["household", "household__kelurahan"]
    actions = ["end_selected"]
    readonly_fields = [
        "nik_shown", "full_name", "birth_date", "sex", "relationship", "household", "start_date", "end_date",
        "end_reason",
    ]
    fields = readonly_fields

    @admin.display(description=_("NIK"), ordering="nik")
    def nik_shown(self, obj):
        return shown_number(obj, obj.nik)

    @admin.display(description=_("KK number"), ordering="household__kk_number")
    def household_kk(self, obj):
        return shown_number(obj, obj.household.kk_number)

    def get_urls(self):
        return [
            path("<int:member_id>/correct-name/", self.admin_site.admin_view(self.correct_name_view),
                 name="registrations_member_correct_name"),
            *super().get_urls(),
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "correct_name_link"]

    def get_fields(self, request, obj=None):
        return [*self.fields, "correct_name_link"]

    @admin.display(description=_("name"))
    def correct_name_link(self, obj):
        if obj.pk is None or obj.end_date is not None:
            return "—"
        return format_html('<a class="button" href="{}">{}</a>',
                           reverse("admin:registrations_member_correct_name", args=[obj.pk]), _("Correct the name"))

    def correct_name_view(self, request, member_id: int):
        """A misspelt name: a printed card is replaced to show the right one."""
        if self._out_of_area(request, member_id):
            raise Http404
        if not request.user.has_perm("registrations.change_member"):
            raise PermissionDenied
        member = self.get_queryset(request).get(pk=member_id)
        form = NameForm(request.POST or None, initial={"full_name": member.full_name})
        if request.method == "POST" and form.is_valid():
            try:
                services.member_correct_name(member_id=member.pk, full_name=form.cleaned_data["full_name"],
                    by=request.user)
            except Refused as exc:
                refusal_to_form(form, exc)
            else:
                self.message_user(request, _("Name corrected."), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:registrations_member_change", args=[member.pk]))
        return form_page(
            self, request, form,
            title=_("Correct the name of %(name)s") % {"name": member.full_name},
            intro=_("If the household's card is already printed, it is revoked and a new card with the right "
                    "name is printed."),
            submit_label=_("Correct"),
            cancel_url=reverse("admin:registrations_member_change", args=[member.pk]),
        )

    def has_end_permission(self, request):
        return request.user.has_perm("registrations.change_member")

    @admin.action(description=_("End the selected memberships (moved out, died)"), permissions=["end"])
    def end_selected(self, request, queryset):
        return self.apply_with_reason(
            request, queryset, EndMembershipForm,
            lambda m, reason: services.member_end(member_id=m.pk, by=request.user, reason=reason),
            lambda n: ngettext("%(count)d membership ended.", "%(count)d memberships ended.", n) % {"count": n},
            action="end_selected", title=_("End memberships"),
            intro=_("These people leave their household from today. Their history stays on the roster."),
            submit_label=_("End membership"),
        )


@admin.register(Region)
class RegionAdmin(NoAddDeleteMixin, RobustChangelistMixin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "current"]
    list_filter = ["level", "current"]
    search_fields = ["code", "name"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(NoAddDeleteMixin, RobustChangelistMixin, admin.ModelAdmin):
    list_display = ["at", "user", "action", "object_type", "object_id", "detail", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["user__username", "object_id"]
    date_hierarchy = "at"

    def has_change_permission(self, request, obj=None):
        return False


class StaffAreaInline(admin.StackedInline):
    model = StaffArea
    can_delete = True
    extra = 0
    max_num = 1
    autocomplete_fields = ["region"]
    verbose_name_plural = _("area of work")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [StaffAreaInline]
    list_display = ["username", "first_name", "last_name", "area", "is_staff", "is_active"]
    list_select_related = ["staff_area__region"]

    @admin.display(description=_("area of work"))
    def area(self, obj):
        try:
            return obj.staff_area.region
        except StaffArea.DoesNotExist:
            return "—"
