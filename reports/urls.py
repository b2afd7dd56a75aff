from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("funder-report.pdf", views.funder_report, name="funder_report"),
    path("figures.csv", views.figures_csv, name="figures_csv"),
    path("devices.csv", views.devices_csv, name="devices_csv"),
    path("handovers.csv", views.handovers_csv, name="handovers_csv"),
    path("donors/<int:pk>/yearly.pdf", views.donor_report, name="donor_report"),
]
