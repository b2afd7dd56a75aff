from django.apps import AppConfig
from django.core import checks

from kierratys.checks import PDF_TAG, pdf_libraries_check


class KierratysConfig(AppConfig):
    name = "kierratys"
    verbose_name = "Digikierrättämö"

    def ready(self):
        checks.register(pdf_libraries_check, PDF_TAG)
