"""The complaint desk works here (group "Petugas Pengaduan", ``roles.py``).

A complaint is a record: staff set its status and a note, nothing else, and
never add or delete one. Saving goes through ``services.complaint_update``.
Lists show phone and NIK masked; opening a complaint, listing, searching and
reading its history are written to the access log.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kartusehat import identity
from kartusehat.admin import AuditedReadsMixin, HistoryMixin, NoAddDeleteMixin, RobustChangelistMixin
from kartusehat.refusals import Refused
from kartusehat.text import mask_phone, one_line

from . import services
from .models import Complaint, normalize_ticket


class ComplaintForm(forms.ModelForm):
    """Status and note only; the rules are the service's."""

    class Meta:
        model = Complaint
        fields = ["status", "staff_note"]
        widgets = {"staff_note": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page carries the status it showed, so a save can tell whether
        # someone else changed the complaint in between.
        if "status" in self.fields:
            self.fields["status"].show_hidden_initial = True

    def status_seen(self) -> str | None:
        """The status on the page when it was opened (None if not sent)."""
        seen = self.data.get(self.add_initial_prefix("status")) if self.is_bound else None
        return seen if seen in Complaint.Status.values else None

    def clean(self):
        cleaned = super().clean()
        seen = self.status_seen()
        if self.instance.pk and seen is not None:
            current = Complaint.objects.filter(pk=self.instance.pk).first()
            if current is not None and current.status != seen:
                raise forms.ValidationError(services.changed_meanwhile_message(current))
        return cleaned


@admin.register(Complaint)
class ComplaintAdmin(NoAddDeleteMixin, AuditedReadsMixin, HistoryMixin, RobustChangelistMixin, SimpleHistoryAdmin):
    form = ComplaintForm
    audit_type = "complaint"
    list_display = ["ticket", "created_at", "category", "status", "phone_masked", "nik_masked", "handled_by"]
    list_filter = ["status", "category", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["ticket"]
    search_help_text = _("Ticket number, e.g. ADU-7M3Q-9XKD")
    date_hierarchy = "created_at"
    list_select_related = ["handled_by"]
    readonly_fields = [
        "ticket", "created_at", "category", "name", "phone", "nik_shown", "message", "handled_by", "resolved_at",
    ]
    fieldsets = [
        (None, {"fields": ["ticket", "created_at", "category"]}),
        (_("From"), {"fields": ["name", "phone", "nik_shown"]}),
        (_("Complaint"), {"fields": ["message"]}),
        (_("Handling"), {"fields": ["status", "staff_note", "handled_by", "resolved_at"]}),
    ]

    @admin.display(description=_("phone"), ordering="phone")
    def phone_masked(self, obj):
        return mask_phone(obj.phone)

    @admin.display(description=_("NIK"), ordering="nik")
    def nik_masked(self, obj):
        return identity.mask(obj.nik) if obj.nik else "—"

    @admin.display(description=_("NIK"))
    def nik_shown(self, obj):
        # The desk needs the full number to look the person up; opening the
        # complaint is recorded in the access log.
        return obj.nik or "—"

    def get_search_results(self, request, queryset, search_term):
        # Control characters (a stray NUL) are never part of a ticket, and
        # PostgreSQL refuses NUL in a query. A ticket read off a phone screen
        # (any case, spaces, O for 0) is found as the ticket it is.
        term = one_line(search_term)
        ticket = normalize_ticket(term)
        if ticket:
            return queryset.filter(ticket=ticket), False
        return super().get_search_results(request, queryset, term)

    def save_model(self, request, obj, form, change):
        # Only changes reach here (no add permission); the service writes.
        try:
            services.complaint_update(
                complaint_id=obj.pk, by=request.user,
                status=form.cleaned_data["status"], note=form.cleaned_data["staff_note"],
                expected_status=form.status_seen(),
            )
        except Refused as exc:
            # The service said no after the form was checked (another save
            # won the race, or a rule only the service knows): shown, nothing saved.
            request._complaint_conflict = str(exc)

    def log_change(self, request, obj, message):
        if getattr(request, "_complaint_conflict", None):
            return None
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        conflict = getattr(request, "_complaint_conflict", None)
        if conflict:
            self.message_user(request, conflict, messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def audit_object_id(self, request, object_id):
        # The desk knows a complaint by its ticket: the log names it so.
        complaint = self.get_object(request, unquote(str(object_id)))
        return complaint.ticket if complaint is not None else None
