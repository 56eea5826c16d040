"""Regions, the access log, and staff users with their area of work."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from kartusehat.admin import (
    NoAddDeleteMixin,
    RobustChangelistMixin,
)

from ..models import (
    AccessLog,
    Region,
    StaffArea,
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
