"""The record of what hospitals did, read-only: every coverage check, and every
emergency request with its letter. Reading them is itself recorded."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kartusehat import areas, audit, identity
from kartusehat.admin import (
    AuditedReadsMixin,
    EstimatedCountPaginator,
    NoAddDeleteMixin,
    RobustChangelistMixin,
)
from kartusehat.text import one_line

from ..models import EmergencyRequest, VerificationLog
from ..validation import nik_search_hash


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
                    "eligible", "result_shown"]
    list_filter = [ResultFilter, "purpose", "method", "channel", "http_status", "facility",
                   ("at", admin.DateFieldListFilter)]
    search_fields = ["query", "user__username"]
    search_help_text = _("A NIK (all 16 digits), a card number or a username")
    list_select_related = ["facility", "user", "token"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    exclude = ["query_hash"]

    @admin.display(description=_("result"), ordering="result")
    def result_shown(self, obj):
        return RESULT_LABELS.get(obj.result, obj.result)

    def get_search_results(self, request, queryset, search_term):
        # NIKs are stored masked; a full NIK is found through its keyed hash.
        nik_hash = nik_search_hash(search_term)
        if nik_hash:
            return queryset.filter(query_hash=nik_hash), False
        # Half a million rows a quarter: a card number or a username, by equality.
        term = one_line(search_term)
        if not term:
            return queryset, False
        return queryset.filter(Q(query=term) | Q(user__username=term)), False


@admin.register(EmergencyRequest)
class EmergencyRequestAdmin(ReadOnlyAdmin):
    audit_type = "emergency_request"
    list_display = ["created_at", "facility", "reason", "card_number", "card_status", "priority", "nik_masked",
        "letter_link"]
    list_filter = ["reason", "facility", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["card__number", "facility__name"]
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
        """The letter (health data): for those who may see emergency requests (403 for anyone else),
        whose area covers the patient's kelurahan (404 elsewhere); every opening and refusal is logged."""
        if not self.has_view_permission(request):
            audit.record(request, audit.Action.DENIED, "emergency_letter", object_id=request_id)
            raise PermissionDenied
        emergency = (EmergencyRequest.objects.filter(pk=request_id).exclude(letter="")
                     .select_related("household__kelurahan").first())
        if emergency is None or not areas.user_covers(request.user, emergency.household.kelurahan.code):
            audit.record(request, audit.Action.DENIED, "emergency_letter", object_id=request_id)
            raise Http404
        audit.record(request, audit.Action.VIEW, "emergency_letter", object_id=emergency.pk)
        response = FileResponse(emergency.letter.open("rb"), content_type=emergency.letter_content_type)
        response["Content-Disposition"] = f'inline; filename="surat-rs-{emergency.pk}{emergency.extension}"'
        response["Cache-Control"] = "private, no-store"
        return response
