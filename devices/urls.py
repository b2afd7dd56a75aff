from django.urls import path

from devices.views import processing, scanning

app_name = "devices"

urlpatterns = [
    path("scan/", scanning.scan, name="scan"),
    path("devices/<str:code>/erasure/", processing.erasure_create, name="erasure_create"),
    path(
        "devices/<str:code>/refurbishment/",
        processing.refurbishment_create,
        name="refurbishment_create",
    ),
    path("devices/<str:code>/dispose/", processing.device_dispose, name="device_dispose"),
    path("workqueue/", processing.workqueue_page, name="workqueue"),
    path("workqueue/scan/", processing.workqueue_scan, name="workqueue_scan"),
    path(
        "batches/<str:reference>/certificate.pdf",
        processing.batch_certificate,
        name="batch_certificate",
    ),
]
