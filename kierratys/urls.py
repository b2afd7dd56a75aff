from django.contrib import admin
from django.urls import include, path

from kierratys import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("devices.urls")),
    path("clients/", include("clients.urls")),
    path("reports/", include("reports.urls")),
]
