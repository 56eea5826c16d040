"""The mayor's monthly reports in the admin: the list, one made on demand, the PDF.

The report is the city's document: only staff whose area is the whole city
(the population office, the mayor's office, the auditor) or the superuser see
it, whatever their role's permissions. Taking the PDF needs
``download_monthlyreport`` and is written to the access log.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget
from django.http import FileResponse, Http404, HttpResponseForbidden
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kartusehat import audit
from registrations.admin.household_totals import works_for_the_city

from . import reports
from .models import MonthlyReport


class MonthlyReportForm(forms.ModelForm):
    month = forms.DateField(label=_("month"), widget=AdminDateWidget,
                            help_text=_("Any day of the month to report. A month reported already is made again."))

    class Meta:
        model = MonthlyReport
        fields = ["month"]

    def clean_month(self):
        month = self.cleaned_data["month"].replace(day=1)
        if month > timezone.localdate():
            raise forms.ValidationError(_("A month that has not begun has no report."))
        return month

    def validate_unique(self):
        pass  # making a month again replaces its report (figures.reports.monthly_report_create)


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    form = MonthlyReportForm
    list_display = ["month_shown", "created_at", "created_by", "emailed_at", "pdf_link"]
    fields = ["month_shown", "created_at", "created_by", "emailed_to", "emailed_at", "pdf_link"]
    readonly_fields = fields

    def get_fields(self, request, obj=None):
        return ["month"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    @admin.display(description=_("month"), ordering="month")
    def month_shown(self, obj):
        return f"{obj.month:%Y-%m}"

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:figures_monthlyreport_pdf", args=[obj.pk]),
                           _("Download"))

    def has_module_permission(self, request):
        return super().has_module_permission(request) and works_for_the_city(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and works_for_the_city(request.user)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and works_for_the_city(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        report = reports.monthly_report_create(month=form.cleaned_data["month"], by=request.user)
        obj.pk, obj.pdf, obj.created_at = report.pk, report.pdf, report.created_at

    def get_urls(self):
        return [
            path("<int:report_id>/pdf/", self.admin_site.admin_view(self.pdf_view), name="figures_monthlyreport_pdf"),
            *super().get_urls(),
        ]

    def pdf_view(self, request, report_id: int):
        # Permission first, whatever the record: the auditor reads the list but takes no file.
        if not (request.user.has_perm("figures.download_monthlyreport") and works_for_the_city(request.user)):
            return HttpResponseForbidden()
        report = MonthlyReport.objects.filter(pk=report_id).exclude(pdf="").first()
        if report is None:
            raise Http404
        filename = f"kartu-sehat-laporan-{report.month:%Y-%m}.pdf"
        audit.record(request, audit.Action.EXPORT, "monthly_report", object_id=report.pk, detail=filename)
        return FileResponse(report.pdf.open("rb"), content_type="application/pdf", as_attachment=True,
                            filename=filename)
