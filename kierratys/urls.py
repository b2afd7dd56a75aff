from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from kierratys import views

admin.site.site_header = _("Digikierrättämö")
admin.site.site_title = _("Digikierrättämö")
admin.site.index_title = _("Ylläpito")

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
