from django.urls import path

from kierratys import views_reports

app_name = "reports"

urlpatterns = [
    path("", views_reports.dashboard, name="dashboard"),
    path("figures.csv", views_reports.figures_csv, name="figures_csv"),
    path("devices.csv", views_reports.devices_csv, name="devices_csv"),
    path("handovers.csv", views_reports.handovers_csv, name="handovers_csv"),
    path("donors/<int:pk>/yearly.pdf", views_reports.donor_report, name="donor_report"),
]
