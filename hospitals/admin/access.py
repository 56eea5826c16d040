"""Who may use the hospital side: hospital users (desk logins, one facility
each) and the API keys of hospital information systems."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from kartusehat.admin import (
    HistoryMixin,
    RobustChangelistMixin,
    ServiceActionsMixin,
    form_page,
    refusal_to_form,
)
from kartusehat.refusals import Refused

from .. import services
from ..models import ApiToken, Facility, HospitalStaff


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
