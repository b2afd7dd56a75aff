from django.urls import path

from devices.views import (
    batches,
    corrections,
    documents,
    donors,
    erasures,
    evidence,
    imports,
    inventory,
    scanning,
    templates_download,
    verification,
    workqueue,
)

app_name = "devices"

urlpatterns = [
    path("scan/", scanning.scan, name="scan"),
    path("batches/", batches.batch_list, name="batch_list"),
    path("batches/new/", batches.batch_register, name="batch_register"),
    path("batches/<str:reference>/", batches.batch_detail, name="batch_detail"),
    path("batches/<str:reference>/receive/", batches.batch_receive, name="batch_receive"),
    path("batches/<str:reference>/edit/", corrections.batch_edit, name="batch_edit"),
    path("batches/<str:reference>/cancel/", corrections.batch_cancel, name="batch_cancel"),
    path(
        "batches/<str:reference>/processed/",
        batches.batch_mark_processed,
        name="batch_mark_processed",
    ),
    path("batches/<str:reference>/intake/", batches.device_intake, name="device_intake"),
    path("batches/<str:reference>/import/", imports.batch_import, name="batch_import"),
    path(
        "batches/<str:reference>/import/<int:pk>/",
        imports.batch_import_preview,
        name="batch_import_preview",
    ),
    path(
        "batches/<str:reference>/import/<int:pk>/cancel/",
        imports.batch_import_cancel,
        name="batch_import_cancel",
    ),
    path(
        "batches/<str:reference>/list/<int:pk>/",
        imports.donor_list_preview,
        name="donor_list_preview",
    ),
    path(
        "batches/<str:reference>/list/<int:pk>/cancel/",
        imports.donor_list_cancel,
        name="donor_list_cancel",
    ),
    path("batches/<str:reference>/export/", batches.batch_export, name="batch_export"),
    path("devices/", inventory.device_list, name="device_list"),
    path("devices/labels/", documents.labels_sheet, name="labels_sheet"),
    path(
        "devices/import-template/",
        templates_download.import_template,
        name="import_template",
    ),
    path("devices/<str:code>/", inventory.device_detail, name="device_detail"),
    path("devices/<str:code>/label.pdf", documents.label_single, name="label_single"),
    path("devices/<str:code>/correct/", corrections.device_correct, name="device_correct"),
    path("devices/<str:code>/erasure/", erasures.erasure_create, name="erasure_create"),
    path(
        "devices/<str:code>/refurbishment/",
        erasures.refurbishment_create,
        name="refurbishment_create",
    ),
    path("devices/<str:code>/dispose/", erasures.device_dispose, name="device_dispose"),
    path("devices/<str:code>/media/add/", erasures.medium_add, name="medium_add"),
    path(
        "devices/<str:code>/media/<int:pk>/remove/",
        erasures.medium_remove,
        name="medium_remove",
    ),
    path(
        "devices/<str:code>/erasures/<int:pk>/validate/",
        erasures.erasure_validate,
        name="erasure_validate",
    ),
    path("erasures/import/", evidence.evidence_import, name="evidence_import"),
    path(
        "erasures/evidence/<int:pk>/download/",
        evidence.evidence_download,
        name="evidence_download",
    ),
    path("donors/", donors.donor_list, name="donor_list"),
    path("donors/new/", donors.donor_create, name="donor_create"),
    path("donors/<int:pk>/", donors.donor_detail, name="donor_detail"),
    path("donors/<int:pk>/edit/", donors.donor_edit, name="donor_edit"),
    path("workqueue/", workqueue.workqueue_page, name="workqueue"),
    path("workqueue/scan/", workqueue.workqueue_scan, name="workqueue_scan"),
    path(
        "batches/<str:reference>/certificate.pdf",
        documents.batch_certificate,
        name="batch_certificate",
    ),
    # Public: an auditor checks a printed certificate without logging in.
    path("verify/", verification.certificate_verify_form, name="certificate_verify_form"),
    path("verify/<str:code>/", verification.certificate_verify, name="certificate_verify"),
]
