from django.urls import path

from devices.views import scanning

app_name = "devices"

urlpatterns = [
    path("scan/", scanning.scan, name="scan"),
]
