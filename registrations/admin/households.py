"""Households and members on the roster: the kelurahan corrects contact details,
adds a member, corrects a name, ends a membership, and exports everything held
about a person when they ask (data-subject access)."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kartusehat import areas, audit, identity, personal_data
from kartusehat.admin import (
    AreaKelurahanFilter,
    ReadOnlyInline,
    form_page,
    refusal_to_form,
    shown_number,
)
from kartusehat.refusals import Refused

from .. import selectors, services, validation
from ..models import (
    Household,
    Member,
    Relationship,
    Sex,
)
from .base import StaffAdmin


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


class EndMembershipForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason the membership ends"),
        min_length=3,
        max_length=200,
        help_text=_("E.g. moved to another KK, died."),
    )


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


class PersonalDataForm(forms.Form):
    nik = forms.CharField(label=_("NIK"), max_length=30)
    request_reference = forms.CharField(
        label=_("reference of the request"), max_length=80, required=False,
        help_text=_("E.g. the number of the person's letter or of the desk's queue ticket; kept in the access log."),
    )

    def clean_nik(self):
        digits = identity.normalize(self.cleaned_data["nik"])
        if len(digits) != 16 or not (digits.isascii() and digits.isdigit()):
            raise forms.ValidationError(_("Enter the person's NIK: 16 digits."))
        return digits


@admin.register(Household)
class HouseholdAdmin(StaffAdmin):
    form = HouseholdForm
    list_display = ["kk_shown", "head_name", "kelurahan_name", "rt", "rw", "status", "eligible",
        "kk_kecamatan_mismatch"]
    list_filter = ["status", AreaKelurahanFilter]
    search_fields = ["kk_number", "members__nik", "members__full_name"]
    search_help_text = _("A KK or NIK (whole, or its first digits), a card number, or a name")
    number_lookups = {16: ["kk_number", "members__nik"], 14: ["cards__number"]}
    prefix_lookups = ["kk_number", "members__nik"]
    name_lookup = "members__full_name"
    list_select_related = ["kelurahan", "kelurahan__parent"]
    # A kelurahan's households in KK order, on an index (household_area_kk).
    ordering = ["kelurahan_id", "kk_number"]
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
        household = self.scoped_object(request, household_id, "registrations.change_member")
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
    search_help_text = _("A NIK or KK (whole, or its first digits), or a name")
    number_lookups = {16: ["nik", "household__kk_number"]}
    prefix_lookups = ["nik"]
    name_lookup = "full_name"
    list_select_related = ["household", "household__kelurahan"]
    # Members household by household, on an index (member_household_order).
    ordering = ["household_id", "id"]
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
        view = self.admin_site.admin_view
        return [
            path("<int:member_id>/correct-name/", view(self.correct_name_view),
                 name="registrations_member_correct_name"),
            path("personal-data/", view(self.personal_data_view), name="registrations_member_personal_data"),
            path("<int:member_id>/personal-data/", view(self.personal_data_view),
                 name="registrations_member_personal_data_of"),
            *super().get_urls(),
        ]

    def _links(self, request) -> list[str]:
        may_export = request.user.has_perm("registrations.export_personal_data")
        return ["correct_name_link", *(["personal_data_link"] if may_export else [])]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, *self._links(request)]

    def get_fields(self, request, obj=None):
        return [*self.fields, *self._links(request)]

    @admin.display(description=_("personal data"))
    def personal_data_link(self, obj):
        return format_html('<a class="button" href="{}">{}</a>',
                           reverse("admin:registrations_member_personal_data_of", args=[obj.pk]),
                           _("Export everything held about this person"))

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "may_export_personal_data": request.user.has_perm("registrations.export_personal_data")}
        return super().changelist_view(request, extra_context)

    def personal_data_view(self, request, member_id: int | None = None):
        """Data-subject access: everything held about a NIK, as JSON and a readable PDF in one ZIP.

        For staff allowed to export, whose area covers where the person
        belongs now (``selectors.person_home``); city-wide staff also for a
        NIK held only in complaints or coverage checks. Each export is
        written to the access log under a keyed hash of the NIK, never the NIK.
        """
        perm = "registrations.export_personal_data"
        member = self.scoped_object(request, member_id, perm) if member_id is not None else None
        if member is None and not (self.has_view_permission(request) and request.user.has_perm(perm)):
            raise PermissionDenied
        form = PersonalDataForm(request.POST or None, initial={"nik": member.nik} if member else None)
        if request.method == "POST" and form.is_valid():
            nik = form.cleaned_data["nik"]
            home = selectors.person_home(nik)
            if areas.user_covers(request.user, home or settings.CITY_REGION_CODE):
                export = personal_data.collect(nik, by=request.user)
                body = personal_data.archive(export)
                audit.record(request, audit.Action.EXPORT, personal_data.OBJECT_TYPE,
                             object_id=personal_data.subject_ref(nik),
                             detail=f"json+pdf {form.cleaned_data['request_reference']}".strip())
                response = HttpResponse(body, content_type="application/zip")
                response["Content-Disposition"] = (
                    f'attachment; filename="data-pribadi-{timezone.localdate():%Y%m%d}.zip"')
                response["Cache-Control"] = "private, no-store"
                return response
            if home is not None:
                audit.record(request, audit.Action.DENIED, personal_data.OBJECT_TYPE,
                             object_id=personal_data.subject_ref(nik))
            # The same answer whether the person lives elsewhere or is unknown.
            form.add_error("nik", _("Nobody with this NIK belongs to your area. The office of the kelurahan where "
                                    "the person lives now answers the request."))
        return form_page(
            self, request, form, title=_("Everything held about a person"), submit_label=_("Export (JSON and PDF)"),
            intro=_("When a person asks what the programme holds about them (UU No. 27/2022), check their e-KTP "
                    "and export it here: registrations, households and memberships with their history, cards and "
                    "their timeline, coverage checks, emergency requests, complaints, and who read these records. "
                    "One ZIP holds a JSON file and a readable PDF; the export is recorded in the access log."),
            facts=[(_("member"), str(member))] if member else (),
            cancel_url=(reverse("admin:registrations_member_change", args=[member.pk]) if member
                        else reverse("admin:registrations_member_changelist")),
        )

    @admin.display(description=_("name"))
    def correct_name_link(self, obj):
        if obj.pk is None or obj.end_date is not None:
            return "—"
        return format_html('<a class="button" href="{}">{}</a>',
                           reverse("admin:registrations_member_correct_name", args=[obj.pk]), _("Correct the name"))

    def correct_name_view(self, request, member_id: int):
        """A misspelt name: a printed card is replaced to show the right one."""
        member = self.scoped_object(request, member_id, "registrations.change_member")
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
