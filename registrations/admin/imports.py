"""Household imports in the admin (``import-format.md``): the kelurahan uploads
an RW's list, reads the dry run's report, imports it or cancels it, follows
the progress, resumes a stopped import, downloads the report, and verifies the
registrations of an import that carry no flag.

The pages are thin: every step is a service of ``registrations.imports`` (or
``services.registration_verify``), which checks the permission and the area
again. An import belongs to the area its uploader had (``allowed_kelurahan``):
staff see it when all of those kelurahan lie in their own area
(``selectors.household_imports_for``). Each page and file checks the
permission first and the area second (``scoped_object``). The import's page
and the report downloads are reads of personal data (the report quotes KK
numbers and NIKs): written to the access log. The progress is server state,
read by a small JSON endpoint the page polls (``static/js/import-progress.js``),
so closing the browser loses nothing.
"""

from __future__ import annotations

from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kartusehat import areas, audit
from kartusehat.admin import AreaScopedMixin, AuditedReadsMixin, RobustChangelistMixin, form_page, refusal_to_form
from kartusehat.logging import mask_identity_numbers
from kartusehat.refusals import Refused

from .. import import_format, import_spreadsheets, imports, selectors, services
from ..import_format import FileRefused
from ..models import HouseholdImport

Status = HouseholdImport.Status

# Who uploads an import also takes its files away (the report quotes numbers
# and names); the auditor reads the import's page but takes no file.
FILE_PERMISSION = "registrations.add_householdimport"
ACT_PERMISSION = "registrations.add_householdimport"
VERIFY_PERMISSION = "registrations.verify_registration"
# Lines of the report shown on the page; the downloads hold every line.
REPORT_ON_PAGE = 200
# How often the page asks for the progress while the file is checked or imported.
POLL_MS = 2000
RUNNING = (Status.CHECKING, Status.QUEUED, Status.IMPORTING)
# Registrations verified per request by "verify the clean ones": each is its own
# transaction of ~20 ms on PostgreSQL (household, members, card, history), so a
# step stays well inside the proxy's 60 s; a bigger import takes a few steps.
VERIFY_CLEAN_AT_MOST = 1000
# Steps whose outcome has registrations to list and verify (a stopped import
# keeps the whole households it wrote).
WROTE = (Status.DONE, Status.FAILED)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The extensions the service takes; others it refuses with its own message.
LIST_EXTENSIONS = (".csv", ".xlsx", ".txt")
AUDIT_TYPE = "householdimport"


def _import_url(record) -> str:
    return reverse("admin:registrations_householdimport_change", args=[record.pk])


def registrations_url(record) -> str:
    """The registrations list filtered by this import (``ImportFilter``)."""
    return reverse("admin:registrations_registration_changelist") + "?" + urlencode({ImportFilter.parameter_name:
                                                                                    record.pk})


