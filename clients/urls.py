from django.urls import path, register_converter

from clients.converters import ClientCodeConverter
from clients.views import handovers, loans, readiness, records, subject_access, support_points

register_converter(ClientCodeConverter, "client_code")

app_name = "clients"

urlpatterns = [
    path("", records.client_list, name="client_list"),
    path("new/", records.client_create, name="client_create"),
    path("waiting/", records.waiting_list, name="waiting_list"),
    path("milestones/", records.milestone_list, name="milestone_list"),
    path("milestones/new/", records.milestone_create, name="milestone_create"),
    path("milestones/<int:pk>/edit/", records.milestone_edit, name="milestone_edit"),
    path("<client_code:code>/", records.client_detail, name="client_detail"),
    path("<client_code:code>/edit/", records.client_edit, name="client_edit"),
    path("<client_code:code>/milestones/", records.milestone_record, name="milestone_record"),
    path(
        "<client_code:code>/milestones/<int:pk>/remove/",
        records.milestone_remove,
        name="milestone_remove",
    ),
    path("<client_code:code>/access-log/", records.access_log, name="access_log"),
    path(
        "<client_code:code>/subject-access.json",
        subject_access.subject_access_export,
        name="subject_access",
    ),
    path(
        "<client_code:code>/subject-access.pdf",
        subject_access.subject_access_pdf,
        name="subject_access_pdf",
    ),
    path("<client_code:code>/reserve/", handovers.handover_reserve, name="handover_reserve"),
    path("handovers/<int:pk>/cancel/", handovers.handover_cancel, name="handover_cancel"),
    path("handovers/<int:pk>/readiness/", readiness.handover_readiness, name="handover_readiness"),
    path("handovers/<int:pk>/complete/", handovers.handover_complete, name="handover_complete"),
    path("handovers/<int:pk>/return/", handovers.handover_return, name="handover_return"),
    path("handovers/<int:pk>/receipt/", handovers.handover_receipt, name="handover_receipt"),
    path(
        "handovers/<int:pk>/reminder-letter/",
        loans.loan_reminder_letter,
        name="loan_reminder_letter",
    ),
    path("handovers/<int:pk>/return-receipt/", loans.return_receipt, name="return_receipt"),
    path("overdue-loans/", handovers.overdue_loans, name="overdue_loans"),
    path("support-points/", support_points.supportpoint_list, name="supportpoint_list"),
    path("support-points/new/", support_points.supportpoint_create, name="supportpoint_create"),
    path(
        "support-points/<int:pk>/edit/", support_points.supportpoint_edit, name="supportpoint_edit"
    ),
]
