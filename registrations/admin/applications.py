"""Registrations (applications) in the admin: the kelurahan verifies or rejects
them, opens their scans, and sees first what a hospital is waiting for; it
registers walk-in families at the desk and prints their receipt (``desk``)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kartusehat import areas, audit
from kartusehat.admin import (
    AreaKelurahanFilter,
    ReadOnlyInline,
    shown_number,
)

from .. import services
from ..models import (
    Registration,
    RegistrationDocument,
    RegistrationEvent,
    RegistrationMember,
    Relationship,
    looks_like_reference,
    normalize_reference,
)
from .base import StaffAdmin
from .desk import DeskEntryMixin
from .flags import FlagFilter, FlagsColumnMixin
from .imports import ImportFilter, import_tools


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

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=5,
        max_length=1000,
        help_text=_("The applicant reads this on the status page: say what to fix."),
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
class RegistrationAdmin(DeskEntryMixin, FlagsColumnMixin, StaffAdmin):
    list_display = [
        "reference", "status", "urgent", "kk_shown", "head_name", "kelurahan_name", "channel",
        "submitted_at", "flags_shown",
    ]
    list_filter = [
        "status", UrgentFilter, AreaKelurahanFilter, "channel", ("submitted_at", admin.DateFieldListFilter),
        FlagFilter, ImportFilter,
    ]
    search_fields = ["reference", "kk_number", "members__nik", "members__full_name"]
    search_help_text = _("A reference, a KK or NIK (whole, or its first digits), a card number, or a name")
    number_lookups = {16: ["kk_number", "members__nik"], 14: ["household__cards__number"]}
    prefix_lookups = ["kk_number", "members__nik"]
    name_lookup = "members__full_name"
    list_select_related = ["kelurahan"]
    actions = ["verify_selected", "reject_selected"]
    inlines = [RegistrationMemberInline, RegistrationDocumentInline, RegistrationEventInline]
    readonly_fields = [
        "reference", "status", "channel", "kk_shown", "kelurahan", "address", "rt", "rw", "phone", "email",
        "kk_kecamatan_mismatch", "consent_at", "consent_version", "submitted_at", "entered_by",
        "decided_at", "decided_by_shown", "rejection_reason", "household", "urgent_requested_at", "urgent_note",
        "receipt_link",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "status", "channel", "submitted_at", "entered_by"]}),
        (_("Emergency request from a hospital"), {"fields": ["urgent_requested_at", "urgent_note"]}),
        (_("Household"), {"fields": ["kk_shown", "kk_kecamatan_mismatch", "kelurahan", "address", ("rt", "rw"),
            "phone", "email"]}),
        (_("Consent"), {"fields": ["consent_at", "consent_version"]}),
        (_("Decision"), {"fields": ["decided_at", "decided_by_shown", "rejection_reason", "household"]}),
    ]
    audit_type = "registration"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("members")

    def get_object(self, request, object_id, from_field=None):
        # The page shows who entered and decided it, and its household: one query.
        queryset = self.get_queryset(request).select_related("submitted_by", "decided_by", "household")
        try:
            return queryset.get(pk=object_id)
        except (self.model.DoesNotExist, ValueError, ValidationError):
            return None

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
        extra_context = {**(extra_context or {}), "import_tools": import_tools(request)}
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
        """A scan, for staff allowed to open scans, of the registration's area only; every opening is logged."""
        try:
            registration = self.scoped_object(request, registration_id, "registrations.view_registrationdocument")
        except (PermissionDenied, Http404):
            audit.record(request, audit.Action.DENIED, "document", object_id=document_id)
            raise
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

    def search_q(self, term: str):
        # A reference read off a receipt (any case, dashes or not) is looked
        # up as a reference as well as the usual way, so that "3275-0604-0523"
        # still finds a KK and a 12-letter name still finds the name.
        condition = super().search_q(term)
        reference = normalize_reference(term) if looks_like_reference(term) else ""
        if not reference:
            return condition
        # Each read through its own index, then combined by id (see IndexedSearchMixin).
        ids = list(Registration.objects.filter(reference=reference).values_list("pk", flat=True))
        if condition is None:
            return Q(pk__in=ids)
        named = list(Registration.objects.filter(condition).values_list("pk", flat=True)[:self.IDS_AT_MOST + 1])
        if len(named) > self.IDS_AT_MOST:
            return Q(pk__in=ids) | condition
        return Q(pk__in=ids + named)

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