def import_tools(request) -> list[tuple[str, str]]:
    """For the registrations list filtered by an import: links back to the
    import's page and to "verify the clean ones" of it."""
    value = request.GET.get(ImportFilter.parameter_name, "")
    if not (value.isascii() and value.isdigit() and len(value) <= 12):
        return []
    record = selectors.household_imports_for(request.user).filter(pk=int(value)).first()
    if record is None or not request.user.has_perm("registrations.view_householdimport"):
        return []
    tools = [(_import_url(record), _("Import #%(id)d") % {"id": record.pk})]
    if request.user.has_perm(VERIFY_PERMISSION) and record.status in WROTE:
        tools.append((reverse("admin:registrations_householdimport_verify_clean", args=[record.pk]),
                      _("Verify the clean ones of this import")))
    return tools


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("List of households (CSV or XLSX)"),
        help_text=gettext_lazy("One row per person, with the columns of the template. Nothing is imported before "
                               "you have read the check's report and confirmed."),
    )
    kelurahan = forms.ChoiceField(
        label=gettext_lazy("kelurahan"),
        help_text=gettext_lazy("Rows without a kelurahan go to this one. A row may name another kelurahan of your "
                               "area in the column kelurahan."),
    )
    update_pending = forms.BooleanField(
        label=gettext_lazy("Replace pending registrations from the file"), required=False,
        help_text=gettext_lazy("A KK whose registration is still waiting for verification gets the file's data "
                               "(the change is kept in its history). Without this, such a KK is reported as "
                               "already registered. A verified household is never changed by an import."),
    )

    def __init__(self, *args, kelurahan_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        if len(kelurahan_choices) > 1:
            self.fields["kelurahan"].choices = [("", "---------"), *kelurahan_choices]
        else:
            # One kelurahan: the import goes there; nothing to choose.
            del self.fields["kelurahan"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Before the file is read into memory.
        if upload.size > imports.MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than %(mb)d MB: split it by RW.")
                                  % {"mb": imports.MAX_UPLOAD_BYTES // (1024 * 1024)})
        return upload


def _refuse_unreadable_header(content: bytes, filename: str) -> None:
    """Raise FileRefused at once for a file that cannot be read or lacks a
    column, so the message (naming the column) stands beside the field and
    nothing is kept. Reads the header only; the rows are the check's."""
    if not content or not filename.lower().endswith(LIST_EXTENSIONS):
        return  # the service refuses it with its own message
    table = import_format.read_table(content, filename=filename)
    close = getattr(table.rows, "close", None)
    if close is not None:
        close()  # a workbook's rows hold the open file


class ImportFilter(admin.SimpleListFilter):
    """Registrations by import: the user's recent imports (a short list, read
    from the imports, never from the registrations), and any import of their
    area named in the URL (the import's page links here)."""

    title = gettext_lazy("import")
    parameter_name = "impor"
    RECENT = 20

    def _chosen(self) -> int | None:
        value = self.value()
        return int(value) if value and value.isascii() and value.isdigit() and len(value) <= 12 else None

    def lookups(self, request, model_admin):
        visible = selectors.household_imports_for(request.user).only("pk", "filename", "uploaded_at")
        recent = list(visible.order_by("-uploaded_at")[:self.RECENT])
        chosen = self._chosen()
        if chosen is not None and all(record.pk != chosen for record in recent):
            recent += list(visible.filter(pk=chosen))
        return [(str(record.pk), f"#{record.pk} {record.filename}") for record in recent]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        # Only an import this filter offered (of the user's area); anything
        # else matches nothing rather than reaching the database.
        if self.value() not in {value for value, _label in self.lookup_choices}:
            return queryset.none()
        return queryset.filter(household_import_id=self._chosen())


@admin.register(HouseholdImport)
class HouseholdImportAdmin(AreaScopedMixin, AuditedReadsMixin, RobustChangelistMixin, admin.ModelAdmin):
    list_display = ["file_shown", "uploaded_by", "uploaded_at", "status", "households_imported",
                    "households_refused", "households_already", "people_imported", "progress_shown"]
    list_display_links = ["file_shown"]
    list_filter = ["status"]
    list_select_related = ["uploaded_by"]
    list_per_page = 50
    audit_type = AUDIT_TYPE

    # --- Scope and permissions ----------------------------------------------------

    def get_queryset(self, request):
        return selectors.household_imports_for(request.user).select_related(
            "uploaded_by", "confirmed_by", "default_kelurahan")

    def _obj_in_area(self, request, obj) -> bool:
        return selectors.household_import_in_area(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return False  # every step is a page of its own, through the services

    def has_delete_permission(self, request, obj=None):
        return False

    # --- The list -------------------------------------------------------------------

    @admin.display(description=gettext_lazy("file"), ordering="filename")
    def file_shown(self, obj):
        return str(obj)

    @admin.display(description=gettext_lazy("progress"))
    def progress_shown(self, obj):
        return f"{obj.progress}%"

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "may_upload": self.has_add_permission(request),
                         "template_url": reverse("admin:registrations_householdimport_template")}
        return super().changelist_view(request, extra_context)

    # --- URLs -----------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("template.xlsx", view(self.template_view), name="registrations_householdimport_template"),
            path("<int:import_id>/status/", view(self.status_view), name="registrations_householdimport_status"),
            path("<int:import_id>/report.<str:fmt>", view(self.report_view),
                 name="registrations_householdimport_report"),
            path("<int:import_id>/confirm/", view(self.confirm_view), name="registrations_householdimport_confirm"),
            path("<int:import_id>/cancel/", view(self.cancel_view), name="registrations_householdimport_cancel"),
            path("<int:import_id>/resume/", view(self.resume_view), name="registrations_householdimport_resume"),
            path("<int:import_id>/verify-clean/", view(self.verify_clean_view),
                 name="registrations_householdimport_verify_clean"),
            *super().get_urls(),
        ]

    # --- Upload (the add page) -------------------------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        offered = list(areas.kelurahan_in_area(request.user).order_by("name"))
        choices = [(region.code, region.name) for region in offered]
        if request.method == "POST":
            form = UploadForm(request.POST, request.FILES, kelurahan_choices=choices)
        else:
            form = UploadForm(kelurahan_choices=choices)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                _refuse_unreadable_header(content, upload.name)
                record = imports.household_import_create(
                    content=content, filename=upload.name, by=request.user,
                    update_pending=form.cleaned_data["update_pending"],
                    kelurahan_code=form.cleaned_data.get("kelurahan") or None,
                )
            except FileRefused as exc:
                form.add_error("file", exc.messages)
            except Refused as exc:
                refusal_to_form(form, exc)
            else:
                self.message_user(request, _(
                    "The file %(file)s is being checked. Nothing is imported until you confirm."
                ) % {"file": record.filename}, messages.SUCCESS)
                return HttpResponseRedirect(_import_url(record))
        return TemplateResponse(request, "admin/registrations/householdimport/upload.html", {
            **self.admin_site.each_context(request),
            "title": _("Upload a list of households"), "opts": self.model._meta, "form": form,
            "only_kelurahan": offered[0] if len(offered) == 1 else None,
            "template_url": reverse("admin:registrations_householdimport_template"),
            "max_mb": imports.MAX_UPLOAD_BYTES // (1024 * 1024),
        })

    # --- The import's page -------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        record = self.scoped_object(request, object_id)
        audit.record(request, audit.Action.VIEW, AUDIT_TYPE, object_id=record.pk)
        return TemplateResponse(request, "admin/registrations/householdimport/detail.html", {
            **self.admin_site.each_context(request),
            **self._page(request, record),
        })

    def _page(self, request, record) -> dict:
        user = request.user
        may_act = user.has_perm(ACT_PERMISSION)
        stalled = record.status == Status.IMPORTING and record.lease_until is not None \
            and record.lease_until < timezone.now()
        report = selectors.import_report_rows(record, limit=REPORT_ON_PAGE) if record.report else []
        buttons = []
        if may_act and record.status == Status.CHECKED:
            buttons.append((reverse("admin:registrations_householdimport_confirm", args=[record.pk]), _("Import"),
                            "default"))
        if may_act and (record.status == Status.FAILED or stalled):
            buttons.append((reverse("admin:registrations_householdimport_resume", args=[record.pk]), _("Resume"),
                            "default"))
        if user.has_perm(VERIFY_PERMISSION) and record.status in WROTE:
            buttons.append((reverse("admin:registrations_householdimport_verify_clean", args=[record.pk]),
                            _("Verify the clean ones"), ""))
        if may_act and record.status in (Status.CHECKED, Status.REFUSED):
            buttons.append((reverse("admin:registrations_householdimport_cancel", args=[record.pk]), _("Cancel"),
                            "cancel"))
        return {
            "title": _("Import #%(id)d: %(file)s") % {"id": record.pk, "file": record.filename},
            "opts": self.model._meta,
            "record": record,
            "facts": self._facts(record),
            "running": record.status in RUNNING and not stalled,
            "stalled": stalled,
            "status_url": reverse("admin:registrations_householdimport_status", args=[record.pk]),
            "poll_ms": POLL_MS,
            "summary": self._summary(record),
            "forecast": record.status == Status.CHECKED,
            "report": [{**line, "no_kk": mask_identity_numbers(line.get("no_kk", "")),
                        "nik": mask_identity_numbers(line.get("nik", "")),
                        "pesan": mask_identity_numbers(line.get("pesan", ""))} for line in report],
            "report_more": max(record.report_lines - len(report), 0),
            "downloads": [
                (reverse("admin:registrations_householdimport_report", args=[record.pk, fmt]), label)
                for fmt, label in (("csv", _("Report (CSV)")), ("xlsx", _("Report (Excel)")))
            ] if record.report and user.has_perm(FILE_PERMISSION) else [],
            "registrations_url": registrations_url(record) if record.status in WROTE else "",
            "buttons": buttons,
            "upload_url": reverse("admin:registrations_householdimport_add") if may_act else "",
        }

    @staticmethod
    def _facts(record) -> list[tuple[str, object]]:
        facts = [
            (_("status"), record.get_status_display()),
            (_("uploaded by"), record.uploaded_by or _("an operator (command)")),
            (_("uploaded at"), timezone.localtime(record.uploaded_at)),
            (_("kelurahan of rows that name none"),
             record.default_kelurahan.name if record.default_kelurahan else _("none: each row names its own")),
            (_("replace pending registrations from the file"), _("yes") if record.update_pending else _("no")),
        ]
        if record.confirmed_at:
            facts += [(_("confirmed by"), record.confirmed_by),
                      (_("confirmed at"), timezone.localtime(record.confirmed_at))]
        if record.finished_at:
            facts.append((_("finished at"), timezone.localtime(record.finished_at)))
        if record.files_deleted_at:
            facts.append((_("file and report deleted"), timezone.localtime(record.files_deleted_at)))
        return facts

    @staticmethod
    def _summary(record) -> list[tuple[str, int]]:
        if record.status not in (Status.CHECKED, *WROTE):
            return []
        forecast = record.status == Status.CHECKED
        rows = [
            (_("Households to import") if forecast else _("Households imported"), record.households_imported),
        ]
        if record.update_pending:
            rows.append((_("Pending registrations to replace") if forecast else _("Pending registrations replaced"),
                         record.households_updated))
        rows += [
            (_("Households refused (see the report)"), record.households_refused),
            (_("Households already registered"), record.households_already),
            (_("People to import") if forecast else _("People imported"), record.people_imported),
            (_("Rows read"), record.rows_read),
        ]
        return rows

    def status_view(self, request, import_id: int):
        """The progress as JSON, for the page's script: counts only, no personal data."""
        record = self.scoped_object(request, import_id)
        response = JsonResponse({
            "status": record.status,
            "status_label": str(record.get_status_display()),
            "finished": record.status not in RUNNING,
            "progress": record.progress,
            "rows_done": record.rows_done,
            "rows_total": record.rows_total,
            "households_imported": record.households_imported,
            "households_updated": record.households_updated,
            "households_refused": record.households_refused,
            "households_already": record.households_already,
            "people_imported": record.people_imported,
        })
        response["Cache-Control"] = "private, no-store"
        return response

    # --- Steps: confirm, cancel, resume ------------------------------------------------

    def _step_page(self, request, import_id: int, *, allowed, step, done_message, page):
        """A step's confirmation page (GET) and the step itself (POST)."""
        record = self.scoped_object(request, import_id, ACT_PERMISSION)
        if not allowed(record):
            self.message_user(request, _("This step is not open for this import now (it is %(status)s).")
                              % {"status": record.get_status_display()}, messages.WARNING)
            return HttpResponseRedirect(_import_url(record))
        if request.method == "POST":
            try:
                step(import_id=record.pk, by=request.user)
            except Refused as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, done_message, messages.SUCCESS)
            return HttpResponseRedirect(_import_url(record))
        return form_page(self, request, forms.Form(), cancel_url=_import_url(record), **page(record))

    def confirm_view(self, request, import_id: int):
        return self._step_page(
            request, import_id, allowed=lambda record: record.status == Status.CHECKED,
            step=imports.household_import_confirm,
            done_message=_("The import has started. The page shows its progress; you may close it meanwhile."),
            page=lambda record: {
                "title": _("Import %(file)s?") % {"file": record.filename},
                "intro": _("Nothing has been written yet. Importing creates the households below as registrations "
                           "of your area, waiting for verification; households the report refuses, and those "
                           "already registered, are left out. The file is read again as it is now stored."),
                "facts": self._summary(record), "submit_label": _("Import"),
            },
        )

    def cancel_view(self, request, import_id: int):
        return self._step_page(
            request, import_id, allowed=lambda record: record.status in (Status.CHECKED, Status.REFUSED),
            step=imports.household_import_cancel,
            done_message=_("The import is cancelled; its file is deleted. Nothing was imported."),
            page=lambda record: {
                "title": _("Cancel the import of %(file)s?") % {"file": record.filename},
                "intro": _("Nothing of this file has been imported, and nothing will be: the file and its report "
                           "are deleted now. The record of the upload stays."),
                "submit_label": _("Cancel the import"),
            },
        )

    def resume_view(self, request, import_id: int):
        def stopped(record):
            return record.status == Status.FAILED or (
                record.status == Status.IMPORTING and record.lease_until is not None
                and record.lease_until < timezone.now())

        return self._step_page(
            request, import_id, allowed=stopped, step=imports.household_import_resume,
            done_message=_("The import continues where it stopped."),
            page=lambda record: {
                "title": _("Resume the import of %(file)s?") % {"file": record.filename},
                "intro": _("The import stopped (%(error)s). Every household it wrote is whole and stays; resuming "
                           "reads the file again and imports the rest, never a household twice.")
                % {"error": record.error or _("no reason recorded")},
                "facts": [(_("Households imported so far"), record.households_imported)],
                "submit_label": _("Resume"),
            },
        )

    # --- Verify the clean ones -----------------------------------------------------------

    def verify_clean_view(self, request, import_id: int):
        """Verify the import's waiting registrations that carry no flag, each
        through ``registration_verify`` (its rules, the four-eyes setting
        included); the flagged ones are left for staff to check one by one."""
        record = self.scoped_object(request, import_id, VERIFY_PERMISSION)
        if record.status not in WROTE:
            self.message_user(request, _("This import has written no registrations yet."), messages.WARNING)
            return HttpResponseRedirect(_import_url(record))
        plan = selectors.import_verify_plan(household_import=record, user=request.user)
        if not plan.clean_ids:
            self.message_user(request, _("No registration of this import is waiting without a flag."),
                              messages.INFO)
            return HttpResponseRedirect(registrations_url(record))
        this_step = plan.clean_ids[:VERIFY_CLEAN_AT_MOST]
        if request.method == "POST":
            verified, refused = 0, Counter()
            for registration_id in this_step:
                try:
                    services.registration_verify(registration_id=registration_id, by=request.user)
                except Refused as exc:
                    refused[str(exc)] += 1
                else:
                    verified += 1
            if verified:
                self.message_user(request, ngettext(
                    "%(count)d registration verified.", "%(count)d registrations verified.", verified,
                ) % {"count": verified}, messages.SUCCESS)
            for message, count in refused.most_common():
                self.message_user(request, ngettext(
                    "%(count)d registration not verified: %(why)s", "%(count)d registrations not verified: %(why)s",
                    count,
                ) % {"count": count, "why": message}, messages.ERROR)
            if len(plan.clean_ids) > len(this_step):
                self.message_user(request, _(
                    "%(count)d more are waiting without a flag: verify the clean ones again."
                ) % {"count": len(plan.clean_ids) - len(this_step)}, messages.INFO)
            return HttpResponseRedirect(registrations_url(record))
        facts = [(_("Registrations to verify (no flag)"), len(plan.clean_ids))]
        if len(plan.clean_ids) > len(this_step):
            facts.append((_("Verified in this step (the rest in the next)"), len(this_step)))
        facts += [(_("Left out, flagged: %(flag)s") % {"flag": label}, count) for label, count in plan.left_out]
        if plan.own:
            facts.append((_("Of these, entered by you: another staff member must verify them"), plan.own))
        return form_page(
            self, request, forms.Form(), cancel_url=_import_url(record), facts=facts,
            title=_("Verify the clean registrations of %(file)s?") % {"file": record.filename},
            intro=_("Each registration of this import that is still waiting and carries no flag is verified, as "
                    "with the Verify action: its household goes on the roster and its card joins the print queue. "
                    "Flagged registrations are left for you to check one by one."),
            submit_label=ngettext("Verify %(count)d registration", "Verify %(count)d registrations",
                                  len(this_step)) % {"count": len(this_step)},
        )

    # --- Files ------------------------------------------------------------------------------

    def report_view(self, request, import_id: int, fmt: str):
        """The report, from private storage: for staff who import, of their area
        only; every download is written to the access log."""
        if fmt not in ("csv", "xlsx"):
            raise Http404
        try:
            record = self.scoped_object(request, import_id, FILE_PERMISSION)
        except (PermissionDenied, Http404):
            audit.record(request, audit.Action.DENIED, "import_report", object_id=import_id)
            raise
        if not record.report:
            raise Http404
        audit.record(request, audit.Action.EXPORT, "import_report", object_id=record.pk, detail=fmt)
        filename = f"laporan-impor-{record.pk}.{fmt}"
        if fmt == "csv":
            response = FileResponse(record.report.open("rb"), content_type="text/csv; charset=utf-8",
                                    as_attachment=True, filename=filename)
        else:
            response = HttpResponse(import_spreadsheets.report_xlsx(selectors.import_report_rows(record)),
                                    content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response

    def template_view(self, request):
        """The template workbook: headers, one example household (numbers of
        nobody) and in-cell lists. No personal data, but only for who imports."""
        if not (self.has_view_permission(request) and request.user.has_perm(ACT_PERMISSION)):
            raise PermissionDenied
        codes = list(areas.kelurahan_in_area(request.user).order_by("code").values_list("code", flat=True))
        if not codes:
            raise PermissionDenied
        response = HttpResponse(import_spreadsheets.template_xlsx(kelurahan_code=codes[0]), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="format-impor-keluarga.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response
