"""Admin for coordinators. Status is never editable here: transitions go through
devices.lifecycle, and devices are logged in through the intake pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from devices.models import BatchListItem, Device, DonationBatch, Donor, Erasure, RefurbishmentCheck


@admin.register(Donor)
class DonorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "business_id", "contact_person", "email"]
    list_filter = ["kind"]
    search_fields = ["name", "business_id"]
    filter_horizontal = ["users"]


@admin.register(DonationBatch)
class DonationBatchAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "donor", "status", "declared_count", "registered_at"]
    list_filter = ["status"]
    search_fields = ["reference", "donor__name"]
    list_select_related = ["donor"]
    readonly_fields = [
        "reference",
        "status",
        "registered_by",
        "registered_at",
        "received_at",
        "received_by",
        # Cancelled only through services.batch_cancel, which checks it is still registered.
        "cancelled_at",
        "cancelled_by",
        "cancel_reason",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(Device)
class DeviceAdmin(SimpleHistoryAdmin):
    list_display = [
        "inventory_code",
        "category",
        "manufacturer",
        "model",
        "serial_number",
        "status",
    ]
    list_filter = ["status", "category"]
    search_fields = ["inventory_code", "serial_number", "model"]
    list_select_related = ["batch"]
    readonly_fields = [
        "inventory_code",
        "batch",
        "status",
        "status_changed_at",
        "received_at",
        "disposal_reason",
        "logged_by",
        "logged_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Erasure)
class ErasureAdmin(SimpleHistoryAdmin):
    list_display = ["device", "method", "technique", "result", "technician", "ended_at"]
    list_filter = ["result", "method"]
    list_select_related = ["device", "technician"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RefurbishmentCheck)
class RefurbishmentCheckAdmin(SimpleHistoryAdmin):
    list_display = ["device", "checked_by", "checked_at"]
    list_select_related = ["device", "checked_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(BatchListItem, SimpleHistoryAdmin)
