from importlib import import_module

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Raportit"

    def ready(self):
        # The stored figures' source (kierratys.figures calls it; kierratys imports no app)
        # and the first fill of the figures after migrate.
        source = import_module("reports.figures_source")
        post_migrate.connect(source.fill_after_migrate, dispatch_uid="reports_figures_fill")
